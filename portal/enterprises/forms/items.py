"""Steps 3 and 4: the profile's lists (products, technologies, patents, cases, contacts).

Each list is a formset of small forms whose cleaned data is already the snapshot item.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class _ItemForm(forms.Form):
    """Base: ``item()`` gives the snapshot item, ``initial_from`` the reverse."""

    def item(self) -> dict[str, Any]:
        item: dict[str, Any] = {}
        for name in self.base_fields:  # not the formset's DELETE
            value = self.cleaned_data.get(name)
            if isinstance(value, date):
                value = value.isoformat()
            if value is None and isinstance(self.fields[name], forms.CharField):
                value = ""
            item[name] = value
        return item

    @classmethod
    def initial_from(cls, item: dict[str, Any]) -> dict[str, Any]:
        return {name: item.get(name) for name in cls.base_fields}


class ProductForm(_ItemForm):
    name = forms.CharField(label=_("Product"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TechnologyForm(_ItemForm):
    name = forms.CharField(label=_("Core technology"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PatentForm(_ItemForm):
    number = forms.CharField(label=_("Patent number"), max_length=50, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    is_defense = forms.BooleanField(label=_("Defence patent (国防专利)"), required=False)
    granted_on = forms.DateField(
        label=_("Granted on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_granted_on(self):
        granted = self.cleaned_data.get("granted_on")
        if granted and granted > timezone.localdate():
            raise forms.ValidationError(_("The grant date cannot be in the future."))
        return granted


class CaseForm(_ItemForm):
    title = forms.CharField(label=_("Project"), max_length=200)
    client = forms.CharField(label=_("Client"), max_length=100, required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1949, max_value=2100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("A past project cannot be from a future year."))
        return year


class ContactForm(_ItemForm):
    name = forms.CharField(label=_("Contact person"), max_length=50)
    job_title = forms.CharField(label=_("Job title"), max_length=50, required=False)
    phone = forms.RegexField(
        label=_("Phone"),
        max_length=30,
        required=False,
        regex=r"^[0-9+\-() 转]{5,30}$",
        error_messages={"invalid": _("Please enter a phone number, e.g. 0771-5551234.")},
    )
    email = forms.EmailField(label=_("E-mail"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("name") and not (cleaned.get("phone") or cleaned.get("email")):
            raise forms.ValidationError(_("Please give a phone number or an e-mail address."))
        return cleaned


def _formset(form: type[forms.Form]):
    return forms.formset_factory(form, extra=1, can_delete=True, max_num=50, validate_max=True)


ProductFormSet = _formset(ProductForm)
TechnologyFormSet = _formset(TechnologyForm)
PatentFormSet = _formset(PatentForm)
CaseFormSet = _formset(CaseForm)
ContactFormSet = _formset(ContactForm)
