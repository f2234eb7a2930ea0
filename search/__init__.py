"""The search service: OpenSearch indices the apps register with, their sync and their queries.

The apps declare their indices (``registry.SearchIndex``, in each app's ``search_indexes.py``);
this package imports none of them. ``engine.py`` is the one seam between elasticsearch-dsl
(mappings, queries, responses) and opensearch-py (the transport); ``documents.py`` the shared
mapping parts; ``indexing.py`` the outbox, rebuild and checks; ``signals.py`` what records
changes; ``faceted.py`` the one faceted search every search builds on, the release policy's
filter first; ``site.py`` the search across every index; ``tasks.py`` the Celery side.
"""
