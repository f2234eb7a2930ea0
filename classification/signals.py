"""Signals other packages listen to without importing this package's internals.

``access_changed`` is sent inside the transaction that changes a tier or a grant, with
``sender`` the model class and ``object_ids`` the items concerned: the search index records
them in its outbox (their ``tier`` and ``grants``), caches drop their fragments on commit.
"""

from django.dispatch import Signal

access_changed = Signal()
