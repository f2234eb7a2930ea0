"""The figures of 统计监测: SQL aggregations over the registry, notices, responses and searches.

Each figure is one function ``(period, viewer) -> Figure`` registered in ``FIGURES``; the
dashboard, the CSV export, the API and the yearly report all call ``figure(key, period,
viewer)``, so the numbers agree wherever they are read. Results are cached briefly (Django's
cache, ``STATISTICS_CACHE_SECONDS``, two minutes by default): the dashboard draws seven charts,
and staff reload it, but a figure a minute or two old is fine for monitoring.

Who counts: a dashboard viewer is shown only what the release policy lets them see
(``classification.policy.visible``), so the counts never confirm an item they may not know of;
classification officers and superusers see everything. The yearly report (``viewer=None``)
counts everything and names only public notices (the others by kind, tier and number).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Concat, Substr, TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from classification import policy
from classification.tiers import Tier
from portal.enterprises.models import (
    Enterprise,
    EnterpriseVersion,
    Industry,
    Qualification,
    QualificationType,
    Region,
    VersionState,
)
from portal.notices.models import Kind, NoticePage

from .models import SearchTerm
from .periods import Period, month_label

#: How many bars a ranking chart draws; the table and the CSV list every row.
CHART_TOP = 15


@dataclass(frozen=True)
class Figure:
    """One figure: a table (header + rows, for the page, the CSV and the report) and the
    chart drawn from it (categories and named series of numbers)."""

    key: str
    title: str
    chart_kind: str  # "bar", "hbar" (horizontal bars, for long labels) or "line"
    header: list[str]
    rows: list[list[Any]]
    categories: list[str] = field(default_factory=list)
    series: list[tuple[str, list[float]]] = field(default_factory=list)
    unit: str = ""
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(value for _name, values in self.series for value in values)


Viewer = Any  # a User, or None for the yearly report


def _visible(queryset: QuerySet, viewer: Viewer) -> QuerySet:
    return queryset if viewer is None else policy.visible(queryset, viewer)


def _scope(viewer: Viewer) -> str:
    if viewer is None:
        return "report"
    if policy.is_officer(viewer):
        return "officer"
    return f"user{viewer.pk}"


def _month(value) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value.replace(day=1)
    return timezone.localtime(value).date().replace(day=1)


def _ranking(header: list[str], rows: list[list[Any]], value_col: int) -> tuple[list, list]:
    """Categories and one series from the first ``CHART_TOP`` rows of a sorted ranking."""
    top = rows[:CHART_TOP]
    return [str(row[0]) for row in top], [(header[value_col], [row[value_col] for row in top])]


# --- The registry --------------------------------------------------------------------------


def directory(period: Period, viewer: Viewer) -> QuerySet[Enterprise]:
    """Approved profiles in the directory at the period's end (first approval by then).

    The first approval is the oldest approved version; rows without one (older data) fall back
    to ``approved_at``. A profile revoked since is not counted: the figure is the directory as
    it stands, restricted to what had joined it by the end of the period.
    """
    first = (
        EnterpriseVersion.objects.filter(enterprise=OuterRef("pk"), state=VersionState.APPROVED)
        .values("enterprise")
        .annotate(first=Min("decided_at"))
        .values("first")
    )
    approved = (
        Enterprise.objects.filter(Enterprise.classification.released())
        .annotate(joined=Coalesce(Subquery(first), "approved_at", "created_at"))
        .filter(joined__lt=period.as_at_end)
    )
    return _visible(approved, viewer)


def _directory_ids(period: Period, viewer: Viewer) -> QuerySet:
    return directory(period, viewer).values("pk")


def enterprises_by_industry(period: Period, viewer: Viewer) -> Figure:
    """Enterprises per top-level industry direction; sub-directions count for their parent.
    An enterprise in two directions counts in both, so the bars may add up to more than the
    directory."""
    ids = _directory_ids(period, viewer)
    counts = dict(
        Enterprise.industries.through.objects.filter(enterprise_id__in=ids)
        .annotate(top=Coalesce("industry__parent_id", "industry_id"))
        .values_list("top")
        .annotate(n=Count("enterprise_id", distinct=True))
    )
    header = [_("Industry"), _("Enterprises")]
    rows = [
        [industry.name, counts.get(industry.code, 0)]
        for industry in Industry.objects.filter(parent__isnull=True).order_by("code")
    ]
    without = directory(period, viewer).filter(industries__isnull=True).count()
    if without:
        rows.append([_("Not specified"), without])
    rows.sort(key=lambda row: -row[1])
    return Figure(
        "industry",
        _("Enterprises by industry"),
        "hbar",
        header,
        rows,
        [row[0] for row in rows],
        [(header[1], [row[1] for row in rows])],
        unit=_("enterprises"),
        note=_("Approved enterprises on %(day)s; one enterprise may work in several industries.")
        % {"day": period.as_at.isoformat()},
    )


def enterprises_by_region(period: Period, viewer: Viewer) -> Figure:
    """Enterprises per city: a county's enterprises count for its city (code ``4501xx`` ->
    ``450100``); profiles registered at the autonomous-region level get a row of their own."""
    counts = dict(
        Enterprise.objects.filter(pk__in=_directory_ids(period, viewer))
        .annotate(city=Concat(Substr("region_id", 1, 4), Value("00")))
        .values_list("city")
        .annotate(n=Count("pk"))
    )
    header = [_("City"), _("Enterprises")]
    rows = [
        [city.name, counts.get(city.code, 0)]
        for city in Region.objects.filter(level=Region.Level.CITY).order_by("code")
    ]
    province = sum(n for code, n in counts.items() if code.endswith("0000"))
    if province:
        rows.append([_("Autonomous-region level"), province])
    return Figure(
        "region",
        _("Enterprises by region"),
        "bar",
        header,
        rows,
        [row[0] for row in rows],
        [(header[1], [row[1] for row in rows])],
        unit=_("enterprises"),
        note=_("Approved enterprises on %(day)s; counties are counted with their city.")
        % {"day": period.as_at.isoformat()},
    )


def enterprises_by_qualification(period: Period, viewer: Viewer) -> Figure:
    """Enterprises holding a qualification of each type, valid on the period's last day:
    expired qualifications do not count, as in search filters."""
    on = period.as_at
    counts = dict(
        Qualification.objects.filter(enterprise_id__in=_directory_ids(period, viewer))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .values_list("type_id")
        .annotate(n=Count("enterprise_id", distinct=True))
    )
    header = [_("Qualification"), _("Enterprises")]
    rows = [[kind.name, counts.get(kind.code, 0)] for kind in QualificationType.objects.all()]
    return Figure(
        "qualification",
        _("Enterprises by qualification"),
        "hbar",
        header,
        rows,
        [row[0] for row in rows],
        [(header[1], [row[1] for row in rows])],
        unit=_("enterprises"),
        note=_("Approved enterprises holding a valid qualification of the type on %(day)s.")
        % {"day": on.isoformat()},
    )


def approvals_by_month(period: Period, viewer: Viewer) -> Figure:
    """Reviews per month from the version history: versions submitted, approved, returned.

    Approved and returned count by the reviewer's decision time; imported profiles arrive as
    approved versions without a submission.
    """
    versions = EnterpriseVersion.objects.filter(
        enterprise_id__in=_visible(Enterprise.objects.all(), viewer).values("pk")
    )

    def monthly(stamp: str, **lookup) -> dict[date, int]:
        rows = (
            versions.filter(**lookup, **{f"{stamp}__gte": period.start_at})
            .filter(**{f"{stamp}__lt": period.end_before})
            .annotate(month=TruncMonth(stamp))
            .values_list("month")
            .annotate(n=Count("pk"))
        )
        totals: dict[date, int] = {}
        for month, n in rows:
            totals[_month(month)] = totals.get(_month(month), 0) + n
        return totals

    columns = [
        (_("Submitted"), monthly("submitted_at")),
        (_("Approved"), monthly("decided_at", state=VersionState.APPROVED)),
        (_("Returned"), monthly("decided_at", state=VersionState.RETURNED)),
    ]
    months = period.months()
    header = [_("Month"), *(name for name, _counts in columns)]
    rows = [[month_label(m), *(counts.get(m, 0) for _n, counts in columns)] for m in months]
    return Figure(
        "approvals",
        _("Profile reviews by month"),
        "line",
        header,
        rows,
        [month_label(m) for m in months],
        [(name, [counts.get(m, 0) for m in months]) for name, counts in columns],
        unit=_("versions"),
        note=_("From the profiles' version history."),
    )


# --- Notices, responses, searches ------------------------------------------------------------


def _published(period: Period, viewer: Viewer) -> QuerySet[NoticePage]:
    notices = NoticePage.objects.filter(
        first_published_at__gte=period.start_at, first_published_at__lt=period.end_before
    )
    return _visible(notices, viewer)


def notices_by_month(period: Period, viewer: Viewer) -> Figure:
    """Notices first published in each month, one series per kind."""
    counts: dict[tuple[date, str], int] = {}
    rows_db = (
        _published(period, viewer)
        .annotate(month=TruncMonth("first_published_at"))
        .values_list("month", "kind")
        .annotate(n=Count("pk"))
    )
    for month, kind, n in rows_db:
        counts[(_month(month), kind)] = counts.get((_month(month), kind), 0) + n
    months = period.months()
    kinds = list(Kind)
    header = [_("Month"), *(str(kind.label) for kind in kinds)]
    rows = [[month_label(m), *(counts.get((m, kind.value), 0) for kind in kinds)] for m in months]
    return Figure(
        "notices",
        _("Notices by kind and month"),
        "bar",
        header,
        rows,
        [month_label(m) for m in months],
        [(str(kind.label), [counts.get((m, kind.value), 0) for m in months]) for kind in kinds],
        unit=_("notices"),
        note=_("Notices first published in the period."),
    )


def _notice_label(notice: NoticePage, viewer: Viewer) -> str:
    """The title, except in the report for a notice above the public tier: it may be printed
    for readers who may not know it, so it is named by kind, tier and number only."""
    if viewer is not None or notice.tier == Tier.PUBLIC:
        return notice.title
    return f"{notice.get_kind_display()}（{notice.get_tier_display()}）#{notice.pk}"


def responses_per_notice(period: Period, viewer: Viewer) -> Figure:
    """Responses (意向响应) each notice published in the period has received, most first."""
    notices = (
        _published(period, viewer)
        .annotate(n=Count("responses"))
        .order_by("-n", "-first_published_at", "pk")
    )
    header = [_("Notice"), _("Kind"), _("Published"), _("Responses")]
    rows = [
        [
            _notice_label(notice, viewer),
            notice.get_kind_display(),
            timezone.localtime(notice.first_published_at).date().isoformat(),
            notice.n,
        ]
        for notice in notices.only("pk", "title", "kind", "tier", "first_published_at")
    ]
    categories, series = _ranking(header, rows, 3)
    return Figure(
        "responses",
        _("Responses per notice"),
        "hbar",
        header,
        rows,
        categories,
        series,
        unit=_("responses"),
        note=_("Notices published in the period and all the responses they received."),
    )


def zero_result_terms(period: Period, viewer: Viewer) -> Figure:
    """Supplier search terms that found nothing: what people look for that the registry
    lacks. Counted per normalised term (``recording.normalise_term``)."""
    terms = (
        SearchTerm.objects.filter(day__gte=period.start, day__lte=period.end)
        .values("term")
        .annotate(zero=Sum("zero_results"), searches=Sum("searches"), last=Max("day"))
        .filter(zero__gt=0)
        .order_by("-zero", "term")
    )
    header = [_("Search term"), _("Searches without results"), _("Searches"), _("Last searched")]
    rows = [[t["term"], t["zero"], t["searches"], t["last"].isoformat()] for t in terms]
    categories, series = _ranking(header, rows, 1)
    return Figure(
        "terms",
        _("Search terms with no results"),
        "hbar",
        header,
        rows,
        categories,
        series,
        unit=_("searches"),
        note=_("Supplier searches (page and API) whose query found no enterprise."),
    )


#: Figure key -> builder, in the order the dashboard and the report show them.
FIGURES: dict[str, Callable[[Period, Viewer], Figure]] = {
    "industry": enterprises_by_industry,
    "region": enterprises_by_region,
    "qualification": enterprises_by_qualification,
    "approvals": approvals_by_month,
    "notices": notices_by_month,
    "responses": responses_per_notice,
    "terms": zero_result_terms,
}


def cache_seconds() -> int:
    return int(getattr(settings, "STATISTICS_CACHE_SECONDS", 120))


def figure(key: str, period: Period, viewer: Viewer) -> Figure:
    """The figure ``key`` for ``period`` as ``viewer`` may see it, from the cache if fresh.

    The key names the figure, the period, who looks (their visibility differs) and the
    language (labels are translated when the figure is built).
    """
    build = FIGURES[key]
    cache_key = f"statistics:{key}:{period.key}:{_scope(viewer)}:{translation.get_language() or ''}"
    found = cache.get(cache_key)
    if found is None:
        found = build(period, viewer)
        cache.set(cache_key, found, cache_seconds())
    return found


def all_figures(period: Period, viewer: Viewer) -> list[Figure]:
    return [figure(key, period, viewer) for key in FIGURES]


def summary(period: Period, viewer: Viewer) -> dict[str, int]:
    """The key numbers above the charts and in the report's summary."""
    from portal.enterprises import confirmation

    notices = _published(period, viewer)
    yearly = confirmation.counts(_visible(Enterprise.objects.all(), viewer))
    return {
        "enterprises": directory(period, viewer).count(),
        "confirmed": yearly["confirmed"],
        "confirmation_due": yearly["due"],
        "confirmation_overdue": yearly["overdue"],
        "notices": notices.count(),
        "responses": notices.aggregate(n=Count("responses"))["n"] or 0,
        "zero_terms": len(figure("terms", period, viewer).rows),
    }
