"""The enterprise profile's fields, declared once.

Snapshots and the reviewer's diff, the wizard's forms, the owner's API, spreadsheet import and
export and the release tiers all read their field lists from here, so that a new profile field
is one entry below (plus its model field and migration). Column order, widgets and limits that
are not in the model are stated here too; a module keeps special handling only for what one
field needs beyond its kind (the region's code lookup, the tag separators …).

The spec names no model class: ``models.enterprise`` reads the release tiers from it, so models
are looked up through the app registry when first needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from classification.tiers import Tier


class Kind(StrEnum):
    """How a value is stored in a snapshot and edited: one kind, one JSON conversion."""

    TEXT = "text"  # a string, "" when empty; long texts are model TextFields
    URL = "url"
    EMAIL = "email"
    CHOICE = "choice"  # a code of the model field's choices, "" when empty
    FK = "fk"  # the related row's code (its primary key)
    CODES = "codes"  # many-to-many: a sorted list of codes
    TAGS = "tags"  # a list of short strings
    DECIMAL = "decimal"  # a decimal string ("500", "123.5"), None when empty
    DATE = "date"  # an ISO date string, None when empty
    INTEGER = "integer"
    BOOLEAN = "boolean"
    FILE = "file"  # the stored file's name, "" when none


#: The wizard step that edits the profile's own fields.
BASICS_STEP = "basics"

#: Kinds whose snapshot value is a list.
LIST_KINDS = frozenset({Kind.CODES, Kind.TAGS})
#: Kinds whose empty snapshot value is None rather than "".
NULL_KINDS = frozenset({Kind.DECIMAL, Kind.DATE, Kind.INTEGER})


@dataclass(frozen=True)
class Column:
    """One column of the import/export spreadsheet (docs/import-format.md)."""

    header: str
    key: str
    required: bool = False
    #: Other spellings people put in the header row (full-width brackets, 单位 instead of 企业).
    aliases: tuple[str, ...] = ()
    #: Place in the sheet, left to right; the agencies' lists put the basics first.
    position: int = 0


@dataclass(frozen=True)
class ProfileField:
    """One field of the profile or of a list item."""

    name: str
    #: The label people read on the wizard (translated; the msgid is English).
    label: Promise
    kind: Kind = Kind.TEXT
    #: The spreadsheet column, if import and export carry this field.
    column: Column | None = None
    #: In snapshots, the reviewer's diff and approval (every field today).
    in_snapshot: bool = True
    #: Changeable through the owner's PATCH (the credit code is not).
    in_serializer: bool = True
    #: On the wizard: profile fields on the ``BASICS_STEP`` form, item fields on their list's
    #: step, in the order declared here.
    in_form: bool = True
    #: Read by the search document builder (``SEARCH_PROFILE_COLUMNS``).
    in_search: bool = False
    #: Release tier above the profile's own, and the key ``classification.redaction`` drops.
    tier: Tier | None = None
    #: Rows of the wizard's textarea; 0 for a one-line input.
    rows: int = 0
    help_text: Promise | str = ""

    @property
    def attname(self) -> str:
        """The model attribute holding the value (``region_id`` for a foreign key)."""
        return f"{self.name}_id" if self.kind is Kind.FK else self.name

    def empty(self) -> Any:
        """The snapshot value of an unfilled field."""
        if self.kind in LIST_KINDS:
            return []
        if self.kind is Kind.BOOLEAN:
            return False
        return None if self.kind in NULL_KINDS or self.kind is Kind.FK else ""

    def to_json(self, value: Any) -> Any:
        """A model value as snapshots store it."""
        if value is None:
            return None
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")  # "500", "123.5": never "5E+2"
        if self.kind is Kind.FILE:
            return value.name or ""
        return value

    def from_json(self, value: Any) -> Any:
        """A snapshot value as the model field takes it."""
        if self.kind is Kind.DATE:
            return date.fromisoformat(value) if value else None
        if self.kind is Kind.DECIMAL:
            return Decimal(value) if value not in (None, "") else None
        return value


@dataclass(frozen=True)
class ProfileList:
    """A list on the profile (products, qualifications …): a model and its item fields."""

    name: str
    model_name: str
    fields: tuple[ProfileField, ...]
    #: The wizard step whose formset edits it.
    step: str
    #: Items carry a ``position`` (qualifications are ordered by type and validity instead).
    positioned: bool = True
    #: Spreadsheet columns carrying (part of) the list; their parsing is the list's own.
    columns: tuple[Column, ...] = ()
    #: Item fields whose text the search document indexes (names, descriptions).
    search_text: tuple[str, ...] = ()
    #: Further item columns the search document builder reads, as ``values()`` names them.
    search_columns: tuple[str, ...] = ()
    tier: Tier | None = None
    #: Most items a formset accepts.
    max_items: int = 50

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model("enterprises", self.model_name)

    @property
    def label(self) -> str:
        """The list's heading: its model's plural name, as the admin shows it too."""
        return str(capfirst(self.model._meta.verbose_name_plural))

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(item_field.name for item_field in self.fields)


def _col(header: str, key: str, position: int, *aliases: str, required: bool = False) -> Column:
    return Column(header, key, required=required, aliases=aliases, position=position)


PROFILE: tuple[ProfileField, ...] = (
    ProfileField(
        "uscc",
        _("Unified social credit code"),
        column=_col("统一社会信用代码", "uscc", 1, "信用代码", "社会信用代码", required=True),
        in_serializer=False,
        in_search=True,
        help_text=_("18 characters, as printed on the business licence."),
    ),
    ProfileField(
        "name",
        _("Company name"),
        column=_col("企业名称", "name", 2, "单位名称", "名称", required=True),
        in_search=True,
    ),
    ProfileField(
        "short_name",
        _("Short name"),
        column=_col("简称", "short_name", 3, "企业简称"),
        in_search=True,
    ),
    ProfileField(
        "legal_representative",
        _("Legal representative"),
        column=_col("法定代表人", "legal_representative", 15, "法人代表", "法人"),
        tier=Tier.REGISTERED,
    ),
    ProfileField(
        "founded_on",
        _("Founded on"),
        Kind.DATE,
        column=_col("成立日期", "founded_on", 16, "成立时间"),
    ),
    ProfileField(
        "registered_capital",
        _("Registered capital (10,000 CNY)"),
        Kind.DECIMAL,
        column=_col("注册资本（万元）", "registered_capital", 17, "注册资本(万元)", "注册资本"),
    ),
    ProfileField(
        "staff_size",
        _("Staff size"),
        Kind.CHOICE,
        column=_col("人员规模", "staff_size", 18, "职工人数", "员工规模"),
        in_search=True,
    ),
    ProfileField(
        "ownership",
        _("Ownership"),
        Kind.CHOICE,
        column=_col("企业性质", "ownership", 19, "所有制", "单位性质"),
        in_search=True,
    ),
    ProfileField(
        "region",
        _("Region"),
        Kind.FK,
        column=_col("所在地区", "region", 4, "地区", "所属地区", "行政区划", required=True),
        in_search=True,
    ),
    ProfileField(
        "address",
        _("Address"),
        column=_col("地址", "address", 20, "详细地址", "通讯地址"),
    ),
    ProfileField(
        "website",
        _("Website"),
        Kind.URL,
        column=_col("网址", "website", 21, "网站", "企业网址"),
    ),
    ProfileField(
        "industries",
        _("Industries"),
        Kind.CODES,
        column=_col("行业", "industries", 5, "所属行业", "行业领域"),
    ),
    ProfileField(
        "description",
        _("Company profile"),
        column=_col("企业简介", "description", 7, "简介", "单位简介"),
        in_search=True,
        rows=5,
    ),
    ProfileField(
        "capabilities",
        _("Capabilities"),
        column=_col("能力说明", "capabilities", 10, "能力"),
        in_search=True,
        rows=4,
        help_text=_("What the company can make or do for defence customers."),
    ),
    ProfileField(
        "capability_tags",
        _("Capability tags"),
        Kind.TAGS,
        column=_col("能力标签", "capability_tags", 11),
        in_search=True,
        help_text=_("Separated by commas or 、, e.g. 精密加工、北斗定位."),
    ),
)

_DESCRIPTION = ProfileField("description", _("Description"), rows=2)

LISTS: tuple[ProfileList, ...] = (
    ProfileList(
        "qualifications",
        "Qualification",
        (
            ProfileField("type", _("Qualification"), Kind.FK),
            ProfileField("number", _("Certificate number")),
            ProfileField("issuer", _("Issued by")),
            ProfileField("level", _("Level")),
            ProfileField("valid_from", _("Valid from"), Kind.DATE),
            ProfileField("valid_until", _("Valid until"), Kind.DATE),
            ProfileField(
                "document",
                _("Scanned certificate (PDF, JPG or PNG, up to 10 MB)"),
                Kind.FILE,
                in_serializer=False,
            ),
        ),
        step="qualifications",
        positioned=False,
        columns=(_col("资质", "qualifications", 6, "资质情况", "资质证书"),),
        search_columns=("type_id", "level", "valid_from", "valid_until"),
        max_items=30,
    ),
    ProfileList(
        "products",
        "Product",
        (ProfileField("name", _("Product")), _DESCRIPTION),
        step="products",
        columns=(_col("主要产品", "products", 8, "产品"),),
        search_text=("name", "description"),
    ),
    ProfileList(
        "technologies",
        "Technology",
        (ProfileField("name", _("Core technology")), _DESCRIPTION),
        step="products",
        columns=(_col("核心技术", "technologies", 9, "技术"),),
        search_text=("name", "description"),
    ),
    ProfileList(
        "patents",
        "Patent",
        (
            ProfileField("number", _("Patent number")),
            ProfileField("title", _("Title")),
            ProfileField("is_defense", _("Defence patent (国防专利)"), Kind.BOOLEAN),
            ProfileField("granted_on", _("Granted on"), Kind.DATE),
        ),
        step="products",
    ),
    ProfileList(
        "cases",
        "Case",
        (
            ProfileField("title", _("Project")),
            ProfileField("client", _("Client")),
            ProfileField("year", _("Year"), Kind.INTEGER),
            _DESCRIPTION,
        ),
        step="products",
    ),
    ProfileList(
        "contacts",
        "Contact",
        (
            ProfileField("name", _("Contact person")),
            ProfileField("job_title", _("Job title")),
            ProfileField("phone", _("Phone")),
            ProfileField("email", _("E-mail"), Kind.EMAIL),
        ),
        step="contacts",
        columns=(
            _col("联系人", "contact_name", 12),
            _col("联系电话", "contact_phone", 13, "电话"),
            _col("电子邮箱", "contact_email", 14, "邮箱", "电子邮件"),
        ),
        tier=Tier.VETTED,
    ),
)

PROFILE_BY_NAME: dict[str, ProfileField] = {spec.name: spec for spec in PROFILE}
LISTS_BY_NAME: dict[str, ProfileList] = {spec.name: spec for spec in LISTS}

#: Snapshot keys of the profile's own fields, in display order.
PROFILE_FIELDS: tuple[str, ...] = tuple(spec.name for spec in PROFILE if spec.in_snapshot)
#: Snapshot keys of the lists, in display order.
LIST_NAMES: tuple[str, ...] = tuple(spec.name for spec in LISTS)

#: Every spreadsheet column, left to right.
COLUMNS: tuple[Column, ...] = tuple(
    sorted(
        [spec.column for spec in PROFILE if spec.column]
        + [column for spec in LISTS for column in spec.columns],
        key=lambda column: column.position,
    )
)

#: The key under which the presentation dict carries the scans' download links; scans are
#: released with the contacts' tier, apart from the rest of a qualification.
DOCUMENTS_KEY = "qualification_documents"

#: Field or list name -> the tier above the profile's own that it needs.
FIELD_TIERS: dict[str, Tier] = {
    **{spec.name: spec.tier for spec in LISTS if spec.tier},
    DOCUMENTS_KEY: Tier.VETTED,
    **{spec.name: spec.tier for spec in PROFILE if spec.tier},
}
#: What a reader is told is withheld, for the tiered keys whose label is not the field's own.
FIELD_LABELS: dict[str, Promise] = {
    "contacts": _("contacts"),
    DOCUMENTS_KEY: _("scanned certificates"),
}

#: The enterprise columns a search document is built from, as ``values()`` names them.
SEARCH_PROFILE_COLUMNS: tuple[str, ...] = (
    "id",
    "tier",
    *(spec.attname for spec in PROFILE if spec.in_search),
    "updated_at",
    "confirmed_at",
)
#: List name -> the item columns a search document reads (``enterprise_id`` aside).
SEARCH_LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    spec.name: (*spec.search_text, *spec.search_columns)
    for spec in LISTS
    if spec.search_text or spec.search_columns
}
#: List name -> its item fields holding text to index (names and descriptions).
SEARCH_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    spec.name: spec.search_text for spec in LISTS if spec.search_text
}


def profile_field(name: str) -> ProfileField:
    """The spec of a profile field by its snapshot key."""
    return PROFILE_BY_NAME[name]


def profile_list(name: str) -> ProfileList:
    """The spec of a list by its snapshot key."""
    return LISTS_BY_NAME[name]
