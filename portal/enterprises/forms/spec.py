"""Form fields from the field spec (``fields``): the wizard's forms declare only exceptions.

A form class decorated with ``spec_fields`` gets one form field per spec field, in the spec's
order, built from the field's kind and its model field (length, blank, choices, minimum). A
field the form declares itself is kept (a lookup-backed select, a stricter pattern) and gets the
spec's label and help text unless it states its own. Declared fields outside the spec (a hidden
helper) follow the spec's fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MinValueValidator
from django.db import models

from ..fields import Kind, ProfileField

_DATE_INPUT = {"type": "date"}


def _min_value(model_field: models.Field) -> Decimal | None:
    limits = [v.limit_value for v in model_field.validators if isinstance(v, MinValueValidator)]
    return Decimal(limits[0]) if limits else None


def form_field(spec: ProfileField, model_field: models.Field) -> forms.Field:
    """The default form field of a spec field of a simple kind."""
    common = {"label": spec.label, "required": not model_field.blank}
    if spec.help_text:
        common["help_text"] = spec.help_text
    match spec.kind:
        case Kind.TEXT:
            widget = forms.Textarea(attrs={"rows": spec.rows}) if spec.rows else None
            return forms.CharField(max_length=model_field.max_length, widget=widget, **common)
        case Kind.URL:
            return forms.URLField(
                max_length=model_field.max_length, assume_scheme="https", **common
            )
        case Kind.EMAIL:
            return forms.EmailField(**common)
        case Kind.DATE:
            return forms.DateField(widget=forms.DateInput(attrs=_DATE_INPUT), **common)
        case Kind.DECIMAL:
            return forms.DecimalField(
                min_value=_min_value(model_field),
                max_digits=model_field.max_digits,
                decimal_places=model_field.decimal_places,
                **common,
            )
        case Kind.CHOICE:
            return forms.ChoiceField(choices=[("", "—"), *model_field.choices], **common)
        case Kind.BOOLEAN:
            return forms.BooleanField(**{**common, "required": False})
        case Kind.INTEGER:
            return forms.IntegerField(**common)
    raise ImproperlyConfigured(f"{spec.name}: a {spec.kind} field needs a declared form field")


def spec_fields(
    specs: Iterable[ProfileField], model: type[models.Model]
) -> Callable[[type[forms.Form]], type[forms.Form]]:
    """Class decorator: give the form the spec's fields, with limits from ``model``'s."""
    specs = [spec for spec in specs if spec.in_form]

    def decorate(form_class: type[forms.Form]) -> type[forms.Form]:
        declared = dict(form_class.declared_fields)
        meta = model._meta
        built: dict[str, forms.Field] = {}
        for spec in specs:
            field = declared.pop(spec.name, None)
            if field is None:
                field = form_field(spec, meta.get_field(spec.name))
            else:
                field.label = field.label if field.label is not None else spec.label
                field.help_text = field.help_text or spec.help_text
            built[spec.name] = field
        form_class.declared_fields = form_class.base_fields = {**built, **declared}
        return form_class

    return decorate
