"""The administrators' form for a data-sharing client (the admin's add and edit pages)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import SCOPES, Ceiling, SharingClient


class ClientForm(forms.ModelForm):
    scope_choices = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scope.")},
    )

    class Meta:
        model = SharingClient
        fields = ["name", "agency", "ceiling", "expires_on", "terms"]
        widgets = {
            "expires_on": forms.DateInput(attrs={"type": "date"}),
            "ceiling": forms.RadioSelect,
            "terms": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ceiling"].choices = Ceiling.choices
        if self.instance.pk:
            self.initial["scope_choices"] = self.instance.scope_list

    def clean_expires_on(self):
        value = self.cleaned_data.get("expires_on")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The expiry date has already passed."))
        return value
