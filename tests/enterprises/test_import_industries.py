"""import_enterprises and the 行业 column: the plan's names and short forms, unknown names."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from portal.enterprises.importing import run_import
from portal.enterprises.models import Enterprise

from .importing_helpers import row, uscc, write_csv, write_xlsx


def _run(path, dry_run=False):
    with path.open("rb") as handle:
        return run_import(handle, path.name, dry_run=dry_run)


def _codes(n: int) -> list[str]:
    return sorted(Enterprise.objects.get(uscc=uscc(n)).industries.values_list("code", flat=True))


@pytest.mark.django_db
def test_plan_names_and_short_forms_give_the_right_codes(tmp_path) -> None:
    rows = [
        row(1, 行业="智能装备"),
        row(2, 行业="（二）智能装备、机器人"),
        row(3, 行业="大健康；生物医药及医疗器械"),
        row(4, 行业="新一代信息技术,北斗,大数据"),
        row(5, 行业="新材料产业、石墨烯新材料、稀土功能材料"),
        row(6, 行业="节能环保装备、修造船"),
        row(7, 行业="智能装备、智能装备制造、D02"),  # three spellings of one code
    ]
    report = _run(write_xlsx(tmp_path / "plan.xlsx", rows))
    assert report.errors == []
    assert report.created == 7
    assert _codes(1) == ["D02"]
    assert _codes(2) == ["D02", "D0201"]
    assert _codes(3) == ["D06", "D0601", "D0602"]
    assert _codes(4) == ["D01", "D0101", "D0102"]
    assert _codes(5) == ["D04", "D0401", "D0402"]
    assert _codes(6) == ["D0206", "D0301", "D0302"]
    assert _codes(7) == ["D02"]


@pytest.mark.django_db
def test_a_list_where_many_rows_use_the_section_name_imports(tmp_path) -> None:
    rows = [row(n, 行业="智能装备" if n % 3 else "北斗、物联网") for n in range(1, 41)]
    report = _run(write_csv(tmp_path / "agency.csv", rows))
    assert (report.created, report.errors) == (40, [])
    assert Enterprise.objects.filter(industries__code="D02").count() == 27


@pytest.mark.django_db
def test_unknown_industry_names_its_nearest_matches_and_nothing_is_written(tmp_path) -> None:
    rows = [row(1, 行业="智能装备"), row(2, 行业="北斗、智能制造"), row(3, 行业="量子玄学")]
    path = write_csv(tmp_path / "list.csv", rows)
    with translation.override("zh-hans"):
        report = _run(path)
    assert [(error.row, error.column) for error in report.errors] == [(3, "行业"), (4, "行业")]
    assert report.errors[0].message == "未知行业 智能制造，是否指：智能制造装备、智能装备制造？"
    assert report.errors[1].message == "未知行业 量子玄学，请使用格式说明中的名称或代码。"
    assert not Enterprise.objects.exists()

    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command(
            "import_enterprises",
            str(path),
            "--dry-run",
            "--no-progress",
            stdout=StringIO(),
            stderr=err,
        )
    expected = "第 3 行，行业 列：未知行业 智能制造，是否指：智能制造装备、智能装备制造？"
    assert expected in err.getvalue()
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_exported_industry_names_read_back_unchanged(tmp_path) -> None:
    _run(write_csv(tmp_path / "first.csv", [row(1, 行业="节能环保装备、北斗")]))
    assert _codes(1) == ["D0101", "D0301", "D0302"]
    out = tmp_path / "export.xlsx"
    call_command("export_enterprises", str(out), stdout=StringIO())
    report = _run(out)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 1, [])
