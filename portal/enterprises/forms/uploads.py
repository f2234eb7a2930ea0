"""Scanned certificates: what we accept and where it goes.

The browser's content type and the file name are both under the uploader's control, so the
type is decided by the file's first bytes and must agree with the extension; an ``.exe``
renamed ``.pdf`` is refused. Files go to private storage (no URL): the download view asks the
release policy before it streams one.
"""

from __future__ import annotations

import os
import unicodedata

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from portal.core.storage import private_storage

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
FOLDER = "qualifications"

#: Magic bytes -> the kind of file, and the extensions each kind may carry.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)
_EXTENSIONS = {"pdf": {".pdf"}, "jpeg": {".jpg", ".jpeg"}, "png": {".png"}}


def sniff(upload: UploadedFile) -> str | None:
    """The kind of file by its first bytes, or None for anything else."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def validate_document(upload: UploadedFile) -> None:
    """Size first (cheap), then extension, then content; each with its own message."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is %(size).1f MB; scanned documents may be at most 10 MB."),
            code="too_large",
            params={"size": upload.size / (1024 * 1024)},
        )
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in {".pdf", ".jpg", ".jpeg", ".png"}:
        raise ValidationError(_("Please upload a PDF, JPG or PNG file."), code="extension")
    kind = sniff(upload)
    if kind is None or extension not in _EXTENSIONS[kind]:
        raise ValidationError(
            _(
                "The content of this file is not a PDF, JPG or PNG image as its name says; "
                "please upload the scanned document itself."
            ),
            code="content",
        )


def safe_name(name: str) -> str:
    """A file name without directories, control or shell characters; Chinese is kept."""
    base = os.path.basename(unicodedata.normalize("NFKC", name or "").replace("\\", "/"))
    stem, extension = os.path.splitext(base)
    stem = get_valid_filename(stem.strip(" .")) if stem.strip(" .") else ""
    stem = stem.lstrip(".-")[:80] or "document"
    return f"{stem}{extension.lower()[:5]}"


def store_document(upload: UploadedFile, enterprise_pk: int) -> str:
    """Save to private storage under ``qualifications/<enterprise>/``; return the stored name."""
    upload.seek(0)
    return private_storage().save(f"{FOLDER}/{enterprise_pk}/{safe_name(upload.name)}", upload)


def delete_documents(names: list[str]) -> None:
    """Undo ``store_document`` when the step could not be saved after all."""
    storage = private_storage()
    for name in names:
        storage.delete(name)
