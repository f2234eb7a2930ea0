"""Step 1, company basics: USCC, names, region, industries, description, capabilities."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..fields import PROFILE
from ..models import Enterprise, Region
from ..uscc import validate_uscc
from .choices import industry_choices, region_choices
from .spec import spec_fields

#: Tags are typed as one line; people separate them with Chinese or Latin punctuation.
TAG_SEPARATORS = re.compile(r"[,，、;；\n]+")
MAX_TAGS = 20


#: What registration answers for a credit code already in the registry, visible or not.
REGISTERED_MESSAGE = _(
    "This credit code cannot be used for a new registration. If it is your enterprise's, "
    "please claim the profile."
)


@spec_fields(PROFILE, Enterprise)
class CompanyForm(forms.Form):
    """The profile fields of the snapshot. ``uscc`` is fixed once the profile exists.

    Fields of simple kinds come from ``fields.PROFILE``; declared here are those whose input
    is not their model field's (a code typed loosely, lookups, tags typed as one line).
    """

    uscc = forms.CharField(
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    region = forms.ChoiceField(
        error_messages={
            "invalid_choice": _("Please choose a city or county of Guangxi from the list."),
        },
    )
    industries = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Please choose industries from the list.")},
    )
    capability_tags = forms.CharField(required=False, max_length=500)

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
