"""Reading an uploaded table safely: size, zip-bomb and formula guards, encodings.

Agencies send .xlsx and .csv. An .xlsx is a zip archive, so its declared uncompressed size and
compression ratio are checked *before* openpyxl inflates anything; formulas are refused because
the value a formula shows is computed by the spreadsheet program and is not in the file we read.
CSV comes in UTF-8 (with or without BOM) from modern tools and GB18030 from older Excel on
Chinese Windows; UTF-8 is tried first because it fails loudly on GB18030 bytes, not vice versa.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 100
# An .xlsx of 50,000 rows inflates to well under 200 MB; a bomb declares gigabytes.
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
# Worksheet XML compresses ~10:1; a ratio above this for a member over 1 MB is a bomb.
MAX_RATIO = 100
_RATIO_MIN_SIZE = 1024 * 1024
MAX_ZIP_MEMBERS = 2_000


class FileRefused(Exception):
    """The whole file is refused (too big, not a spreadsheet, a zip bomb); nothing was read."""


@dataclass
class RawRow:
    """One data row: its 1-based row number in the file and its cells by header."""

    number: int
    cells: dict[str, str]
    #: Headers of cells that hold a formula (refused with a row error).
    formulas: list[str]


@dataclass
class Table:
    headers: list[str]
    rows: list[RawRow]


def _check_size(size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise FileRefused(
            _("The file is %(size)d MB; the limit is %(limit)d MB. Split it into smaller files.")
            % {"size": size // (1024 * 1024), "limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )


def read_table(handle: IO[bytes], filename: str) -> Table:
    """Read ``handle`` (.xlsx or .csv by ``filename``) into header-keyed text cells."""
    handle.seek(0, io.SEEK_END)
    _check_size(handle.tell())
    handle.seek(0)
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        return _read_xlsx(handle)
    if lower.endswith(".csv"):
        return _read_csv(handle.read())
    raise FileRefused(_("Only .xlsx and .csv files can be imported."))


def check_zip(handle: IO[bytes]) -> None:
    """Refuse an archive whose members would inflate beyond the limits (a zip bomb)."""
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile as error:
        raise FileRefused(_("This is not a valid .xlsx file (it is not a zip archive).")) from error
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileRefused(_("The .xlsx file has too many parts to be a spreadsheet."))
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_MIN_SIZE and ratio > MAX_RATIO:
            raise FileRefused(
                _(
                    "The .xlsx file is refused: a part compresses %(ratio)d:1, which only "
                    "happens with a zip bomb."
                )
                % {"ratio": ratio}
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileRefused(
            _("The .xlsx file would inflate to %(size)d MB; the limit is %(limit)d MB.")
            % {"size": total // (1024 * 1024), "limit": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
        )
    handle.seek(0)


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: dates as YYYY-MM-DD, 500.0 as 500."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(handle: IO[bytes]) -> Table:
    from openpyxl import load_workbook

    check_zip(handle)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for broken files
        message = _("The .xlsx file cannot be read: %(error)s") % {"error": error}
        raise FileRefused(message) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows()
        headers = _headers([cell_text(cell.value) for cell in next(rows, ())])
        table = Table(headers=headers, rows=[])
        for number, cells in enumerate(rows, start=2):
            texts: dict[str, str] = {}
            formulas: list[str] = []
            for header, cell in zip(headers, cells, strict=False):
                if not header:
                    continue
                if getattr(cell, "data_type", None) == "f":
                    formulas.append(header)
                    texts[header] = ""
                else:
                    texts[header] = cell_text(cell.value)
            _append(table, RawRow(number, texts, formulas))
        return table
    finally:
        workbook.close()


def decode_csv(data: bytes) -> str:
    """UTF-8 (BOM stripped) or, when that fails, GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as error:
            raise FileRefused(
                _("The CSV file is neither UTF-8 nor GB18030 text; save it as UTF-8 CSV.")
            ) from error


#: Export escapes text that a spreadsheet would run as a formula with a leading apostrophe
#: (OWASP's CSV-injection advice); import removes exactly that apostrophe again.
FORMULA_STARTS = "=+-@\t\r"


def csv_escape(text: str) -> str:
    if text and (
        text[0] in FORMULA_STARTS
        or (text[0] == "'" and len(text) > 1 and text[1] in FORMULA_STARTS + "'")
    ):
        return "'" + text
    return text


def csv_unescape(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS + "'":
        return text[1:]
    return text


def _read_csv(data: bytes) -> Table:
    text = decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = _headers([cell.strip() for cell in next(reader, [])])
        table = Table(headers=headers, rows=[])
        for number, cells in enumerate(reader, start=2):
            texts = {
                header: csv_unescape(cell.strip())
                for header, cell in zip(headers, cells, strict=False)
                if header
            }
            _append(table, RawRow(number, texts, []))
    except csv.Error as error:
        raise FileRefused(
            _("The CSV file is malformed near line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    return table


def _headers(cells: list[str]) -> list[str]:
    if len(cells) > MAX_COLUMNS:
        cells = cells[:MAX_COLUMNS]
    headers = [cell.strip().lstrip("\ufeff") for cell in cells]
    if not any(headers):
        raise FileRefused(_("The first row must hold the column headers; it is empty."))
    return headers


def _append(table: Table, row: RawRow) -> None:
    if not any(row.cells.values()) and not row.formulas:
        return  # blank lines between blocks are common and mean nothing
    if len(table.rows) >= MAX_ROWS:
        raise FileRefused(
            _("The file has more than %(limit)d rows; split it into smaller files.")
            % {"limit": MAX_ROWS}
        )
    table.rows.append(row)
