"""Step 1, company basics: USCC, names, region, industries, description, capabilities."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Enterprise, Ownership, Region, StaffSize
from ..uscc import validate_uscc
from .choices import industry_choices, region_choices

#: Tags are typed as one line; people separate them with Chinese or Latin punctuation.
TAG_SEPARATORS = re.compile(r"[,，、;；\n]+")
MAX_TAGS = 20


#: What registration answers for a credit code already in the registry, visible or not.
REGISTERED_MESSAGE = _(
    "This credit code cannot be used for a new registration. If it is your enterprise's, "
    "please claim the profile."
)


class CompanyForm(forms.Form):
    """The profile fields of the snapshot. ``uscc`` is fixed once the profile exists."""

    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        help_text=_("18 characters, as printed on the business licence."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(label=_("Company name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=50, required=False)
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=50, required=False
    )
    founded_on = forms.DateField(
        label=_("Founded on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    registered_capital = forms.DecimalField(
        label=_("Registered capital (10,000 CNY)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
    )
    staff_size = forms.ChoiceField(
        label=_("Staff size"), choices=[("", "—"), *StaffSize.choices], required=False
    )
    ownership = forms.ChoiceField(
        label=_("Ownership"), choices=[("", "—"), *Ownership.choices], required=False
    )
    region = forms.ChoiceField(
        label=_("Region"),
        error_messages={
            "invalid_choice": _("Please choose a city or county of Guangxi from the list."),
        },
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=200
    )
    industries = forms.MultipleChoiceField(
        label=_("Industries"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Please choose industries from the list.")},
    )
    description = forms.CharField(
        label=_("Company profile"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    capabilities = forms.CharField(
        label=_("Capabilities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the company can make or do for defence customers."),
    )
    capability_tags = forms.CharField(
        label=_("Capability tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas or 、, e.g. 精密加工、北斗定位."),
    )

    def __init__(self, *args: Any, enterprise: Enterprise | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        self.fields["region"].choices = [("", "—"), *region_choices()]
        self.fields["industries"].choices = industry_choices()
        if enterprise is not None:
            # The credit code identifies the enterprise; a wrong one is fixed by a reviewer.
            self.fields["uscc"].disabled = True
            self.initial = {**self.initial, "uscc": enterprise.uscc}
            self.fields["uscc"].help_text = _("The credit code cannot be changed here.")

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Form initial values from a snapshot."""
        initial = {name: data.get(name) for name in cls.base_fields}
        initial["capability_tags"] = "、".join(data.get("capability_tags") or [])
        initial["industries"] = data.get("industries") or []
        return initial

    @property
    def uscc_registered(self) -> bool:
        """Whether the credit code was refused as already in the registry (offer the claim)."""
        return self.has_error("uscc", code="registered")

    def clean_uscc(self) -> str:
        if self.enterprise is not None:
            return self.enterprise.uscc
        known = set(Region.objects.values_list("code", flat=True))
        code = validate_uscc(self.cleaned_data["uscc"], known_area_codes=known)
        if Enterprise.objects.filter(uscc=code).exists():
            # The same words whether or not the user may see that profile (a draft, a revoked or
            # a targeted one): registration must not confirm that an unreleased profile exists.
            raise ValidationError(REGISTERED_MESSAGE, code="registered")
        return code

    def clean_capability_tags(self) -> list[str]:
        raw = self.cleaned_data.get("capability_tags") or ""
        tags: list[str] = []
        for tag in TAG_SEPARATORS.split(raw):
            tag = tag.strip()
            if tag and tag not in tags:
                tags.append(tag[:30])
        if len(tags) > MAX_TAGS:
            raise ValidationError(
                _("Please give at most %(count)d tags."), params={"count": MAX_TAGS}
            )
        return tags

    def snapshot_data(self) -> dict[str, Any]:
        """The cleaned step as snapshot fields (dates ISO, capital as a string)."""
        data = dict(self.cleaned_data)
        founded = data.get("founded_on")
        data["founded_on"] = founded.isoformat() if founded else None
        capital = data.get("registered_capital")
        data["registered_capital"] = str(capital) if capital is not None else None
        data["industries"] = sorted(data.get("industries") or [])
        return data
