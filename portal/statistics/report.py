"""The yearly monitoring report (年度统计监测报告) as a PDF, from the dashboard's figures.

Same figures as the dashboard (``figures.figure`` with ``viewer=None``: everything counted,
only public notices named), laid out in the white papers' print style: the papers' stylesheet
(``static/css/paper-print.css``: A4, running header, "第 X 页 / 共 Y 页", Noto CJK fonts embedded
by WeasyPrint) and the papers' ``write_pdf`` with its local-files-only fetcher. A Chinese
publication, rendered in Chinese whatever the caller's language; its furniture (headings,
cover) is written in Chinese in the template and here, as the papers' is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.papers.outline import chinese_numeral
from portal.papers.pdf import RenderedPdf, chinese_date, stylesheet_uri, write_pdf

from . import charts, figures
from .periods import Period

#: Chapter headings of the report, one per figure, in ``figures.FIGURES`` order.
HEADINGS = {
    "industry": "企业行业分布",
    "region": "企业地区分布",
    "qualification": "企业资质情况",
    "approvals": "企业信息审核情况",
    "notices": "供需信息发布情况",
    "responses": "供需信息响应情况",
    "terms": "无结果检索词",
}
#: Rankings can be long; the report prints the head and says how many rows it left out.
TABLE_ROWS = 60


@dataclass(frozen=True)
class Chapter:
    number: int
    label: str
    heading: str
    anchor: str
    figure: figures.Figure
    svg: str
    rows: list
    omitted: int


def title(year: int) -> str:
    return f"{year}年度统计监测报告"


def chapters(period: Period, on_figure: Callable[[float], None] | None = None) -> list[Chapter]:
    """One chapter per figure; ``on_figure`` hears the fraction of figures counted so far."""
    result = []
    for number, key in enumerate(figures.FIGURES, start=1):
        figure = figures.figure(key, period, None)
        if on_figure is not None:
            on_figure(number / len(figures.FIGURES))
        result.append(
            Chapter(
                number=number,
                label=chinese_numeral(number) + "、",
                heading=HEADINGS[key],
                anchor=f"chapter-{key}",
                figure=figure,
                svg=charts.svg(figure) if not figure.is_empty else "",
                rows=figure.rows[:TABLE_ROWS],
                omitted=max(0, len(figure.rows) - TABLE_ROWS),
            )
        )
    return result


def render_html(year: int, on_figure: Callable[[float], None] | None = None) -> str:
    """The print HTML of the report for ``year`` (whole calendar year, Asia/Shanghai)."""
    period = Period.year(year)
    with translation.override("zh-hans"):
        context = {
            "title": title(year),
            "year": year,
            "period": period,
            "chapters": chapters(period, on_figure),
            "summary": figures.summary(period, None),
            "stylesheet": stylesheet_uri(),
            "cover_date": chinese_date(min(period.end, timezone.localdate())),
            "generated_at": timezone.localtime(),
            "site_name": settings.WAGTAIL_SITE_NAME,
            "as_at": period.as_at,
        }
        return render_to_string("statistics/report_pdf.html", context)


#: About how many pages a report has (cover, summary, contents, two per chapter), for progress.
EXPECTED_PAGES = 4 + 2 * len(figures.FIGURES)


def render_pdf(
    year: int,
    on_figure: Callable[[float], None] | None = None,
    on_page: Callable[[int], None] | None = None,
) -> RenderedPdf:
    """The report as a PDF; the callbacks hear how far counting and layout have come."""
    return write_pdf(render_html(year, on_figure), on_page=on_page)
