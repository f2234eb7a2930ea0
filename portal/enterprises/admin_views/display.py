"""Snapshots and diffs as a reviewer reads them: labels instead of field names, names
instead of codes.

Snapshots store codes (region ``450103``, industry ``D0101``, qualification type ``secrecy``)
so that they survive renames; a reviewer needs "南宁市 青秀区", "北斗导航" and
"武器装备科研生产单位保密资格". This module turns both a ``ProfileDiff`` and a whole snapshot
into rows of labelled text, looking every code up once per page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import Column

from ..diff import ProfileDiff, Run, char_diff
from ..fields import LISTS_BY_NAME, PROFILE_FIELDS
from ..models import Enterprise, Industry, Ownership, QualificationType, Region, StaffSize


class UsccColumn(Column):
    """A credit code with its lookup on 国家企业信用信息公示系统 (``uscc.html``)."""

    cell_template_name = "enterprises/admin/uscc_cell.html"


@dataclass(frozen=True)
class Row:
    """One labelled line of a profile: a field and its value as text."""

    label: str
    value: str


@dataclass(frozen=True)
class ChangedField:
    """A changed field; ``before_runs``/``after_runs`` mark what changed inside the texts."""

    label: str
    before: str
    after: str
    before_runs: list[Run]
    after_runs: list[Run]


@dataclass(frozen=True)
class ListTable:
    """A list (qualifications, products …) as a table: column labels and rows of text.

    ``added`` and ``removed`` are the diff's rows; ``rows`` is the whole list (snapshot view).
    """

    label: str
    columns: list[str]
    rows: list[list[str]]
    added: list[list[str]]
    removed: list[list[str]]


class Labeller:
    """Names for the codes in one or more snapshots, fetched in one query per kind."""

    def __init__(self, *snapshots: dict[str, Any] | None) -> None:
        regions: set[str] = set()
        industries: set[str] = set()
        for data in snapshots:
            if not data:
                continue
            if data.get("region"):
                regions.add(data["region"])
            industries.update(data.get("industries") or [])
        self.regions = {
            region.code: region.full_name
            for region in Region.objects.filter(code__in=regions).select_related("parent")
        }
        self.industries = dict(
            Industry.objects.filter(code__in=industries).values_list("code", "name")
        )
        self.qualification_types = dict(QualificationType.objects.values_list("code", "name"))
        self.choices = {
            "staff_size": dict(StaffSize.choices),
            "ownership": dict(Ownership.choices),
        }

    def field_label(self, name: str) -> str:
        return str(capfirst(Enterprise._meta.get_field(name).verbose_name))

    def list_label(self, name: str) -> str:
        return LISTS_BY_NAME[name].label

    def column_label(self, list_name: str, field: str) -> str:
        model = LISTS_BY_NAME[list_name].model
        return str(capfirst(model._meta.get_field(field).verbose_name))

    def value(self, name: str, value: Any) -> str:
        """A profile or list field's value as the reviewer should read it."""
        if value in (None, "", []):
            return "—"
        if name == "region":
            return self.regions.get(value, f"{value}（{_('unknown region')}）")
        if name == "industries":
            return "、".join(self.industries.get(code, code) for code in value)
        if name == "type":
            return self.qualification_types.get(value, value)
        if name in self.choices:
            return str(self.choices[name].get(value, value))
        if name == "capability_tags":
            return "、".join(str(tag) for tag in value)
        if name == "is_defense":
            return _("Yes") if value else _("No")
        if name == "document":
            return _("attached") if value else "—"
        return str(value)

    def row(self, list_name: str, item: dict[str, Any]) -> list[str]:
        return [
            self.value(field, item.get(field)) for field in LISTS_BY_NAME[list_name].field_names
        ]


def snapshot_rows(data: dict[str, Any], labeller: Labeller) -> tuple[list[Row], list[ListTable]]:
    """The whole snapshot: every profile field, then every list as a table."""
    rows = [
        Row(labeller.field_label(name), labeller.value(name, data.get(name)))
        for name in PROFILE_FIELDS
    ]
    tables = [
        ListTable(
            label=labeller.list_label(name),
            columns=[labeller.column_label(name, field) for field in spec.field_names],
            rows=[labeller.row(name, item) for item in data.get(name) or []],
            added=[],
            removed=[],
        )
        for name, spec in LISTS_BY_NAME.items()
    ]
    return rows, tables


def _text(value: str) -> str:
    """A shown value as text to compare: the dash that stands for "empty" compares as empty."""
    return "" if value == "—" else value


def diff_rows(diff: ProfileDiff, labeller: Labeller) -> tuple[list[ChangedField], list[ListTable]]:
    """The diff: changed fields with before and after, and changed lists' added/removed rows."""
    fields = []
    for change in diff.fields:
        before = labeller.value(change.name, change.before)
        after = labeller.value(change.name, change.after)
        old, new = char_diff(_text(before), _text(after))
        fields.append(ChangedField(labeller.field_label(change.name), before, after, old, new))
    tables = [
        ListTable(
            label=labeller.list_label(change.name),
            columns=[
                labeller.column_label(change.name, field)
                for field in LISTS_BY_NAME[change.name].field_names
            ],
            rows=[],
            added=[labeller.row(change.name, item) for item in change.added],
            removed=[labeller.row(change.name, item) for item in change.removed],
        )
        for change in diff.lists
    ]
    return fields, tables
