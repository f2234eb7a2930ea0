"""Where restricted uploads go: a folder with no URL, so that a file is reachable only
through a view that asks the release policy first (never a guessable /media/ address)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class _PrivateStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def private_storage() -> FileSystemStorage:
    """Callable storage, so that migrations do not freeze a machine-specific path."""
    return _storage


_storage = _PrivateStorage()
