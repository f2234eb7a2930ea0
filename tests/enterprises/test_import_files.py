"""File-level guards of the import: encodings, formulas, zip bombs, size and row limits."""

from __future__ import annotations

import io
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portal.enterprises.importing import FileRefused, readers, run_import
from portal.enterprises.models import Enterprise

from .importing_helpers import row, uscc, write_csv, write_xlsx


def _run(path, dry_run=False):
    with path.open("rb") as handle:
        return run_import(handle, path.name, dry_run=dry_run)


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(tmp_path, encoding) -> None:
    report = _run(
        write_csv(
            tmp_path / "e.csv", [row(1, 企业名称="桂林漓江北斗导航科技有限公司")], encoding=encoding
        )
    )
    assert report.errors == [] and report.created == 1
    assert Enterprise.objects.get(uscc=uscc(1)).name == "桂林漓江北斗导航科技有限公司"


def test_undecodable_csv_is_refused() -> None:
    with pytest.raises(FileRefused, match="UTF-8"):
        readers.decode_csv(b"\x81\x30\xff\xff\x00")


@pytest.mark.django_db
def test_formula_cells_are_refused_with_a_row_error(tmp_path) -> None:
    path = write_xlsx(tmp_path / "f.xlsx", [row(1), row(2, 企业简介="=CONCAT(A2,B2)")])
    report = _run(path)
    assert [(e.row, e.column) for e in report.errors] == [(3, "企业简介")]
    assert "公式" in report.errors[0].message
    assert not Enterprise.objects.exists()


def _bomb(path, size: int) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)


@pytest.mark.django_db
def test_zip_bomb_is_refused_before_inflating(tmp_path) -> None:
    path = tmp_path / "bomb.xlsx"
    _bomb(path, 300 * 1024 * 1024)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(CommandError, match=r"压缩炸弹|解压后"):
        call_command("import_enterprises", str(path), "--no-progress", stdout=StringIO())
    assert not Enterprise.objects.exists()


def test_high_ratio_member_is_refused(tmp_path) -> None:
    path = tmp_path / "ratio.xlsx"
    _bomb(path, 20 * 1024 * 1024)  # under the total limit, but ~1000:1
    with path.open("rb") as handle, pytest.raises(FileRefused, match="压缩炸弹"):
        readers.check_zip(handle)


def test_not_a_zip_is_refused() -> None:
    with pytest.raises(FileRefused, match="zip"):
        readers.read_table(io.BytesIO(b"this is text, not a workbook"), "fake.xlsx")


def test_50_mb_upload_is_refused_without_reading() -> None:
    big = io.BytesIO(b"a" * (readers.MAX_UPLOAD_BYTES + 1))
    with pytest.raises(FileRefused, match="50 MB"):
        readers.read_table(big, "big.csv")


def test_other_file_types_are_refused() -> None:
    with pytest.raises(FileRefused, match=r"只能导入 \.xlsx 和 \.csv"):
        readers.read_table(io.BytesIO(b"x"), "list.xls")


def test_row_limit(monkeypatch) -> None:
    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    data = "统一社会信用代码,企业名称,所在地区\n" + "".join(f"{n},x,y\n" for n in range(5))
    with pytest.raises(FileRefused, match="超过 3 行"):
        readers.read_table(io.BytesIO(data.encode()), "rows.csv")


def test_csv_formula_escape_round_trips() -> None:
    for text in ["=1+1", "+86 771", "-5", "@sum", "'=x", "''", "'s", "plain", "'"]:
        assert readers.csv_unescape(readers.csv_escape(text)) == text
    assert readers.csv_escape("=1+1") == "'=1+1"
