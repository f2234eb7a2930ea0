"""/api/v1/statistics/: the dashboard's figures as JSON, for staff only (404 for others).

``GET statistics/`` lists the figures; ``GET statistics/{key}/?year=`` (or ``start``/``end``)
returns one as ``{"key", "title", "period", "header", "rows", "unit", "note"}``. A refused
period answers 400 in the API's error shape.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from . import figures
from .access import can_view_statistics
from .forms import period_from

_PERIOD = [
    OpenApiParameter("year", OpenApiTypes.INT),
    OpenApiParameter("start", OpenApiTypes.DATE, description="with end; wins over year"),
    OpenApiParameter("end", OpenApiTypes.DATE),
]


class StaffOnly(APIView):
    hides_itself = True  # 404, not 403, for those who may not use it (schema.PortalAutoSchema)

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if not can_view_statistics(request.user):
            raise Http404("No such resource.")


class FigureListView(StaffOnly):
    @extend_schema(operation_id="statistics_list", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "results": [
                    {
                        "key": key,
                        "url": reverse("api:statistics-api:figure", args=[key], request=request),
                    }
                    for key in figures.FIGURES
                ]
            }
        )


class FigureView(StaffOnly):
    @extend_schema(
        operation_id="statistics_figure", parameters=_PERIOD, responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request, key: str) -> Response:
        if key not in figures.FIGURES:
            raise Http404("No such figure.")
        form, period = period_from(request.query_params)
        if period is None:
            fields = {
                ("non_field_errors" if name == "__all__" else name): [e["message"] for e in errs]
                for name, errs in form.errors.get_json_data().items()
            }
            raise exceptions.ValidationError(fields)
        figure = figures.figure(key, period, request.user)
        return Response(
            {
                "key": figure.key,
                "title": figure.title,
                "period": {"start": period.start, "end": period.end},
                "header": figure.header,
                "rows": figure.rows,
                "unit": figure.unit,
                "note": figure.note,
            }
        )
