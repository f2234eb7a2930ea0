"""Shortlist exports (PDF, Excel) built in the background, one per reader, kept until outdated.

A PDF of a long list takes many seconds to lay out, so the page asks for the file
(``request_export``), a task on the ``pdf`` queue builds it (``build``, reporting progress),
the page polls the status and offers the download. The file holds what the *exporter* may see
(the release policy and redaction, through ``suppliers``), so each reader has their own; its
fingerprint is a hash of exactly those rows, so a change to the list, a note, a supplier or
the reader's clearance makes a new file on the next request, and a download never serves rows
that differ from what the page shows now.
"""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction

from portal.core import builds

from . import pdf, xlsx
from .models import ExportKind, Shortlist, ShortlistExport
from .suppliers import Suppliers, suppliers

CONTENT_TYPES = {
    ExportKind.PDF: "application/pdf",
    ExportKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def fingerprint(shortlist: Shortlist, found: Suppliers) -> str:
    """A hash of everything the file shows: the list's name and description, each row as the
    reader may see it (redaction included), the notes and how many were left out."""
    content = {
        "name": shortlist.name,
        "description": shortlist.description,
        "owner": shortlist.owner_id,
        "omitted": found.omitted,
        "rows": [[row.entry.pk, row.data, row.note] for row in found.rows],
    }
    encoded = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def current(user, shortlist: Shortlist, kind: str) -> ShortlistExport | None:
    """``user``'s export of ``shortlist`` in ``kind``, whatever its state (None: never asked)."""
    return ShortlistExport.objects.filter(shortlist=shortlist, requested_by=user, kind=kind).first()


def request_export(user, shortlist: Shortlist, kind: str, wanted: str) -> ShortlistExport:
    """The export row for what ``user`` sees now (``wanted``: its fingerprint), queued when it
    needs building."""
    from .tasks import build_shortlist_export

    try:
        with transaction.atomic():
            export, created = ShortlistExport.objects.get_or_create(
                shortlist=shortlist, requested_by=user, kind=kind, defaults={"fingerprint": wanted}
            )
    except IntegrityError:  # two first requests at once: the other one created it
        export, created = current(user, shortlist, kind), False
    if created or (export.needs_build(wanted) and builds.restart(export, wanted)):
        builds.send_after_commit(build_shortlist_export, export.pk)
    return export


def _file_name(export: ShortlistExport) -> str:
    return f"shortlist-{export.shortlist_id}-{export.requested_by_id}.{export.kind}"


def build(export_id: int) -> str:
    """Build the file of ``export_id``; returns the outcome ("ready", "gone", "failed")."""
    export = (
        ShortlistExport.objects.select_related("shortlist__owner", "requested_by")
        .filter(pk=export_id)
        .first()
    )
    if export is None:
        return "gone"
    shortlist, reader = export.shortlist, export.requested_by
    try:
        builds.report(export, "collecting", 5)
        found = suppliers(reader, shortlist)
        if export.kind == ExportKind.PDF:
            pages = pdf.expected_pages(found)
            on_page = builds.progress_reporter(export, "layout", 10, 90)
            content = pdf.render_pdf(
                shortlist, found, reader, on_page=lambda n: on_page(n / pages)
            ).content
        else:
            builds.report(export, "writing", 50)
            content = xlsx.write(shortlist, found, reader)
        builds.report(export, "writing", 95)
    except Exception as error:
        builds.fail(export, error)
        return "failed"
    builds.store(export, content, _file_name(export), fingerprint(shortlist, found))
    return "ready"
