"""Agencies' pushes: enterprise records in the import format, proposed for review.

``POST /api/v1/sharing/enterprises/push/`` with ``{"records": [{"统一社会信用代码": …, …}]}``:
each record is a spreadsheet row as a JSON object (the import format's headers as keys). They
go through the same parsing, alias tables and checks as ``import_enterprises``; the valid ones
become versions waiting in the reviewers' queue (``workflow.propose``), never live profiles.
The answer gives each record's result, so the agency can fix and resend only the refused ones.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from portal.core.clients import client_address
from portal.enterprises import workflow
from portal.enterprises.importing.columns import ENTRY_JOIN
from portal.enterprises.importing.progress import NoProgress
from portal.enterprises.importing.readers import FileRefused, RawRow, Table, cell_text
from portal.enterprises.importing.service import plan

from .models import Exchange, SharingClient
from .oauth import ClientView

#: Records one push may carry; larger lists are sent in several pushes.
MAX_RECORDS = 500

Cell = str | int | float | bool | None


class PushInput(serializers.Serializer):
    records = serializers.ListField(
        child=serializers.DictField(child=serializers.JSONField()),
        min_length=1,
        max_length=MAX_RECORDS,
    )

    def validate_records(self, records: list[dict[str, Any]]) -> list[dict[str, str]]:
        cleaned = []
        for number, record in enumerate(records, start=1):
            row = {}
            for header, value in record.items():
                if isinstance(value, list) and all(not isinstance(v, list | dict) for v in value):
                    value = ENTRY_JOIN.join(cell_text(v) for v in value)
                elif isinstance(value, dict | list):
                    raise serializers.ValidationError(
                        _("Record %(n)d, %(header)s: give text, a number or a list of texts.")
                        % {"n": number, "header": header}
                    )
                row[str(header)] = cell_text(value)
            cleaned.append(row)
        return cleaned


def as_table(records: list[dict[str, str]]) -> Table:
    headers = list(dict.fromkeys(header for record in records for header in record))
    rows = [
        RawRow(number=number, cells=record, formulas=[])
        for number, record in enumerate(records, start=1)
    ]
    return Table(headers=headers, rows=rows)


def push(client: SharingClient, records: list[dict[str, str]]) -> dict[str, Any]:
    """Propose ``records`` for review; each record's result and the counts."""
    try:
        planned = plan(as_table(records), dry_run=False, progress=NoProgress(), live=False)
    except FileRefused as error:
        raise exceptions.ValidationError({"records": [str(error)]}) from error
    results: dict[int, dict[str, Any]] = {
        number: {"record": number, "uscc": "", "result": "unchanged", "errors": []}
        for number in range(1, len(records) + 1)
    }
    for uscc, number in planned.rows_by_uscc.items():
        results[number]["uscc"] = uscc
    for error in planned.report.errors:
        entry = results[error.row]
        entry["result"] = "refused"
        entry["errors"].append({"field": error.column, "message": error.message})
    proposals = [*planned.created, *(data for _enterprise, data in planned.updated)]
    agent = client.service_user
    with transaction.atomic():
        for data in proposals:
            entry = results[planned.rows_by_uscc[data["uscc"]]]
            try:
                with transaction.atomic():
                    version = workflow.propose(agent, data)
            except workflow.WorkflowError as error:
                entry["result"] = "refused"
                entry["errors"].append({"field": "", "message": " ".join(error.messages)})
            else:
                entry["result"] = "proposed"
                entry["version"] = version.number
    ordered = [results[number] for number in sorted(results)]
    counts = {
        kind: sum(1 for entry in ordered if entry["result"] == kind)
        for kind in ("proposed", "unchanged", "refused")
    }
    return {"results": ordered, **counts}


class PushView(ClientView):
    """Send enterprise records for review (scope ``enterprises:push``)."""

    required_scope = "enterprises:push"

    @extend_schema(request=PushInput, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        given = PushInput(data=request.data)
        given.is_valid(raise_exception=True)
        records = given.validated_data["records"]
        client: SharingClient = request.sharing_client
        answer = push(client, records)
        Exchange.objects.create(
            client=client,
            direction=Exchange.Direction.PUSH,
            endpoint=request.path,
            record_count=len(records),
            address=client_address(request) or None,
        )
        return Response(answer, headers={"Cache-Control": "private, no-store"})
