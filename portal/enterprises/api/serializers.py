"""Input validation for an owner's PATCH, and the documented output shape.

The PATCH serializer turns what a program sends into snapshot JSON (the shape versions store,
see ``snapshots``): codes for region, industries and qualification types, ISO dates, decimal
strings. Every check an owner would meet on the wizard's forms is here too, so that a bad value
is refused with a field message instead of reaching a reviewer.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import Field

from ..fields import NULL_KINDS, PROFILE, Kind, ProfileField, profile_list
from ..models import (
    Case,
    Contact,
    Enterprise,
    Industry,
    Patent,
    Product,
    Qualification,
    QualificationType,
    Region,
)


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


#: A long text (a model TextField) as much as the API accepts.
LONG_TEXT = 10000


def spec_field(spec: ProfileField, model_field: models.Field, *, item: bool) -> Field:
    """The serializer field of a spec field of a simple kind.

    A list item's optional field defaults to its empty value (an owner may send only the
    name of a product); a profile field is sent only when changed (PATCH).
    """
    options: dict[str, Any] = {}
    if item and (model_field.blank or spec.kind is Kind.BOOLEAN):
        options.update(required=False, default=spec.empty())
    if spec.kind in (Kind.TEXT, Kind.URL, Kind.EMAIL, Kind.CHOICE) and model_field.blank:
        options["allow_blank"] = True
    if spec.kind in NULL_KINDS:
        options["allow_null"] = True
    match spec.kind:
        case Kind.TEXT:
            # Long profile texts are capped here; an item's description is bounded by its form.
            limit = model_field.max_length or (None if item else LONG_TEXT)
            if limit is not None:
                options["max_length"] = limit
            return serializers.CharField(**options)
        case Kind.URL:
            return serializers.URLField(**options)
        case Kind.EMAIL:
            return serializers.EmailField(**options)
        case Kind.CHOICE:
            return serializers.ChoiceField(choices=model_field.choices, **options)
        case Kind.DATE:
            return serializers.DateField(**options)
        case Kind.DECIMAL:
            minimum = [
                Decimal(v.limit_value)
                for v in model_field.validators
                if isinstance(v, MinValueValidator)
            ]
            return serializers.DecimalField(
                max_digits=model_field.max_digits,
                decimal_places=model_field.decimal_places,
                min_value=minimum[0] if minimum else None,
                **options,
            )
        case Kind.BOOLEAN:
            return serializers.BooleanField(**options)
        case Kind.INTEGER:
            return serializers.IntegerField(**options)
    raise ImproperlyConfigured(f"{spec.name}: a {spec.kind} field needs a declared field")


class SpecSerializer(serializers.Serializer):
    """A serializer whose fields are ``specs`` (those ``in_serializer``), in their order.

    Fields a subclass declares replace the generated ones (lookups, stricter limits); the
    declared fields that are not in ``specs`` (the profile's lists) follow.
    """

    specs: ClassVar[tuple[ProfileField, ...]] = ()
    model: ClassVar[type[models.Model]]
    item: ClassVar[bool] = True

    def get_fields(self) -> dict[str, Field]:
        declared = super().get_fields()
        fields: dict[str, Field] = {}
        for spec in self.specs:
            if spec.in_serializer:
                fields[spec.name] = declared.pop(spec.name, None) or spec_field(
                    spec, self.model._meta.get_field(spec.name), item=self.item
                )
        return {**fields, **declared}


class ProductSerializer(SpecSerializer):
    specs = profile_list("products").fields
    model = Product


class PatentSerializer(SpecSerializer):
    specs = profile_list("patents").fields
    model = Patent


class CaseSerializer(SpecSerializer):
    specs = profile_list("cases").fields
    model = Case

    year = serializers.IntegerField(min_value=1949, max_value=2100, allow_null=True, required=False)


class ContactSerializer(SpecSerializer):
    specs = profile_list("contacts").fields
    model = Contact


class QualificationSerializer(SpecSerializer):
    """A qualification without its scan: documents are uploaded through the wizard's form."""

    specs = profile_list("qualifications").fields
    model = Qualification

    type = serializers.SlugRelatedField(slug_field="code", queryset=QualificationType.objects)

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


class EnterprisePatchSerializer(SpecSerializer):
    """The profile fields an owner may change through the API (all optional: a PATCH)."""

    specs = PROFILE
    model = Enterprise
    item = False

    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects)
    industries = serializers.SlugRelatedField(
        slug_field="code", queryset=Industry.objects, many=True
    )
    capability_tags = serializers.ListField(
        child=serializers.CharField(max_length=30), max_length=30
    )
    # The lists, in ``fields.LISTS`` order (a test holds the two together).
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
