"""Input validation for an owner's PATCH, and the documented output shape.

The PATCH serializer turns what a program sends into snapshot JSON (the shape versions store,
see ``snapshots``): codes for region, industries and qualification types, ISO dates, decimal
strings. Every check an owner would meet on the wizard's forms is here too, so that a bad value
is refused with a field message instead of reaching a reviewer.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Industry, Ownership, QualificationType, Region, StaffSize


def _json(value: Any) -> Any:
    """A validated value as snapshots store it."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    return value


class ProductSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(allow_blank=True, required=False, default="")


class PatentSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=50, allow_blank=True, required=False, default="")
    title = serializers.CharField(max_length=200)
    is_defense = serializers.BooleanField(required=False, default=False)
    granted_on = serializers.DateField(allow_null=True, required=False, default=None)


class CaseSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    client = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    year = serializers.IntegerField(min_value=1949, max_value=2100, allow_null=True, required=False)
    description = serializers.CharField(allow_blank=True, required=False, default="")


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    job_title = serializers.CharField(max_length=50, allow_blank=True, required=False, default="")
    phone = serializers.CharField(max_length=30, allow_blank=True, required=False, default="")
    email = serializers.EmailField(allow_blank=True, required=False, default="")


class QualificationSerializer(serializers.Serializer):
    """A qualification without its scan: documents are uploaded through the wizard's form."""

    type = serializers.SlugRelatedField(slug_field="code", queryset=QualificationType.objects)
    number = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    issuer = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    level = serializers.CharField(max_length=20, allow_blank=True, required=False, default="")
    valid_from = serializers.DateField(allow_null=True, required=False, default=None)
    valid_until = serializers.DateField(allow_null=True, required=False, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind: QualificationType = attrs["type"]
        if attrs.get("level") and kind.levels and attrs["level"] not in kind.levels:
            raise serializers.ValidationError(
                {"level": [_("Choose one of: %(levels)s.") % {"levels": "、".join(kind.levels)}]}
            )
        start, end = attrs.get("valid_from"), attrs.get("valid_until")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"valid_until": [_("The end of validity is before its start.")]}
            )
        attrs["type"] = kind.code
        return attrs


class EnterprisePatchSerializer(serializers.Serializer):
    """The profile fields an owner may change through the API (all optional: a PATCH)."""

    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=50, allow_blank=True)
    legal_representative = serializers.CharField(max_length=50, allow_blank=True)
    founded_on = serializers.DateField(allow_null=True)
    registered_capital = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal(0), allow_null=True
    )
    staff_size = serializers.ChoiceField(choices=StaffSize.choices, allow_blank=True)
    ownership = serializers.ChoiceField(choices=Ownership.choices, allow_blank=True)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects)
    address = serializers.CharField(max_length=200, allow_blank=True)
    website = serializers.URLField(allow_blank=True)
    industries = serializers.SlugRelatedField(
        slug_field="code", queryset=Industry.objects, many=True
    )
    description = serializers.CharField(allow_blank=True, max_length=10000)
    capabilities = serializers.CharField(allow_blank=True, max_length=10000)
    capability_tags = serializers.ListField(
        child=serializers.CharField(max_length=30), max_length=30
    )
    qualifications = QualificationSerializer(many=True)
    products = ProductSerializer(many=True)
    technologies = ProductSerializer(many=True)
    patents = PatentSerializer(many=True)
    cases = CaseSerializer(many=True)
    contacts = ContactSerializer(many=True)

    def validate_founded_on(self, value: date | None) -> date | None:
        if value and value > date.today():
            raise serializers.ValidationError(_("The founding date is in the future."))
        return value

    def validate_region(self, value: Region) -> str:
        if value.level == Region.Level.PROVINCE:
            raise serializers.ValidationError(_("Choose a city or a county."))
        return value.code

    def validate_industries(self, value: list[Industry]) -> list[str]:
        return sorted({industry.code for industry in value})

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                message = _("This field cannot be changed through the API.")
                if "uscc" in unknown:
                    message = _("The credit code cannot be changed; register a new profile.")
                raise serializers.ValidationError({name: [str(message)] for name in unknown})
        return super().to_internal_value(data)

    def snapshot_changes(self) -> dict[str, Any]:
        """The validated changes as snapshot JSON, ready for ``workflow.save_draft``."""
        return _json(dict(self.validated_data))


class NamedCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class EnterpriseOutputSerializer(serializers.Serializer):
    """For the OpenAPI schema only: the shape of a profile as the API sends it.

    Keys above the reader's tier are left out and listed in ``redacted``.
    """

    id = serializers.IntegerField()
    url = serializers.CharField()
    status = serializers.CharField()
    tier = serializers.CharField()
    updated_at = serializers.DateTimeField()
    uscc = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    legal_representative = serializers.CharField(required=False)
    founded_on = serializers.DateField(allow_null=True)
    registered_capital = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    staff_size = serializers.CharField()
    ownership = serializers.CharField()
    region = serializers.CharField()
    region_code = serializers.CharField()
    address = serializers.CharField()
    website = serializers.CharField()
    industries = serializers.ListField(child=serializers.DictField())
    description = serializers.CharField()
    capabilities = serializers.CharField()
    capability_tags = serializers.ListField(child=serializers.CharField())
    qualifications = serializers.ListField(child=serializers.DictField())
    products = serializers.ListField(child=serializers.DictField())
    technologies = serializers.ListField(child=serializers.DictField())
    patents = serializers.ListField(child=serializers.DictField())
    cases = serializers.ListField(child=serializers.DictField())
    contacts = serializers.ListField(child=serializers.DictField(), required=False)
    redacted = serializers.ListField(child=serializers.CharField())


class WorkingCopySerializer(serializers.Serializer):
    """For the OpenAPI schema only: the answer to an owner's PATCH."""

    id = serializers.IntegerField()
    version = serializers.IntegerField()
    state = serializers.CharField()
    profile = serializers.DictField()
