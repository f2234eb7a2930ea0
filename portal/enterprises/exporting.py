"""Export profiles in the import format (docs/import-format.md), so a file reads back unchanged.

Text is written exactly as stored. In .xlsx every cell is a string cell (never a formula, even
when the text starts with "="); in .csv text a spreadsheet would run as a formula gets a leading
apostrophe that the import removes again. The template download is this writer with no rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from .fields import LIST_NAMES
from .importing import columns as fmt
from .importing.current import CHUNK
from .importing.readers import csv_escape
from .models import Enterprise, Status
from .snapshots import snapshot

HEADERS = [column.header for column in fmt.COLUMNS]


def default_queryset(include_all: bool = False) -> QuerySet[Enterprise]:
    """Approved profiles (what an agency may receive back); staff may export every state."""
    queryset = Enterprise.objects.order_by("uscc")
    return queryset if include_all else queryset.filter(status=Status.APPROVED)


def _capital(value: Any) -> str:
    if value in (None, ""):
        return ""
    return format(Decimal(value).normalize(), "f")


def row_for(data: dict[str, Any]) -> list[str]:
    """One profile snapshot as the cells of one row, in ``HEADERS`` order."""
    spelling = fmt.qualification_spelling()
    industry_names = fmt.industry_names()
    contact = (data.get("contacts") or [{}])[0]
    # The columns whose cell is not the snapshot's text as it is.
    cells = {
        "region": fmt.region_display().get(data["region"], data["region"]),
        "industries": fmt.LIST_JOIN.join(
            industry_names.get(code, code) for code in data.get("industries") or []
        ),
        "qualifications": fmt.ENTRY_JOIN.join(
            ":".join(
                [
                    spelling.get((q["type"], q.get("level") or ""), q["type"]),
                    q.get("number") or "",
                    q.get("valid_until") or "",
                ]
            ).rstrip(":")
            for q in data.get("qualifications") or []
        ),
        "products": fmt.LIST_JOIN.join(p["name"] for p in data.get("products") or []),
        "technologies": fmt.LIST_JOIN.join(t["name"] for t in data.get("technologies") or []),
        "capability_tags": fmt.LIST_JOIN.join(data.get("capability_tags") or []),
        "contact_name": contact.get("name", ""),
        "contact_phone": contact.get("phone", ""),
        "contact_email": contact.get("email", ""),
        "registered_capital": _capital(data.get("registered_capital")),
        "staff_size": fmt.STAFF_SIZE_LABELS.get(data.get("staff_size") or "", ""),
        "ownership": fmt.OWNERSHIP_LABELS.get(data.get("ownership") or "", ""),
    }
    return [
        cells[column.key] if column.key in cells else data.get(column.key) or ""
        for column in fmt.COLUMNS
    ]


def iter_rows(queryset: QuerySet[Enterprise]) -> Iterator[list[str]]:
    """Rows of ``queryset`` in chunks, each chunk one prefetching query per table."""
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = (
            Enterprise.objects.filter(pk__in=ids[start : start + CHUNK])
            .order_by("uscc")
            .prefetch_related("industries", *LIST_NAMES)
        )
        for enterprise in chunk:
            yield row_for(snapshot(enterprise))


def write_csv(path: Path, rows: Iterable[list[str]]) -> int:
    count = 0
    # utf-8-sig: Excel on Chinese Windows opens a BOM-marked file as UTF-8, not GB18030.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow([csv_escape(cell) for cell in row])
            count += 1
    return count


def write_xlsx(path: Path, rows: Iterable[list[str]], *, guide: bool = False) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名录")
    for index, column in enumerate(fmt.COLUMNS):
        letter = _letter(index)
        sheet.column_dimensions[letter].width = 40 if column.key in _WIDE else 16
    bold = Font(bold=True)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
        count += 1
    if guide:
        _write_guide(workbook)
    workbook.save(path)
    return count


_WIDE = {"name", "qualifications", "description", "products", "technologies", "capabilities"}


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _text_cell(sheet, value: str):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if value:
        cell.data_type = "s"  # text as typed, even "=…": never a formula
    cell.number_format = "@"
    return cell


GUIDE_ROWS = [
    ("列名", "必填", "写法", "示例"),
    ("统一社会信用代码", "是", "18位，广西登记；按此列更新已有企业", "91450100MA5KXXXXXX"),
    ("企业名称", "是", "营业执照上的全称", "南宁某某电子科技有限公司"),
    ("所在地区", "是", "市或县区名称，或行政区划代码", "南宁市青秀区 / 青秀区 / 450103"),
    ("行业", "", "一个或多个，用 、 或 ； 分隔，名称或代码", "北斗导航、物联网"),
    ("资质", "", "类型:编号:有效期至，多项用 ； 分隔", "二级保密资格:桂BM2023001:2027-06-30"),
    ("企业简介 / 能力说明", "", "文字，按原样保存", ""),
    ("主要产品 / 核心技术 / 能力标签", "", "名称，用 、 分隔", "北斗定位终端、短报文通信模块"),
    ("联系人 / 联系电话 / 电子邮箱", "", "第一联系人；有电话或邮箱时须填联系人", ""),
    ("成立日期", "", "年-月-日", "2015-03-12"),
    ("注册资本（万元）", "", "数字，单位万元", "5000"),
    ("人员规模", "", "、".join(fmt.STAFF_SIZE_LABELS.values()), "100-299人"),
    ("企业性质", "", "、".join(fmt.OWNERSHIP_LABELS.values()), "民营"),
    ("简称 / 法定代表人 / 地址 / 网址", "", "文字", ""),
]


def _write_guide(workbook) -> None:
    sheet = workbook.create_sheet("填写说明")
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["C"].width = 50
    sheet.column_dimensions["D"].width = 40
    for row in GUIDE_ROWS:
        sheet.append([_text_cell(sheet, value) for value in row])
    sheet.append([])
    note = "只读取第一个工作表；第一行为列名。详见 docs/import-format.md。"
    sheet.append([_text_cell(sheet, note)])


def export(path: Path, queryset: QuerySet[Enterprise]) -> int:
    """Write ``queryset`` to ``path`` (.xlsx or .csv by extension); returns the row count."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return write_csv(path, iter_rows(queryset))
    if suffix == ".xlsx":
        return write_xlsx(path, iter_rows(queryset))
    raise ValueError("export to .xlsx or .csv")


def write_template(path: Path) -> None:
    """The downloadable template: the headers, no rows, and a sheet explaining each column."""
    write_xlsx(path, [], guide=True)
