"""The yearly report built from the dashboard: asked for there, built on the ``pdf`` queue with
progress, downloaded there. The command ``yearly_report`` still writes one to a file.

One row per year. The report counts everything (``viewer=None``) and names public notices
only, so it is the same for every reader of the statistics; it is rebuilt on the first request
of a new day (its fingerprint is the year and the day), since the figures move with the
registry, and whenever a build failed or was lost.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.core import builds

from . import report
from .models import YearlyReport

FIRST_YEAR, LAST_YEAR = 2000, 2100


def fingerprint(year: int) -> str:
    return f"{year}:{timezone.localdate():%Y-%m-%d}"


def current(year: int) -> YearlyReport | None:
    return YearlyReport.objects.filter(year=year).first()


def request_report(year: int) -> YearlyReport:
    """The report row of ``year``, queued when it is missing, outdated or failed."""
    from .tasks import build_yearly_report

    wanted = fingerprint(year)
    try:
        with transaction.atomic():
            row, created = YearlyReport.objects.get_or_create(
                year=year, defaults={"fingerprint": wanted}
            )
    except IntegrityError:  # two first requests at once
        row, created = current(year), False
    if created or (row.needs_build(wanted) and builds.restart(row, wanted)):
        builds.send_after_commit(build_yearly_report, row.pk)
    return row


def build(report_id: int) -> str:
    """Count, lay out and store the report; returns the outcome ("ready", "gone", "failed")."""
    row = YearlyReport.objects.filter(pk=report_id).first()
    if row is None:
        return "gone"
    wanted = fingerprint(row.year)
    try:
        builds.report(row, "collecting", 2)
        on_figure = builds.progress_reporter(row, "collecting", 2, 40)
        on_page = builds.progress_reporter(row, "layout", 40, 95)
        rendered = report.render_pdf(
            row.year, on_figure=on_figure, on_page=lambda n: on_page(n / report.EXPECTED_PAGES)
        )
        builds.report(row, "writing", 97)
    except Exception as error:
        builds.fail(row, error)
        return "failed"
    builds.store(row, rendered.content, f"statistics-report-{row.year}.pdf", wanted)
    YearlyReport.objects.filter(pk=row.pk).update(pages=rendered.pages)
    return "ready"
