"""The public directory (/enterprises/) and profile page (/enterprises/<pk>/).

Both ask the release policy and nothing else: ``visible`` narrows the list in SQL and
``get_visible_or_404`` answers 404 for a profile the reader may not see. The profile is the
dict of ``presentation.profile_data`` after ``redaction.redact``, so a hidden field never
reaches the template.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from classification import audit, policy, redaction
from portal.core.counting import EstimatingPaginator

from .. import confirmation
from ..forms.choices import industry_choices, region_choices
from ..models import Enterprise, Industry, Recommendation, Region, Status
from ..presentation import attach_document_links, profile_data
from ..workflow import is_owner

PAGE_SIZE = 20


def _filtered(queryset: QuerySet, region: str, industry: str) -> QuerySet:
    """Region: a city includes its counties (code prefix). Industry: a direction includes its
    sub-directions."""
    if region:
        place = Region.objects.filter(code=region).first()
        if place is None:
            return queryset.none()
        if place.level == Region.Level.CITY:
            queryset = queryset.filter(region__code__startswith=place.code[:4])
        elif place.level == Region.Level.COUNTY:
            queryset = queryset.filter(region_id=place.code)
    if industry:
        codes = list(
            Industry.objects.filter(Q(code=industry) | Q(parent_id=industry)).values_list(
                "code", flat=True
            )
        )
        queryset = (
            queryset.filter(industries__code__in=codes).distinct() if codes else queryset.none()
        )
    return queryset


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "").strip()[:6]
    industry = request.GET.get("industry", "").strip()[:10]
    # Approved profiles only (a directory, not the owner's workspace), narrowed by the policy.
    released = Enterprise.objects.filter(Enterprise.classification.released())
    queryset = _filtered(policy.visible(released, request.user), region, industry)
    queryset = queryset.select_related("region__parent").prefetch_related("industries")
    # Past ``counting.THRESHOLD`` profiles the total is the planner's estimate ("约 …").
    ordered = queryset.order_by("name", "pk")
    page = EstimatingPaginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/directory.html",
        {
            "page": page,
            "region": region,
            "industry": industry,
            "region_choices": region_choices(),
            "industry_choices": industry_choices(),
            "query": query.urlencode(),
            "filtered": bool(region or industry),
        },
    )


def access_request_url(enterprise: Enterprise) -> str:
    """The classification app's access request page for this profile, if it has one."""
    try:
        return reverse(
            "classification:request_access",
            args=[enterprise._meta.app_label, enterprise._meta.model_name, enterprise.pk],
        )
    except NoReverseMatch:
        return ""


@require_GET
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = Enterprise.objects.select_related("region__parent")
    enterprise = policy.get_visible_or_404(queryset, request.user, pk=pk)
    audit.record_view(request.user, enterprise, request)
    data = redaction.redact(enterprise, request.user, profile_data(enterprise))
    attach_document_links(data)
    return render(
        request,
        "enterprises/profile.html",
        {
            "enterprise": enterprise,
            "profile": data,
            "redacted": set(data["redacted"]),
            "access_url": access_request_url(enterprise) if data["redacted"] else "",
            "is_owner": is_owner(request.user, enterprise),
            "is_approved": enterprise.status == Status.APPROVED,
            "confirmation_state": confirmation.state(enterprise),
            "recommendations": list(
                enterprise.recommendations.filter(Recommendation.public()).select_related("paper")
            ),
        },
    )
