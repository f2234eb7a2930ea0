"""``python manage.py export_enterprises FILE [--all] | --template FILE``.

Writes the import format, so the file can be edited and imported again; approved profiles by
default, every state with ``--all`` (staff use: drafts are not meant for agencies).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.enterprises.exporting import default_queryset, export, write_template


class Command(BaseCommand):
    help = "Export enterprises to .xlsx or .csv in the import format (docs/import-format.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--all", action="store_true", help="every state, not only approved")
        parser.add_argument(
            "--template", action="store_true", help="write the empty import template instead"
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("The file name must end in .xlsx or .csv.")
        if options["template"]:
            if path.suffix.lower() != ".xlsx":
                raise CommandError("The template is an .xlsx file.")
            write_template(path)
            self.stdout.write(f"Template written to {path}")
            return
        count = export(path, default_queryset(include_all=options["all"]))
        self.stdout.write(f"{count} enterprises written to {path}")
