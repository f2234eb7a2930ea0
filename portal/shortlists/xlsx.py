"""A shortlist as an Excel workbook: one row per supplier the exporter may read.

Cells are text cells as stored (never formulas, even for text starting with "="). A field the
exporter may not read is written as ``REDACTED``, so that a blank cell always means "empty"
and a hidden one says so; suppliers the exporter may not see are left out and counted in a
closing line. Chinese headers: the file is a Chinese working document whatever the UI language.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone

from .models import Shortlist
from .suppliers import SupplierRow, Suppliers

REDACTED = "〔无权查看〕"
SHEET = "候选供应商名单"
#: (field key, header, column width)
COLUMNS = [
    ("name", "企业名称", 36),
    ("uscc", "统一社会信用代码", 22),
    ("region", "所在地区", 18),
    ("industries", "行业", 30),
    ("qualifications", "资质", 60),
    ("contacts", "联系人", 36),
    ("note", "备注", 40),
]


def qualification_text(item: dict[str, Any]) -> str:
    """ "GJB 9001C-2017 质量管理体系认证 二级（有效期至 2027-06-30）", "已过期" when it is."""
    label = " ".join(part for part in (item["type"], item.get("level") or "") if part)
    until = item.get("valid_until")
    state = "，已过期" if item.get("state") == "expired" else ""
    if until:
        return f"{label}（有效期至 {until:%Y-%m-%d}{state}）"
    return f"{label}（长期有效{state}）"


def contact_text(item: dict[str, Any]) -> str:
    parts = (item.get(key) or "" for key in ("name", "job_title", "phone", "email"))
    return " ".join(part for part in parts if part)


def cell_text(row: SupplierRow, key: str) -> str:
    """The text of one cell, or ``REDACTED`` when the exporter may not read that field."""
    if key == "note":
        return row.note
    if key in row.redacted:
        return REDACTED
    value = row.data.get(key)
    if key == "industries":
        return "、".join(value or [])
    if key == "qualifications":
        return "；".join(qualification_text(item) for item in value or [])
    if key == "contacts":
        return "；".join(contact_text(item) for item in value or [])
    return str(value or "")


def omitted_text(omitted: int) -> str:
    return f"另有 {omitted} 家供应商因您当前无权查看而未导出。"


def _text_cell(sheet, value: str, font=None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if value:
        cell.data_type = "s"  # text as typed, even "=…": never a formula
    if font is not None:
        cell.font = font
    return cell


def write(shortlist: Shortlist, suppliers: Suppliers, exporter) -> bytes:
    """The workbook as bytes: sheet 1 the suppliers, sheet 2 what this file is."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    for index, (_key, _header, width) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_text_cell(sheet, header, bold) for _key, header, _width in COLUMNS])
    for row in suppliers.rows:
        sheet.append([_text_cell(sheet, cell_text(row, key)) for key, _h, _w in COLUMNS])
    if suppliers.omitted:
        sheet.append([])
        sheet.append([_text_cell(sheet, omitted_text(suppliers.omitted))])

    about = workbook.create_sheet("说明")
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 60
    owner = shortlist.owner
    facts = [
        ("名单名称", shortlist.name),
        ("说明", shortlist.description),
        ("创建人", owner.get_full_name() or owner.get_username()),
        ("导出人", exporter.get_full_name() or exporter.get_username()),
        ("导出时间", f"{timezone.localtime():%Y-%m-%d %H:%M}"),
        ("供应商数", str(len(suppliers.rows))),
        ("未导出", str(suppliers.omitted)),
        ("注", f"“{REDACTED}”表示您当前的权限不能查看该项内容。"),
    ]
    for label, value in facts:
        about.append([_text_cell(about, label, bold), _text_cell(about, value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
