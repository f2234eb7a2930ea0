"""Where restricted uploads go: a folder with no URL, so that a file is reachable only
through a view that asks the release policy first (never a guessable /media/ address)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class PrivateFileSystemStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT that have no address of their own.

    Django's storage falls back to MEDIA_URL when ``base_url`` is None, which would hand out
    /media/ links that lead nowhere (or, on a misconfigured server, to the file). Refusing
    makes a template that forgets to use the policy-checked view fail loudly in tests.
    """

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Private files have no public URL; link to the checked view.")


class _PrivateStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = PrivateFileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


def private_storage() -> FileSystemStorage:
    """Callable storage, so that migrations do not freeze a machine-specific path."""
    return _storage


_storage = _PrivateStorage()
