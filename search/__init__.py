"""The search service: OpenSearch indices, queries and sync for everything users search.

Layout (filled in by the [search] issue): ``engine.py`` is the one seam between
elasticsearch-dsl (mappings, queries, responses) and opensearch-py (the transport);
``documents.py`` mappings; ``queries.py`` one function per use, the release policy's filter
first; ``indexing.py`` outbox and bulk; ``signals.py``; ``tasks.py``.
"""
