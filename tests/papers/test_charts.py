"""Charts: one table read into series, drawn as an ECharts option and as deterministic SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from portal.papers.charts import ChartDataError, chart_from_table, echarts_option, svg

TABLE = {"data": [["设区市", "2025年", "2026年"], ["南宁市", "1,200", "15"], ["柳州市", "8", ""]]}


def test_table_becomes_categories_and_series() -> None:
    chart = chart_from_table("bar", TABLE)
    assert chart.categories == ["南宁市", "柳州市"]
    assert chart.series == [("2025年", [1200.0, 8.0]), ("2026年", [15.0, 0.0])]


def test_echarts_option_matches_the_table() -> None:
    option = echarts_option(chart_from_table("line", TABLE), "家")
    assert option["xAxis"]["data"] == ["南宁市", "柳州市"]
    assert [s["type"] for s in option["series"]] == ["line", "line"]
    assert option["yAxis"]["name"] == "家"
    pie = echarts_option(chart_from_table("pie", TABLE))
    assert pie["series"][0]["data"] == [
        {"name": "南宁市", "value": 1200.0},
        {"name": "柳州市", "value": 8.0},
    ]


@pytest.mark.parametrize("kind", ["bar", "line", "pie"])
def test_svg_is_valid_deterministic_and_labelled(kind: str) -> None:
    chart = chart_from_table(kind, TABLE)
    drawn = svg(chart, "家", '各市企业数量 "2026"')
    assert drawn == svg(chart, "家", '各市企业数量 "2026"')
    root = ET.fromstring(drawn)  # noqa: S314 - our own output, not untrusted input
    assert root.get("role") == "img" and root.get("aria-label") == '各市企业数量 "2026"'
    texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "南宁市" in texts and "柳州市" in texts
    shapes = {"bar": "rect", "line": "polyline", "pie": "path"}[kind]
    assert root.find(f"{{http://www.w3.org/2000/svg}}{shapes}") is not None


def test_bad_cells_are_named() -> None:
    with pytest.raises(ChartDataError, match="第 3 行第 2 列"):
        chart_from_table("bar", {"data": [["a", "b"], ["x", "1"], ["y", "many"]]})
    with pytest.raises(ChartDataError):
        chart_from_table("bar", {"data": [["only a header", "b"]]})
    with pytest.raises(ChartDataError):
        chart_from_table("pie", {"data": [["a", "b"], ["x", "-3"]]})
    with pytest.raises(ChartDataError):
        chart_from_table("radar", TABLE)
