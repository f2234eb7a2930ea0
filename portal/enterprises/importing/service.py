"""``run_import``: the one import procedure behind the command, the admin page and the task.

Phases: read the table (file-level guards), parse every row (pure), compare with the live
profiles, then - only when no row has an error and this is not a dry run - write everything in
one transaction. A file either goes in completely or not at all, so an agency never has to
work out which half of its list was taken.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Enterprise, Status
from . import columns as fmt
from .current import load_existing
from .merge import canonical, merge
from .progress import NoProgress, Progress
from .readers import FileRefused, Table, read_table
from .rows import ParsedRow, RowError, parse_row
from .writer import write


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: Headers the file has that the format does not know; their cells are ignored.
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False

    def summary(self) -> str:
        return _(
            "%(rows)d rows: %(created)d new, %(updated)d updated, %(unchanged)d unchanged, "
            "%(errors)d errors."
        ) % {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": len(self.errors),
        }


def _fold_header(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_FOLDED_HEADERS = {_fold_header(h): column for h, column in fmt.HEADER_TO_COLUMN.items()}


def map_headers(headers: list[str]) -> tuple[dict[str, str], list[str]]:
    """Snapshot key -> header as written in the file, and the headers we ignore."""
    header_of: dict[str, str] = {}
    ignored = []
    for header in headers:
        if not header:
            continue
        column = _FOLDED_HEADERS.get(_fold_header(header))
        if column is None:
            ignored.append(header)
            continue
        if column.key in header_of:
            raise FileRefused(
                _("Columns %(first)s and %(second)s both mean %(column)s; keep one.")
                % {"first": header_of[column.key], "second": header, "column": column.header}
            )
        header_of[column.key] = header
    missing = [c.header for c in fmt.COLUMNS if c.required and c.key not in header_of]
    if missing:
        raise FileRefused(
            _("Required columns are missing: %(columns)s. See the import format guide.")
            % {"columns": "、".join(missing)}
        )
    return header_of, ignored


def run_import(
    handle: IO[bytes],
    filename: str,
    *,
    dry_run: bool,
    user=None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``handle``; raises ``FileRefused`` for a file that cannot be read at all."""
    progress = progress or NoProgress()
    table = read_table(handle, filename)
    return import_table(table, dry_run=dry_run, user=user, progress=progress)


@dataclass
class Plan:
    """What a table would do: the report so far, the new profiles' snapshots and the changed
    profiles with their new snapshots (rows with errors are in neither)."""

    report: ImportReport
    header_of: dict[str, str]
    created: list[dict] = field(default_factory=list)
    updated: list[tuple[Enterprise, dict]] = field(default_factory=list)
    #: USCC -> the number of the row that carries it.
    rows_by_uscc: dict[str, int] = field(default_factory=dict)


def plan(table: Table, *, dry_run: bool, progress: Progress, live: bool = True) -> Plan:
    """Parse and compare every row with the registry; nothing is written.

    ``live``: the rows would change live profiles (an import), so profiles their enterprise
    maintains or that are under review are refused. Proposals that go to review instead
    (agencies' pushes) leave that check to the reviewer's queue.
    """
    header_of, ignored = map_headers(table.headers)
    report = ImportReport(dry_run=dry_run, rows=len(table.rows), ignored_columns=ignored)
    result = Plan(report, header_of)
    progress.start("检查 checking", len(table.rows))
    parsed: list[ParsedRow] = []
    first_row = result.rows_by_uscc
    for raw in table.rows:
        row = parse_row(raw, header_of)
        if row.uscc:
            if row.uscc in first_row:
                row.errors.append(
                    RowError(
                        row.number,
                        header_of["uscc"],
                        _("The same credit code is already in row %(row)d.")
                        % {"row": first_row[row.uscc]},
                    )
                )
            else:
                first_row[row.uscc] = row.number
        parsed.append(row)
        report.errors += row.errors
        progress.advance()
    progress.finish()

    existing = load_existing(row.uscc for row in parsed if row.uscc and not row.errors)
    for row in parsed:
        if row.errors:
            continue
        current = existing.get(row.uscc)
        data, problems = merge(current.data if current else None, row.values)
        for key, message in problems:
            header = header_of.get(key, fmt.BY_KEY[key].header)
            report.errors.append(RowError(row.number, header, message))
        if problems:
            continue
        if current is None:
            result.created.append(data)
        elif canonical(data) == canonical(current.data):
            report.unchanged += 1
        elif live and (current.has_owners or current.enterprise.status != Status.APPROVED):
            report.errors.append(
                RowError(
                    row.number,
                    header_of["uscc"],
                    _(
                        "This profile is maintained by its enterprise or is under review "
                        "(%(status)s); an import may not change it."
                    )
                    % {"status": current.enterprise.get_status_display()},
                )
            )
        else:
            result.updated.append((current.enterprise, data))
    report.errors.sort(key=lambda error: error.row)
    report.created, report.updated = len(result.created), len(result.updated)
    return result


def import_table(table: Table, *, dry_run: bool, user=None, progress: Progress) -> ImportReport:
    planned = plan(table, dry_run=dry_run, progress=progress)
    report = planned.report
    if report.errors or dry_run or not (planned.created or planned.updated):
        return report
    with transaction.atomic():
        write(planned.created, planned.updated, user=user, progress=progress)
    report.written = True
    return report
