"""Files built in the background (Celery, queue ``pdf``) that a page waits for with progress.

A shortlist export or the yearly report takes seconds to lay out; a request that blocks that
long ties up a web worker and leaves the reader staring at a spinner-less tab. Instead a
feature keeps one row per file (a subclass of ``BuiltFile``), the page asks for the build, a
task fills in ``progress`` and ``stage`` as it goes, and the page polls a small JSON status
(``status``) and offers the download once the file is stored.

Rows carry a ``fingerprint`` of what the file was built from; a feature compares it with the
current one to know whether the file still says what the page says, and asks again if not.
The files live in private storage (no URL): only the feature's own checked view serves them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

from .storage import private_storage

logger = logging.getLogger(__name__)

#: A build queued or running for longer than this is presumed lost (worker killed) and may be
#: queued again.
STALE_AFTER = timedelta(minutes=10)


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


#: What the reader is told while a file is built, by stage key (``BuiltFile.stage``).
STAGES = {
    "queued": _("Waiting for a free worker…"),
    "collecting": _("Collecting the data…"),
    "layout": _("Laying out the pages…"),
    "writing": _("Writing the file…"),
    "ready": _("Ready."),
    "failed": _("The file could not be built."),
}


class BuiltFile(models.Model):
    """One file built in the background: its state, progress and the stored result."""

    status = models.CharField(
        _("status"), max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    stage = models.CharField(_("stage"), max_length=20, default="queued")
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to="builds/", blank=True)
    error = models.TextField(_("error"), blank=True)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_ready(self) -> bool:
        return self.status == BuildStatus.READY and bool(self.file)

    def is_current(self, fingerprint: str) -> bool:
        """Whether this row is (or is becoming) the file for ``fingerprint``."""
        return self.fingerprint == fingerprint

    def needs_build(self, fingerprint: str) -> bool:
        """True when the file is missing, outdated, failed, or its build was lost."""
        if not self.is_current(fingerprint) or self.status == BuildStatus.FAILED:
            return True
        if self.status == BuildStatus.READY:
            return not self.file
        return self.queued_at < timezone.now() - STALE_AFTER


def restart(row: BuiltFile, fingerprint: str) -> bool:
    """Mark ``row`` queued for ``fingerprint``; False when a concurrent request did it first.

    The update is conditional on the row's state as read, so of several requests at once only
    one queues the task.
    """
    updated = (
        type(row)
        .objects.filter(
            pk=row.pk, status=row.status, fingerprint=row.fingerprint, queued_at=row.queued_at
        )
        .update(
            status=BuildStatus.QUEUED,
            progress=0,
            stage="queued",
            fingerprint=fingerprint,
            error="",
            queued_at=timezone.now(),
        )
    )
    row.refresh_from_db()
    return bool(updated)


def send_after_commit(task, *args: Any) -> None:
    """Queue ``task`` once the row is committed. A broker outage leaves the row queued; the
    next request after ``STALE_AFTER`` queues it again, so nothing is lost."""

    def send() -> None:
        try:
            task.delay(*args)
        except OperationalError:
            logger.warning("Broker unavailable: %s%r queued later", task.name, args)

    transaction.on_commit(send)


def report(row: BuiltFile, stage: str, progress: int) -> None:
    """Tell pollers how far the build is (a plain UPDATE, visible at once)."""
    row.stage, row.progress = stage, progress
    type(row).objects.filter(pk=row.pk).update(
        status=BuildStatus.BUILDING, stage=stage, progress=progress
    )


def progress_reporter(row: BuiltFile, stage: str, start: int, end: int) -> Callable[[float], None]:
    """A callback taking a fraction (0–1) of one stage, mapped to ``start``–``end`` percent,
    that writes only when the whole percent grows (WeasyPrint lays some pages out twice, and a
    bar that runs backwards looks broken)."""
    last = [-1]

    def tell(fraction: float) -> None:
        percent = start + int((end - start) * max(0.0, min(1.0, fraction)))
        if percent > last[0]:
            last[0] = percent
            report(row, stage, percent)

    return tell


def store(row: BuiltFile, content: bytes, name: str, fingerprint: str) -> None:
    """Save the built file and mark the row ready for ``fingerprint``: what the task actually
    built from. Had the source changed meanwhile, the next request sees another fingerprint
    and builds again, so a file is never served as newer than it is."""
    with transaction.atomic():
        current = type(row).objects.select_for_update().get(pk=row.pk)
        if current.file:
            current.file.delete(save=False)
        current.file.save(name, ContentFile(content), save=False)
        current.fingerprint = fingerprint
        current.status = BuildStatus.READY
        current.progress, current.stage = 100, "ready"
        current.error = ""
        current.built_at = timezone.now()
        current.save()


def fail(row: BuiltFile, error: Exception) -> None:
    logger.exception("Building %s %s failed", type(row).__name__, row.pk)
    type(row).objects.filter(pk=row.pk).update(
        status=BuildStatus.FAILED, stage="failed", error=str(error)[:2000]
    )


def status(row: BuiltFile | None, download_url: str) -> dict[str, Any]:
    """The JSON the waiting page polls: ``state`` (none, queued, building, ready, failed),
    ``progress`` (0–100, null when unknown), a sentence for the reader, and the download URL
    once there is something to download."""
    if row is None:
        return {"state": "none", "progress": 0, "message": "", "download_url": None}
    state = row.status if row.status != BuildStatus.READY or row.file else BuildStatus.QUEUED
    return {
        "state": str(state),
        "progress": row.progress,
        "message": str(STAGES.get(row.stage, "")),
        "download_url": download_url if row.is_ready else None,
    }
