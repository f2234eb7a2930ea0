"""``manage.py yearly_report --year 2026 [--output path]``: the 年度统计监测报告 as PDF.

Refused input (a year out of range, an output folder that cannot be written) exits non-zero
with a message, so that a scheduler notices. The PDF is written to a temporary file beside
the target and renamed into place, so a failed run never leaves half a report.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...report import render_pdf, title

FIRST_YEAR, LAST_YEAR = 2000, 2100


class Command(BaseCommand):
    help = "Build the yearly statistics monitoring report (年度统计监测报告) as a PDF."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True, help="calendar year, e.g. 2026")
        parser.add_argument(
            "--output",
            help="PDF path (default: var/reports/statistics-report-YEAR.pdf)",
        )

    def handle(self, *args, year: int, output: str | None = None, **options) -> None:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(f"--year must lie between {FIRST_YEAR} and {LAST_YEAR}.")
        target = Path(
            output or Path(settings.BASE_DIR) / "var" / "reports" / f"statistics-report-{year}.pdf"
        )
        if target.exists() and target.is_dir():
            raise CommandError(f"{target} is a folder; give a file name.")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create {target.parent}: {error}") from error
        pdf = render_pdf(year)
        temporary = None
        try:
            handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".pdf.part")
            with os.fdopen(handle, "wb") as stream:
                stream.write(pdf.content)
            os.replace(temporary, target)
        except OSError as error:
            if temporary and os.path.exists(temporary):
                os.unlink(temporary)
            raise CommandError(f"Cannot write {target}: {error}") from error
        self.stdout.write(f"{title(year)}: {target} ({pdf.pages} pages)")
