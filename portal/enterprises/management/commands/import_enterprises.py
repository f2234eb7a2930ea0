"""``python manage.py import_enterprises FILE [--dry-run]``: an agency's list into the registry.

Exits non-zero (CommandError) when the file is refused or any row has an error, so that a
scheduler notices; in that case nothing was written.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.enterprises.importing import FileRefused, run_import
from portal.enterprises.importing.progress import TqdmProgress


class Command(BaseCommand):
    help = "Import enterprises from an .xlsx or .csv file (docs/import-format.md); all or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row and report; write nothing"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (for logs)")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        progress = None if options["no_progress"] else TqdmProgress(self.stderr._out)
        try:
            with path.open("rb") as handle:
                report = run_import(
                    handle, path.name, dry_run=options["dry_run"], progress=progress
                )
        except FileRefused as error:
            raise CommandError(str(error)) from error
        for header in report.ignored_columns:
            self.stderr.write(f"忽略未知列 ignored column: {header}")
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(report.summary())
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} errors; nothing was written. Fix the rows and run again."
            )
        if report.dry_run:
            self.stdout.write("试运行，未写入 Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS("导入完成 Import complete."))
