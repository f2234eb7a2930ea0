"""The staff dashboard (统计监测) and the CSV export of each chart.

Both take the period from the query string (``forms.PeriodForm``) and compute through
``figures.figure``, as the report and the API do. Anyone but staff, reviewers and
classification officers gets 404 (``access.statistics_required``).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse

from . import charts, exports, figures
from .access import statistics_required
from .forms import period_from
from .periods import Period


def _panel(figure: figures.Figure, period: Period) -> dict:
    query = f"?start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}"
    return {
        "figure": figure,
        "option": charts.echarts_option(figure),
        "option_id": f"chart-{figure.key}-option",
        "svg": charts.svg(figure),
        "height": charts.height(figure),
        "csv_url": reverse("statistics:csv", args=[figure.key]) + query,
        "rows": figure.rows[:50],
        "more_rows": max(0, len(figure.rows) - 50),
    }


@statistics_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form, period = period_from(request.GET)
    context: dict = {"form": form, "period": period}
    if period is None:
        return render(request, "statistics/dashboard.html", context, status=400)
    context["summary"] = figures.summary(period, request.user)
    context["panels"] = [_panel(f, period) for f in figures.all_figures(period, request.user)]
    return render(request, "statistics/dashboard.html", context)


@statistics_required
def figure_csv(request: HttpRequest, key: str) -> HttpResponse:
    if key not in figures.FIGURES:
        raise Http404("No such figure.")
    form, period = period_from(request.GET)
    if period is None:
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    return exports.csv_response(figures.figure(key, period, request.user), period)
