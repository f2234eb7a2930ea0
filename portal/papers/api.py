"""``GET /api/v1/papers/`` and ``GET /api/v1/papers/{id}/``: papers through the release policy.

Lists and details carry only what the user may see (``policy.visible``); each item goes through
``redaction.redact`` so that the PDF link is left out, and named in ``redacted``, when the
user may see the paper but not its PDF. Unknown or invisible ids answer 404 in the API's error
shape.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from classification import policy
from classification.redaction import redact

from .models import PaperKind, PaperPage
from .outline import outline

#: Field names in the API -> the field name the paper's field tiers use.
FIELD_TIER_NAMES = {"pdf_url": "pdf"}


class PaperSerializer(serializers.Serializer):
    """The public shape of a paper; ``to_representation`` applies the redaction."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    subtitle = serializers.CharField()
    kind = serializers.ChoiceField(choices=PaperKind.choices)
    tier = serializers.CharField()
    issuing_body = serializers.CharField()
    issue_date = serializers.DateField()
    summary = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField()
    pdf_url = serializers.CharField(required=False)
    redacted = serializers.ListField(child=serializers.CharField())

    def to_representation(self, paper: PaperPage) -> dict[str, Any]:
        request = self.context["request"]
        data: dict[str, Any] = {
            "id": paper.pk,
            "title": paper.title,
            "subtitle": paper.subtitle,
            "kind": paper.kind,
            "tier": paper.tier,
            "issuing_body": paper.issuing_body,
            "issue_date": paper.issue_date.isoformat(),
            "summary": paper.summary,
            "published_at": paper.first_published_at.isoformat()
            if paper.first_published_at
            else None,
            "url": request.build_absolute_uri(paper.url),
            "pdf": request.build_absolute_uri(paper.pdf_url()),
        }
        data.update(self.detail_fields(paper))
        kept = redact(paper, request.user, data)
        if "pdf" in kept:
            kept["pdf_url"] = kept.pop("pdf")
        renamed = {v: k for k, v in FIELD_TIER_NAMES.items()}
        kept["redacted"] = sorted(renamed.get(name, name) for name in kept["redacted"])
        return kept

    def detail_fields(self, paper: PaperPage) -> dict[str, Any]:
        return {}


class PaperDetailSerializer(PaperSerializer):
    chapters = serializers.ListField(child=serializers.DictField())

    def detail_fields(self, paper: PaperPage) -> dict[str, Any]:
        chapters = [
            {"number": c.number, "heading": c.heading, "anchor": c.anchor}
            for c in outline(paper).chapters
        ]
        return {"chapters": chapters}


class PaperQueryMixin:
    def get_queryset(self):
        return policy.visible(PaperPage.objects.live(), self.request.user).order_by(
            "-issue_date", "-pk"
        )


class PaperListView(PaperQueryMixin, GenericAPIView):
    serializer_class = PaperSerializer

    @extend_schema(
        operation_id="papers_list",
        summary="List papers the caller may see",
        parameters=[OpenApiParameter("kind", str, enum=PaperKind.values)],
        responses=PaperSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        papers = self.get_queryset()
        kind = request.query_params.get("kind")
        if kind is not None:
            if kind not in PaperKind.values:
                raise ValidationError({"kind": [f"Must be one of {', '.join(PaperKind.values)}."]})
            papers = papers.filter(kind=kind)
        page = self.paginate_queryset(papers)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PaperDetailView(PaperQueryMixin, GenericAPIView):
    serializer_class = PaperDetailSerializer

    @extend_schema(
        operation_id="papers_retrieve", summary="One paper, with its chapters and PDF link"
    )
    def get(self, request: Request, pk: int) -> Response:
        paper = policy.get_visible_or_404(self.get_queryset(), request.user, pk=pk)
        return Response(self.get_serializer(paper).data)
