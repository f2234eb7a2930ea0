"""One spreadsheet row -> the profile values it states, or row errors (row, column, reason).

Parsing is pure (no database): the reference vocabularies and their alias tables come from the
JSON files (through ``columns`` and ``reference.aliases``), so that 10,000 rows parse in a second
or two and a dry run touches nothing.
Values come out in the snapshot's JSON shape (``snapshots``), ready to be merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from ..fields import PROFILE_BY_NAME, Kind
from ..models import Contact, Enterprise, Product, Qualification, Technology
from ..reference.aliases import load_region_codes, normalise_industry, normalise_qualification
from ..reference.nearest import nearest_industry_names
from ..snapshots import to_json
from ..uscc import validate_uscc
from . import columns as fmt
from .readers import RawRow


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "—",
            "message": self.message,
        }


@dataclass
class ParsedRow:
    number: int
    uscc: str = ""
    #: Snapshot key -> value, only for the columns the file has (absent columns keep data).
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_url = URLValidator(schemes=["http", "https"])


def parse_date(text: str) -> date:
    """2026-12-31, 2026/12/31, 2026.12.31 or 2026年12月31日; ValueError otherwise."""
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(text)
    return date(*(int(part) for part in match.groups()))


def _max_length(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


class _Row:
    """Collects the errors of one row while its columns are parsed."""

    def __init__(self, raw: RawRow, header_of: dict[str, str]) -> None:
        self.raw = raw
        self.header_of = header_of  # key -> header as spelled in this file
        self.parsed = ParsedRow(raw.number)

    def error(self, key: str, message: str) -> None:
        self.parsed.errors.append(RowError(self.raw.number, self.header_of.get(key, key), message))

    def text(self, key: str) -> str:
        return self.raw.cells.get(self.header_of[key], "")

    def length_ok(self, key: str, value: str, limit: int | None) -> bool:
        if limit is not None and len(value) > limit:
            self.error(
                key,
                _("%(length)d characters; at most %(limit)d are allowed.")
                % {"length": len(value), "limit": limit},
            )
            return False
        return True


def parse_row(raw: RawRow, header_of: dict[str, str]) -> ParsedRow:
    """Parse every present column of ``raw``; ``header_of`` maps snapshot keys to headers."""
    row = _Row(raw, header_of)
    for header in raw.formulas:
        row.parsed.errors.append(
            RowError(
                raw.number,
                header,
                _("The cell holds a formula; enter the value itself (paste as values)."),
            )
        )
        # The column's other checks are skipped: its value is unknown.
        header_of = {k: v for k, v in header_of.items() if v != header}
    row.header_of = header_of
    for key in header_of:
        parser_for(key)(row, key)
    return row.parsed


def _parse_text(row: _Row, key: str) -> None:
    value = row.text(key)
    if row.length_ok(key, value, _max_length(Enterprise, key)):
        row.parsed.values[key] = value


def _parse_required_text(row: _Row, key: str) -> None:
    if not row.text(key):
        row.error(key, _("This column is required."))
        return
    _parse_text(row, key)


def _parse_uscc(row: _Row, key: str) -> None:
    text = row.text(key)
    if not text:
        row.error(key, _("This column is required."))
        return
    try:
        row.parsed.uscc = validate_uscc(text, known_area_codes=load_region_codes())
    except ValidationError as error:
        row.error(key, " ".join(error.messages))
        return
    row.parsed.values["uscc"] = row.parsed.uscc


def _parse_region(row: _Row, key: str) -> None:
    text = row.text(key)
    if not text:
        row.error(key, _("This column is required."))
        return
    code = fmt.resolve_region(text)
    if code is None:
        row.error(
            key,
            _(
                "Unknown region %(text)s; write a Guangxi city or county such as 南宁市青秀区, "
                "青秀区 or its code 450103."
            )
            % {"text": text},
        )
        return
    row.parsed.values["region"] = code


def _names(text: str) -> list[str]:
    return [part.strip() for part in fmt.LIST_SEPARATORS.split(text) if part.strip()]


def _parse_industries(row: _Row, key: str) -> None:
    codes: set[str] = set()
    for name in _names(row.text(key)):
        mapped = normalise_industry(name)
        if mapped is None:
            row.error(key, unknown_industry_message(name))
        else:
            codes.update(mapped)
    row.parsed.values["industries"] = sorted(codes)


def unknown_industry_message(name: str) -> str:
    """The row error for an industry the alias table does not know, naming the nearest names.

    The names are the directions' own, so the reader learns what to write; with nothing close
    the error points to the format guide instead of suggesting noise.
    """
    nearest = nearest_industry_names(name)
    if not nearest:
        return _("Unknown industry %(name)s; use the names or codes in the format guide.") % {
            "name": name
        }
    return _("Unknown industry %(name)s; did you mean: %(names)s?") % {
        "name": name,
        "names": fmt.LIST_JOIN.join(nearest),
    }


def _parse_name_list(model) -> Any:
    def parse(row: _Row, key: str) -> None:
        names = _names(row.text(key))
        limit = _max_length(model, "name")
        if all(row.length_ok(key, name, limit) for name in names):
            row.parsed.values[key] = list(dict.fromkeys(names))

    return parse


def _parse_tags(row: _Row, key: str) -> None:
    row.parsed.values[key] = list(dict.fromkeys(_names(row.text(key))))


def _parse_qualifications(row: _Row, key: str) -> None:
    items = []
    number_limit = _max_length(Qualification, "number")
    for entry in fmt.ENTRY_SEPARATORS.split(row.text(key)):
        entry = entry.strip()
        if not entry:
            continue
        parts = [part.strip() for part in fmt.PART_SEPARATORS.split(entry)]
        if len(parts) > 3:
            row.error(
                key,
                _("%(entry)s: write each qualification as type:number:valid until.")
                % {"entry": entry},
            )
            continue
        type_text, number, until = [*parts, "", ""][:3]
        mapped = normalise_qualification(type_text)
        if mapped is None:
            row.error(
                key,
                _(
                    "Unknown qualification type %(type)s; use a name from the format guide "
                    "(e.g. 二级保密资格, GJB 9001C-2017, 国家高新技术企业)."
                )
                % {"type": type_text},
            )
            continue
        if not row.length_ok(key, number, number_limit):
            continue
        valid_until = None
        if until:
            try:
                valid_until = parse_date(until).isoformat()
            except ValueError:
                row.error(
                    key,
                    _("%(entry)s: %(date)s is not a date; write it as 2027-06-30.")
                    % {"entry": entry, "date": until},
                )
                continue
        items.append(
            {"type": mapped[0], "level": mapped[1], "number": number, "valid_until": valid_until}
        )
    row.parsed.values[key] = items


def _date_cell(row: _Row, key: str) -> tuple[bool, date | None]:
    """(whether the cell is usable, its date); an unreadable date is reported."""
    text = row.text(key)
    if not text:
        return True, None
    try:
        return True, parse_date(text)
    except ValueError:
        row.error(key, _("%(date)s is not a date; write it as 2015-03-12.") % {"date": text})
        return False, None


def _parse_date(row: _Row, key: str) -> None:
    usable, value = _date_cell(row, key)
    if usable:
        row.parsed.values[key] = value.isoformat() if value else None


def _parse_founded(row: _Row, key: str) -> None:
    usable, founded = _date_cell(row, key)
    if not usable:
        return
    if founded is not None and founded > date.today():
        row.error(key, _("The founding date is in the future."))
        return
    row.parsed.values[key] = founded.isoformat() if founded else None


def _parse_capital(row: _Row, key: str) -> None:
    text = row.text(key).replace(",", "").replace("，", "").removesuffix("万元").strip()
    if not text:
        row.parsed.values[key] = None
        return
    try:
        value = Decimal(text)
    except InvalidOperation:
        row.error(key, _("%(value)s is not a number of 10,000 CNY.") % {"value": text})
        return
    if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
        row.error(key, _("%(value)s is out of range.") % {"value": text})
        return
    # As PostgreSQL returns the column (two decimals), so that an unchanged row compares equal.
    row.parsed.values[key] = to_json(key, value.quantize(Decimal("0.01")))


def _parse_choice(lookup) -> Any:
    def parse(row: _Row, key: str) -> None:
        text = row.text(key)
        if not text:
            row.parsed.values[key] = ""
            return
        code = lookup().get(fmt.fold_choice(text))
        if code is None:
            labels = fmt.STAFF_SIZE_LABELS if key == "staff_size" else fmt.OWNERSHIP_LABELS
            row.error(
                key,
                _("%(value)s is not one of: %(choices)s.")
                % {"value": text, "choices": "、".join(labels.values())},
            )
            return
        row.parsed.values[key] = str(code)

    return parse


def _parse_website(row: _Row, key: str) -> None:
    text = row.text(key)
    if text and "://" not in text:
        text = "http://" + text  # agencies write www.example.com; the model stores a URL
    if text:
        try:
            _url(text)
        except ValidationError:
            row.error(key, _("%(value)s is not a web address.") % {"value": row.text(key)})
            return
    if row.length_ok(key, text, _max_length(Enterprise, "website")):
        row.parsed.values[key] = text


def _parse_contact_field(row: _Row, key: str) -> None:
    text = row.text(key)
    model_field = {"contact_name": "name", "contact_phone": "phone", "contact_email": "email"}[key]
    if not row.length_ok(key, text, _max_length(Contact, model_field)):
        return
    if key == "contact_email" and text:
        try:
            validate_email(text)
        except ValidationError:
            row.error(key, _("%(value)s is not an e-mail address.") % {"value": text})
            return
    row.parsed.values[key] = text


_PARSERS = {
    "uscc": _parse_uscc,
    "name": _parse_required_text,
    "region": _parse_region,
    "industries": _parse_industries,
    "qualifications": _parse_qualifications,
    "products": _parse_name_list(Product),
    "technologies": _parse_name_list(Technology),
    "capability_tags": _parse_tags,
    "founded_on": _parse_founded,
    "registered_capital": _parse_capital,
    "staff_size": _parse_choice(fmt.staff_size_lookup),
    "ownership": _parse_choice(fmt.ownership_lookup),
    "website": _parse_website,
    "contact_name": _parse_contact_field,
    "contact_phone": _parse_contact_field,
    "contact_email": _parse_contact_field,
}

#: Parsers of the profile fields without one of their own, by kind (``fields.PROFILE``).
_KIND_PARSERS = {Kind.DATE: _parse_date, Kind.URL: _parse_website}


def parser_for(key: str):
    """The column's own parser, else its field kind's; text as it is for the rest."""
    if key in _PARSERS:
        return _PARSERS[key]
    spec = PROFILE_BY_NAME.get(key)
    return _KIND_PARSERS.get(spec.kind, _parse_text) if spec else _parse_text
