"""The staff dashboard (统计监测) and the CSV export of each chart.

Both take the period from the query string (``forms.PeriodForm``) and compute through
``figures.figure``, as the report and the API do. Anyone but staff, reviewers and
classification officers gets 404 (``access.statistics_required``).
"""

from __future__ import annotations

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.core import builds

from . import charts, exports, figures, report_builds
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
    context["report"] = _report_context(period.end.year)
    return render(request, "statistics/dashboard.html", context)


def _report_urls(year: int) -> dict[str, str]:
    return {
        "download_url": reverse("statistics:report", args=[year]),
        "start_url": reverse("statistics:report_build", args=[year]),
        "status_url": reverse("statistics:report_status", args=[year]),
    }


def _report_context(year: int) -> dict:
    row = report_builds.current(year)
    urls = _report_urls(year)
    return {"year": year, "row": row, "status": builds.status(row, urls["download_url"]), **urls}


def _year_or_400(year: int) -> HttpResponse | None:
    if report_builds.FIRST_YEAR <= year <= report_builds.LAST_YEAR:
        return None
    message = _("The year must lie between %(first)s and %(last)s.") % {
        "first": report_builds.FIRST_YEAR,
        "last": report_builds.LAST_YEAR,
    }
    body = {"error": {"code": "invalid", "message": message, "fields": {"year": [message]}}}
    return JsonResponse(body, status=400)


@statistics_required
@require_POST
def report_build(request: HttpRequest, year: int) -> HttpResponse:
    """Ask for the year's report (the dashboard's button): JSON status for the script, the
    report page without it."""
    refused = _year_or_400(year)
    if refused:
        return refused
    row = report_builds.request_report(year)
    row.refresh_from_db()
    urls = _report_urls(year)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(builds.status(row, urls["download_url"]))
    return redirect(urls["download_url"])


@statistics_required
@require_safe
def report_status(request: HttpRequest, year: int) -> JsonResponse:
    refused = _year_or_400(year)
    if refused:
        return refused
    row = report_builds.current(year)
    return JsonResponse(builds.status(row, _report_urls(year)["download_url"]))


@statistics_required
@require_safe
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """The report when today's is built; otherwise the waiting page (202) with its progress."""
    refused = _year_or_400(year)
    if refused:
        return refused
    row = report_builds.request_report(year)
    row.refresh_from_db()
    if row.is_ready and row.is_current(report_builds.fingerprint(year)):
        with row.file.open("rb") as stream:
            response = HttpResponse(stream.read(), content_type="application/pdf")
        name = f"{year}年度统计监测报告.pdf"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    context = {"report": _report_context(year)}
    response = render(request, "statistics/report_pending.html", context, status=202)
    response["Retry-After"] = "2"
    return response


@statistics_required
def figure_csv(request: HttpRequest, key: str) -> HttpResponse:
    if key not in figures.FIGURES:
        raise Http404("No such figure.")
    form, period = period_from(request.GET)
    if period is None:
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    return exports.csv_response(figures.figure(key, period, request.user), period)
