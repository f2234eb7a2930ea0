"""A statistics figure as a chart: the ECharts option for the dashboard, SVG for the report.

Bars and lines reuse the papers' drawing (``portal.papers.charts``), so the report looks like
the white papers and the web chart uses the same colours as the printed one. Rankings with
long labels (qualification names, notice titles, search terms) are drawn as horizontal bars,
which the papers do not need; that drawing lives here.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from portal.papers import charts as paper_charts

from .figures import Figure

ROW_HEIGHT = 24.0
LABEL_CHARS = 16


def paper_chart(figure: Figure) -> paper_charts.Chart:
    kind = "bar" if figure.chart_kind == "hbar" else figure.chart_kind
    return paper_charts.Chart(kind, list(figure.categories), list(figure.series))


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def echarts_option(figure: Figure) -> dict[str, Any]:
    """The option handed to ECharts by ``static/js/paper-charts.js`` (shared with the papers)."""
    option = paper_charts.echarts_option(paper_chart(figure), figure.unit)
    option["legend"] = {"bottom": 0, "show": len(figure.series) > 1}
    # Every figure counts things: no axis ticks at 0.5 of an enterprise.
    option["yAxis"]["minInterval"] = 1
    if figure.chart_kind == "hbar":
        # Largest first from the top: ECharts draws the first category at the bottom.
        option["xAxis"], option["yAxis"] = (
            {"type": "value", "minInterval": 1},
            {
                "type": "category",
                "data": [_short(c) for c in reversed(figure.categories)],
                "axisLabel": {"interval": 0},
            },
        )
        option["series"] = [
            {
                "type": "bar",
                "name": name,
                "data": list(reversed(values)),
                "label": {"show": True, "position": "right"},
                "barMaxWidth": 18,
            }
            for name, values in figure.series
        ]
        option["grid"] = {"left": 16, "right": 40, "top": 24, "bottom": 32, "containLabel": True}
    return option


def height(figure: Figure) -> int:
    """Pixel height of the web chart: a horizontal ranking grows with its rows."""
    if figure.chart_kind == "hbar":
        return int(max(160, 60 + ROW_HEIGHT * len(figure.categories)))
    return paper_charts.HEIGHT


def _hbar_svg(figure: Figure) -> str:
    width = paper_charts.WIDTH
    left, right, top = 200.0, width - 56.0, 12.0
    _name, values = figure.series[0]
    top_value = max(values) if values and max(values) > 0 else 1
    parts: list[str] = []
    for i, (label, value) in enumerate(zip(figure.categories, values, strict=True)):
        y = top + ROW_HEIGHT * i
        bar = (right - left) * value / top_value
        parts.append(
            paper_charts.svg_text(
                left - 8, y + 15, _short(label), size=10, anchor="end", fill="#333"
            )
        )
        parts.append(
            f'<rect x="{left:.1f}" y="{y + 4:.1f}" width="{max(bar, 0.5):.1f}" height="14"'
            f' fill="{paper_charts.PALETTE[0]}"/>'
        )
        parts.append(
            paper_charts.svg_text(
                left + bar + 4, y + 15, paper_charts.format_number(value), size=9, anchor="start"
            )
        )
    total = top + ROW_HEIGHT * len(figure.categories) + 8
    parts.append(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{total - 8:.1f}" stroke="#6e7079"/>'
    )
    label = escape(figure.title, {'"': "&quot;"})
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total:.0f}"'
        f' width="{width}" height="{total:.0f}" role="img" aria-label="{label}">'
        + "".join(parts)
        + "</svg>"
    )


def svg(figure: Figure) -> str:
    """The chart as inline SVG (the report, and the dashboard before ECharts draws)."""
    if figure.chart_kind == "hbar":
        return _hbar_svg(figure)
    return paper_charts.svg(paper_chart(figure), figure.unit, figure.title)
