"""import_enterprises: dry run vs real run, all-or-nothing, upsert, row errors, text as typed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portal.enterprises.importing import run_import
from portal.enterprises.models import Enterprise, EnterpriseVersion, Source, Status
from portal.enterprises.snapshots import snapshot

from .importing_helpers import row, uscc, write_csv, write_xlsx


def _run(path, dry_run=False):
    with path.open("rb") as handle:
        return run_import(handle, path.name, dry_run=dry_run)


@pytest.mark.django_db
def test_real_run_creates_approved_ownerless_profiles_with_a_baseline_version(tmp_path) -> None:
    report = _run(write_xlsx(tmp_path / "list.xlsx", [row(1), row(2)]))
    assert (report.created, report.updated, report.unchanged, report.errors) == (2, 0, 0, [])
    enterprise = Enterprise.objects.get(uscc=uscc(1))
    assert enterprise.status == Status.APPROVED and enterprise.source == Source.IMPORTED
    assert not enterprise.owners.exists()
    assert enterprise.region_id == "450103"
    assert sorted(enterprise.industries.values_list("code", flat=True)) == ["D0101", "D0103"]
    secrecy = enterprise.qualifications.get(type_id="secrecy")
    assert (secrecy.level, secrecy.number, str(secrecy.valid_until)) == (
        "二级",
        "桂BM1",
        "2030-06-30",
    )
    assert [p.name for p in enterprise.products.all()] == ["北斗定位终端", "短报文模块"]
    assert enterprise.contacts.get().email == "liming@example.com"
    version = EnterpriseVersion.objects.get(enterprise=enterprise)
    assert version.state == "approved"
    assert version.data == snapshot(enterprise)


@pytest.mark.django_db
def test_dry_run_lists_row_errors_with_column_and_writes_nothing(tmp_path) -> None:
    rows = [
        row(1),
        row(2, 统一社会信用代码="91450103MA0000020X"),
        row(3, 所在地区="火星市"),
        row(4, 行业="造船、量子玄学"),
    ]
    path = write_csv(tmp_path / "list.csv", rows)
    report = _run(path, dry_run=True)
    found = {(error.row, error.column) for error in report.errors}
    assert found == {(3, "统一社会信用代码"), (4, "所在地区"), (5, "行业")}
    assert report.created == 1  # the good row is counted, though nothing is written
    assert any("量子玄学" in str(e) for e in report.errors if e.row == 5)
    assert not Enterprise.objects.exists()

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command(
            "import_enterprises", str(path), "--dry-run", "--no-progress", stdout=out, stderr=err
        )
    assert "第 4 行，所在地区 列" in err.getvalue()
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_clean_dry_run_reports_counts_and_writes_nothing(tmp_path) -> None:
    out = StringIO()
    path = write_csv(tmp_path / "list.csv", [row(1), row(2)])
    call_command("import_enterprises", str(path), "--dry-run", "--no-progress", stdout=out)
    assert "新增 2" in out.getvalue()
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_one_bad_row_means_nothing_is_written(tmp_path) -> None:
    rows = [row(n) for n in range(1, 30)] + [row(30, 资质="保密资格二级:X1:明年")]
    path = write_xlsx(tmp_path / "list.xlsx", rows)
    with pytest.raises(CommandError):
        call_command(
            "import_enterprises", str(path), "--no-progress", stdout=StringIO(), stderr=StringIO()
        )
    assert not Enterprise.objects.exists()
    assert not EnterpriseVersion.objects.exists()


@pytest.mark.django_db
def test_duplicate_credit_codes_in_one_file_are_an_error(tmp_path) -> None:
    report = _run(write_csv(tmp_path / "d.csv", [row(1), row(2), row(1, 企业名称="重复")]))
    assert [(e.row, e.column) for e in report.errors] == [(4, "统一社会信用代码")]
    assert "row 2" in report.errors[0].message or "2" in report.errors[0].message
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_unknown_qualification_alias_is_a_row_error(tmp_path) -> None:
    report = _run(write_csv(tmp_path / "q.csv", [row(1, 资质="专精特新中小企业:123:2027-01-01")]))
    assert len(report.errors) == 1
    assert report.errors[0].column == "资质"
    assert "专精特新中小企业" in report.errors[0].message


@pytest.mark.django_db
def test_aliases_and_region_spellings_are_understood(tmp_path) -> None:
    rows = [
        row(1, 资质="GJB9001C:17JB001:2027/6/30；专精特新小巨人", 所在地区="青秀区"),
        row(2, 所在地区="450200", 行业="D0401"),
        row(3, 所在地区="广西壮族自治区桂林市七星区", 人员规模="100-299人", 企业性质="民营企业"),
    ]
    report = _run(write_csv(tmp_path / "a.csv", rows))
    assert report.errors == []
    first = Enterprise.objects.get(uscc=uscc(1))
    assert set(first.qualifications.values_list("type_id", flat=True)) == {
        "gjb9001c",
        "little_giant",
    }
    assert Enterprise.objects.get(uscc=uscc(2)).region_id == "450200"
    third = Enterprise.objects.get(uscc=uscc(3))
    assert (third.region_id, third.staff_size, third.ownership) == ("450305", "100-299", "private")


@pytest.mark.django_db
def test_second_import_upserts_and_reports_unchanged(tmp_path) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", [row(1), row(2)])
    _run(path)
    again = _run(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert EnterpriseVersion.objects.count() == 2

    changed = _run(write_xlsx(tmp_path / "v2.xlsx", [row(1, 企业简介="新的简介"), row(3)]))
    assert (changed.created, changed.updated, changed.unchanged) == (1, 0, 0) or (
        changed.created,
        changed.updated,
    ) == (1, 1)
    enterprise = Enterprise.objects.get(uscc=uscc(1))
    assert enterprise.description == "新的简介"
    versions = list(enterprise.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[-1].data == snapshot(enterprise)
    assert Enterprise.objects.count() == 3


@pytest.mark.django_db
def test_absent_columns_keep_data_and_descriptions_survive(tmp_path) -> None:
    _run(write_csv(tmp_path / "full.csv", [row(1)]))
    enterprise = Enterprise.objects.get(uscc=uscc(1))
    enterprise.products.filter(name="北斗定位终端").update(description="手持式，IP67")
    partial = {
        "统一社会信用代码": uscc(1),
        "企业名称": "改名科技有限公司",
        "所在地区": "青秀区",
        "主要产品": "北斗定位终端",
    }
    report = _run(write_csv(tmp_path / "partial.csv", [partial]))
    assert report.updated == 1
    enterprise.refresh_from_db()
    assert enterprise.name == "改名科技有限公司"
    assert enterprise.description == "专注北斗导航终端。"  # column absent: kept
    assert [(p.name, p.description) for p in enterprise.products.all()] == [
        ("北斗定位终端", "手持式，IP67")
    ]


@pytest.mark.django_db
def test_profiles_with_owners_are_not_changed_by_an_import(tmp_path, django_user_model) -> None:
    _run(write_csv(tmp_path / "a.csv", [row(1)]))
    enterprise = Enterprise.objects.get(uscc=uscc(1))
    enterprise.add_owners(django_user_model.objects.create_user("owner", "o@example.com", "x"))
    assert _run(write_csv(tmp_path / "a.csv", [row(1)])).unchanged == 1
    report = _run(write_csv(tmp_path / "b.csv", [row(1, 企业名称="别人改的名字")]))
    assert [e.column for e in report.errors] == ["统一社会信用代码"]
    enterprise.refresh_from_db()
    assert enterprise.name == "南宁测试1科技有限公司"


@pytest.mark.django_db
def test_html_and_script_are_stored_as_typed(tmp_path) -> None:
    text = '<script>alert("x")</script><b>加粗</b> & =1+1'
    _run(write_xlsx(tmp_path / "h.xlsx", [row(1, 企业简介=text, 企业名称="<i>南宁</i>有限公司")]))
    enterprise = Enterprise.objects.get(uscc=uscc(1))
    assert enterprise.description == text
    assert enterprise.name == "<i>南宁</i>有限公司"


@pytest.mark.django_db
def test_field_checks_give_row_errors(tmp_path) -> None:
    rows = [
        row(1, 电子邮箱="not-an-email"),
        row(2, 企业名称="长" * 201),
        row(3, 成立日期="2015-13-40"),
        row(4, 联系人="", 联系电话="0771-1"),
        row(5, **{"注册资本（万元）": "很多"}),
        row(6, 人员规模="很多人"),
    ]
    extra = ("成立日期", "注册资本（万元）", "人员规模")
    rows = [{**r, **{k: r.get(k, "") for k in extra}} for r in rows]
    report = _run(write_csv(tmp_path / "f.csv", rows))
    assert {(e.row, e.column) for e in report.errors} == {
        (2, "电子邮箱"),
        (3, "企业名称"),
        (4, "成立日期"),
        (5, "联系人"),
        (6, "注册资本（万元）"),
        (7, "人员规模"),
    }
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_missing_required_column_refuses_the_file(tmp_path) -> None:
    path = write_csv(tmp_path / "m.csv", [{"统一社会信用代码": uscc(1), "企业名称": "某公司"}])
    with pytest.raises(CommandError, match="所在地区"):
        call_command("import_enterprises", str(path), "--no-progress", stdout=StringIO())
