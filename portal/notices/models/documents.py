"""The portal's Wagtail document model: files kept in private storage.

Wagtail's stock document model stores files under MEDIA_ROOT, which the production proxy
serves at /media/ to anyone who guesses the name. An attachment of a vetted notice must never
be reachable that way, so every document lives in ``private_storage`` (no URL) and is served
only by Wagtail's serve view, which asks ``portal.notices.documents`` (the release policy)
first. File names are sanitised on upload.
"""

from __future__ import annotations

import os

from django.db import models
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document

from portal.core.storage import private_storage

#: Longest stored file name (without the folder), well inside FileField's 100 characters.
MAX_NAME = 80


def sanitise_filename(name: str) -> str:
    """A safe file name: no folders, no shell or URL specials, CJK kept, extension lower-case.

    ``get_valid_filename`` keeps letters (Chinese included), digits, ``-``, ``_`` and ``.``.
    """
    base = os.path.basename(name.replace("\\", "/")).strip()
    stem, ext = os.path.splitext(base)
    stem = stem.lstrip(".") or "document"
    try:
        stem = get_valid_filename(stem)
    except Exception:
        stem = "document"
    ext = get_valid_filename(ext.lower()) if ext.strip(".") else ""
    return f"{stem[: MAX_NAME - len(ext)]}{ext}"


def document_upload_to(instance, filename: str) -> str:
    return f"documents/{sanitise_filename(filename)}"


class PrivateDocument(AbstractDocument):
    """A Wagtail document whose file has no public URL (see the module docstring)."""

    file = models.FileField(
        storage=private_storage, upload_to=document_upload_to, verbose_name=_("file")
    )

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = [("choose_document", "Can choose document")]
