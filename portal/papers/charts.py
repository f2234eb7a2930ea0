"""Charts of a paper: one table, two drawings.

The web page hands ``echarts_option`` to Apache ECharts; the PDF cannot run JavaScript, so
``svg`` draws the same bar, line or pie chart here, in plain SVG that WeasyPrint renders. The
drawing is deterministic (same table, same bytes), which keeps PDFs reproducible per revision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

#: ECharts' default palette, so that the web chart and the printed chart use the same colours.
PALETTE = (
    "#5470c6",
    "#91cc75",
    "#fac858",
    "#ee6666",
    "#73c0de",
    "#3ba272",
    "#fc8452",
    "#9a60b4",
    "#ea7ccc",
)
FONT = "Noto Sans CJK SC, sans-serif"
WIDTH, HEIGHT = 640, 340


class ChartDataError(ValueError):
    """The table cannot be drawn; the message says which cell is wrong."""


@dataclass(frozen=True)
class Chart:
    kind: str
    categories: list[str]
    series: list[tuple[str, list[float]]]


def _number(raw: Any, row: int, col: int) -> float:
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    text = text.rstrip("%％")
    if not text:
        return 0.0
    try:
        return float(Decimal(text))
    except InvalidOperation as error:
        raise ChartDataError(
            _("Row %(row)s, column %(col)s: “%(value)s” is not a number.")
            % {"row": row, "col": col, "value": raw}
        ) from error


def chart_from_table(kind: str | None, table: dict | None) -> Chart:
    """Read a TableBlock value: row 1 names the series, column 1 the categories."""
    if kind not in {"bar", "line", "pie"}:
        raise ChartDataError(_("Unknown chart type."))
    rows = [list(row) for row in ((table or {}).get("data") or [])]
    rows = [row for row in rows if any(str(c or "").strip() for c in row)]
    if len(rows) < 2 or len(rows[0]) < 2:
        raise ChartDataError(
            _("A chart needs a header row and at least one row of numbers in two columns.")
        )
    header = rows[0]
    width = len(header)
    names = [str(cell or "").strip() or f"#{i}" for i, cell in enumerate(header[1:], start=1)]
    categories: list[str] = []
    columns: list[list[float]] = [[] for _ in names]
    for r, row in enumerate(rows[1:], start=2):
        row = (row + [None] * width)[:width]
        categories.append(str(row[0] or "").strip())
        for c, cell in enumerate(row[1:]):
            columns[c].append(_number(cell, r, c + 2))
    if kind == "pie" and any(v < 0 for v in columns[0]):
        raise ChartDataError(_("A pie chart cannot show negative values."))
    return Chart(kind, categories, list(zip(names, columns, strict=True)))


def echarts_option(chart: Chart, unit: str = "") -> dict[str, Any]:
    """The ECharts option for the web page (the script in static/js/paper-charts.js)."""
    base: dict[str, Any] = {
        "color": list(PALETTE),
        "tooltip": {"trigger": "item" if chart.kind == "pie" else "axis"},
        "legend": {"bottom": 0},
        "textStyle": {"fontFamily": FONT},
    }
    if chart.kind == "pie":
        name, values = chart.series[0]
        base["series"] = [
            {
                "type": "pie",
                "name": name,
                "radius": ["35%", "65%"],
                "data": [
                    {"name": c, "value": v} for c, v in zip(chart.categories, values, strict=True)
                ],
                "label": {"formatter": "{b}: {d}%"},
            }
        ]
        return base
    base["grid"] = {"left": 48, "right": 24, "top": 36, "bottom": 64, "containLabel": True}
    base["xAxis"] = {"type": "category", "data": chart.categories, "axisLabel": {"interval": 0}}
    base["yAxis"] = {"type": "value", "name": unit}
    base["series"] = [{"type": chart.kind, "name": n, "data": v} for n, v in chart.series]
    return base


def _nice_step(maximum: float, ticks: int = 5) -> float:
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def format_number(value: float) -> str:
    """A value as a chart label shows it: thousands separated, one decimal unless whole."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def svg_text(
    x: float, y: float, text: str, size: int = 11, anchor: str = "middle", **extra: Any
) -> str:
    """An escaped SVG ``<text>`` in the charts' font; ``extra`` keywords become attributes
    (``fill_opacity`` -> ``fill-opacity``). Public: the statistics charts draw with it too."""
    attrs = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in extra.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
        f' font-family="{FONT}"{attrs}>{escape(text)}</text>'
    )


def _wrap(label: str, per_line: int) -> list[str]:
    return [label[i : i + per_line] for i in range(0, len(label), per_line)][:3] or [""]


def _legend(chart: Chart, y: float) -> list[str]:
    names = [n for n, _v in chart.series] if chart.kind != "pie" else chart.categories
    parts, x = [], 40.0
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="12" height="10" fill="{colour}"/>')
        parts.append(svg_text(x + 16, y, name, anchor="start"))
        x += 28 + 12 * len(name)
    return parts


def _axes_svg(chart: Chart, unit: str) -> list[str]:
    left, right, top, bottom = 64.0, WIDTH - 16.0, 28.0, HEIGHT - 78.0
    values = [v for _n, vs in chart.series for v in vs] or [0.0]
    low = min(0.0, min(values))
    step = _nice_step(max(values) - low)
    top_value = math.ceil(max(values) / step) * step if max(values) > 0 else step
    bottom_value = math.floor(low / step) * step
    span = (top_value - bottom_value) or 1.0

    def y_of(v: float) -> float:
        return bottom - (v - bottom_value) / span * (bottom - top)

    parts: list[str] = []
    tick = bottom_value
    while tick <= top_value + step / 1000:
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#e0e6f1"/>')
        parts.append(
            svg_text(left - 6, y + 4, format_number(tick), size=10, anchor="end", fill="#6e7079")
        )
        tick += step
    if unit:
        parts.append(svg_text(left - 6, top - 12, unit, size=10, anchor="end", fill="#6e7079"))
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#6e7079"/>')
    count = max(len(chart.categories), 1)
    band = (right - left) / count
    per_line = max(2, int(band // 11))
    for i, label in enumerate(chart.categories):
        cx = left + band * (i + 0.5)
        for j, line in enumerate(_wrap(label, per_line)):
            parts.append(svg_text(cx, bottom + 16 + 13 * j, line, size=10, fill="#333"))
    n = len(chart.series)
    for s, (_name, vs) in enumerate(chart.series):
        colour = PALETTE[s % len(PALETTE)]
        if chart.kind == "bar":
            width = band * 0.7 / n
            for i, v in enumerate(vs):
                x = left + band * i + band * 0.15 + width * s
                y0, y1 = sorted((y_of(0), y_of(v)))
                parts.append(
                    f'<rect x="{x:.1f}" y="{y0:.1f}" width="{width:.1f}"'
                    f' height="{max(y1 - y0, 0.5):.1f}" fill="{colour}"/>'
                )
                if n == 1:
                    parts.append(
                        svg_text(x + width / 2, y0 - 3, format_number(v), size=9, fill="#333")
                    )
        else:
            points = [(left + band * (i + 0.5), y_of(v)) for i, v in enumerate(vs)]
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
            for x, y in points:
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#fff" stroke="{colour}"'
                    ' stroke-width="1.5"/>'
                )
    parts.extend(_legend(chart, HEIGHT - 12))
    return parts


def _pie_svg(chart: Chart) -> list[str]:
    _name, values = chart.series[0]
    total = sum(values) or 1.0
    cx, cy, outer, inner = 180.0, HEIGHT / 2, 130.0, 70.0
    parts: list[str] = []
    angle = -math.pi / 2
    for i, value in enumerate(values):
        colour = PALETTE[i % len(PALETTE)]
        sweep = 2 * math.pi * value / total
        if sweep >= 2 * math.pi - 1e-9:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{outer}" fill="{colour}"/>')
        elif sweep > 0:
            end = angle + sweep
            large = 1 if sweep > math.pi else 0
            x0, y0 = cx + outer * math.cos(angle), cy + outer * math.sin(angle)
            x1, y1 = cx + outer * math.cos(end), cy + outer * math.sin(end)
            parts.append(
                f'<path d="M{cx:.1f},{cy:.1f} L{x0:.1f},{y0:.1f} A{outer},{outer} 0 {large} 1'
                f' {x1:.1f},{y1:.1f} Z" fill="{colour}" stroke="#fff" stroke-width="1"/>'
            )
        angle += sweep
    parts.append(f'<circle cx="{cx}" cy="{cy}" r="{inner}" fill="#fff"/>')
    rows = len(chart.categories)
    line = min(22.0, (HEIGHT - 40) / max(rows, 1))
    y = cy - line * rows / 2 + line / 2
    for i, (label, value) in enumerate(zip(chart.categories, values, strict=True)):
        colour = PALETTE[i % len(PALETTE)]
        share = value / total * 100
        parts.append(f'<rect x="340" y="{y - 9:.1f}" width="12" height="10" fill="{colour}"/>')
        parts.append(
            svg_text(358, y, f"{label}  {format_number(value)}（{share:.1f}%）", anchor="start")
        )
        y += line
    return parts


def svg(chart: Chart, unit: str = "", title: str = "") -> str:
    """The chart as an inline SVG element; ``title`` becomes its accessible name."""
    parts = _pie_svg(chart) if chart.kind == "pie" else _axes_svg(chart, unit)
    label = escape(title, {'"': "&quot;"})
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{label}">'
        + "".join(parts)
        + "</svg>"
    )
