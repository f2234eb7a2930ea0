"""Helpers for the import tests: valid credit codes and small spreadsheets written on the fly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from portal.enterprises.importing.columns import COLUMNS
from portal.enterprises.uscc import make_uscc, org_code_check_char

HEADERS = [column.header for column in COLUMNS]


def uscc(n: int, area: str = "450103") -> str:
    body = f"MA{n:06d}"
    return make_uscc("91" + area + body + org_code_check_char(body))


def row(n: int, **cells: str) -> dict[str, str]:
    base = {
        "统一社会信用代码": uscc(n),
        "企业名称": f"南宁测试{n}科技有限公司",
        "所在地区": "南宁市青秀区",
        "行业": "北斗导航、物联网",
        "资质": f"二级保密资格:桂BM{n}:2030-06-30；高新技术企业:GR{n}:2026-12-31",
        "企业简介": "专注北斗导航终端。",
        "主要产品": "北斗定位终端、短报文模块",
        "核心技术": "RTK定位",
        "联系人": "李明",
        "联系电话": "0771-5551234",
        "电子邮箱": "liming@example.com",
    }
    base.update(cells)
    return base


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    headers = list(dict.fromkeys(key for item in rows for key in item)) if rows else HEADERS
    writer = csv.DictWriter(buffer, fieldnames=headers, restval="")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[dict[str, str]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    headers = list(dict.fromkeys(key for item in rows for key in item))
    sheet.append(headers)
    for item in rows:
        sheet.append([item.get(h, "") for h in headers])
    workbook.save(path)
    return path
