"""Which notices a list shows: the release policy first, then the visitor's filters.

The index page, the feeds, the sitemap and the API all start from ``visible_notices(user)``,
so that no surface writes its own "published" rule: a second copy of that rule would drift
from the policy and show an unreleased notice somewhere.
Filters are allow-listed: a kind outside ``Kind``, an unknown industry or region code is
collected in ``NoticeFilters.errors`` and dropped, and the page shows it as a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classification import policy
from portal.enterprises.models import Industry, Region

from .models import Kind, NoticePage, open_notices

PAGE_SIZE = 10
#: The allow-lists of the notice filters, shared by this list and the notice search.
STATUSES = ("open", "closed")
UNKNOWN_KIND = _("Unknown notice kind.")
UNKNOWN_STATUS = _("Status is open or closed.")


def visible_notices(user) -> QuerySet:
    """Live notices ``user`` may see, newest first: the one starting point of every list."""
    queryset = NoticePage.objects.live().select_related("region")
    return policy.visible(queryset, user).order_by("-first_published_at", "-pk")


@dataclass
class NoticeFilters:
    kind: str = ""
    industry: str = ""
    region: str = ""
    status: str = ""
    q: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> NoticeFilters:
        """Read the filters from a QueryDict, collecting (not raising) what is refused."""
        found = cls(
            kind=params.get("kind", "").strip(),
            industry=params.get("industry", "").strip(),
            region=params.get("region", "").strip(),
            status=params.get("status", "").strip(),
            q=params.get("q", "").strip()[:100],
        )
        if found.kind and found.kind not in Kind.values:
            found.errors["kind"] = str(UNKNOWN_KIND)
            found.kind = ""
        if found.status and found.status not in STATUSES:
            found.errors["status"] = str(UNKNOWN_STATUS)
            found.status = ""
        if found.industry and not Industry.objects.filter(code=found.industry).exists():
            found.errors["industry"] = str(_("Unknown industry code."))
            found.industry = ""
        if found.region and not Region.objects.filter(code=found.region).exists():
            found.errors["region"] = str(_("Unknown region code."))
            found.region = ""
        return found

    def apply(self, queryset: QuerySet, user, skip: str = "") -> QuerySet:
        """``queryset`` narrowed by every filter but ``skip`` (facet counts skip their own).

        Filters on fields outside the stub (industries, the summary's text) match only the
        notices whose body ``user`` reads: a stub is not found by what it withholds.
        """
        body = policy.body_readable(NoticePage, user)
        if body is not None and ((self.industry and skip != "industry") or self.q):
            queryset = queryset.filter(body)
        if self.kind and skip != "kind":
            queryset = queryset.filter(kind=self.kind)
        if self.industry and skip != "industry":
            # A top-level direction includes its sub-directions.
            queryset = queryset.filter(
                Q(industries__code=self.industry) | Q(industries__parent_id=self.industry)
            ).distinct()
        if self.region and skip != "region":
            # A city includes its counties; the autonomous region includes everything.
            region = Region.objects.get(code=self.region)
            if region.level != Region.Level.PROVINCE:
                queryset = queryset.filter(
                    Q(region_id=self.region) | Q(region__parent_id=self.region)
                )
        if self.status and skip != "status":
            condition = open_notices(timezone.now())
            queryset = queryset.filter(condition if self.status == "open" else ~condition)
        if self.q:
            # Plain database matching; a ``q`` through the API goes to the notice search.
            queryset = queryset.filter(Q(title__icontains=self.q) | Q(summary__icontains=self.q))
        return queryset

    def as_query(self) -> str:
        from urllib.parse import urlencode

        pairs = {
            k: v
            for k, v in (
                ("kind", self.kind),
                ("industry", self.industry),
                ("region", self.region),
                ("status", self.status),
                ("q", self.q),
            )
            if v
        }
        return urlencode(pairs)


def facets(base: QuerySet, filters: NoticeFilters, user) -> dict[str, dict[str, int]]:
    """Counts per kind and per status among what the user may see and the other filters."""
    kinds = {
        row["kind"]: row["n"]
        for row in filters.apply(base, user, skip="kind")
        .order_by()
        .values("kind")
        .annotate(n=Count("pk", distinct=True))
    }
    by_status = filters.apply(base, user, skip="status")
    now = timezone.now()
    return {
        "kind": {value: kinds.get(value, 0) for value in Kind.values},
        "status": {
            "open": by_status.filter(open_notices(now)).count(),
            "closed": by_status.exclude(open_notices(now)).count(),
        },
    }


def index_context(request) -> dict:
    """Context of the notice index page: filters, one page of notices, filter choices."""
    from .presentation import summary_data

    filters = NoticeFilters.from_params(request.GET)
    base = visible_notices(request.user)
    queryset = filters.apply(base, request.user).prefetch_related("industries")
    paginator = Paginator(queryset, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return {
        "filters": filters,
        "filter_query": filters.as_query(),
        "notices": [summary_data(notice, request.user) for notice in page_obj.object_list],
        "page_obj": page_obj,
        "paginator": paginator,
        "kind_choices": Kind.choices,
        "industry_choices": Industry.objects.filter(parent__isnull=True),
        "region_choices": Region.objects.exclude(level=Region.Level.COUNTY),
        "facets": facets(base, filters, request.user),
    }
