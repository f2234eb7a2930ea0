"""A figure as CSV: UTF-8 with a byte-order mark, so that Excel opens the Chinese correctly.

Cells that a spreadsheet would read as a formula (search terms are typed by anyone) are
prefixed with an apostrophe, the usual guard against CSV formula injection.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse

from .figures import Figure
from .periods import Period

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def figure_csv(figure: Figure) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in figure.header])
    writer.writerows([[_cell(c) for c in row] for row in figure.rows])
    return buffer.getvalue()


def filename(figure: Figure, period: Period) -> str:
    return f"statistics-{figure.key}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"


def csv_response(figure: Figure, period: Period) -> HttpResponse:
    response = HttpResponse(
        ("\ufeff" + figure_csv(figure)).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(figure, period)}"'
    return response
