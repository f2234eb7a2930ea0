"""Steps 3 and 4: the profile's lists (products, technologies, patents, cases, contacts).

Each list is a formset of small forms whose cleaned data is already the snapshot item.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import profile_list
from ..models import Case, Contact, Patent, Product, Technology
from .spec import spec_fields


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


@spec_fields(profile_list("products").fields, Product)
class ProductForm(_ItemForm):
    pass


@spec_fields(profile_list("technologies").fields, Technology)
class TechnologyForm(_ItemForm):
    pass


@spec_fields(profile_list("patents").fields, Patent)
class PatentForm(_ItemForm):
    def clean_granted_on(self):
        granted = self.cleaned_data.get("granted_on")
        if granted and granted > timezone.localdate():
            raise forms.ValidationError(_("The grant date cannot be in the future."))
        return granted


@spec_fields(profile_list("cases").fields, Case)
class CaseForm(_ItemForm):
    year = forms.IntegerField(required=False, min_value=1949, max_value=2100)

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("A past project cannot be from a future year."))
        return year


@spec_fields(profile_list("contacts").fields, Contact)
class ContactForm(_ItemForm):
    phone = forms.RegexField(
        max_length=30,
        required=False,
        regex=r"^[0-9+\-() 转]{5,30}$",
        error_messages={"invalid": _("Please enter a phone number, e.g. 0771-5551234.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("name") and not (cleaned.get("phone") or cleaned.get("email")):
            raise forms.ValidationError(_("Please give a phone number or an e-mail address."))
        return cleaned


def formset(form: type[forms.Form], list_name: str):
    """The formset of one list, as many rows as the spec allows."""
    return forms.formset_factory(
        form,
        extra=1,
        can_delete=True,
        max_num=profile_list(list_name).max_items,
        validate_max=True,
    )


ProductFormSet = formset(ProductForm, "products")
TechnologyFormSet = formset(TechnologyForm, "technologies")
PatentFormSet = formset(PatentForm, "patents")
CaseFormSet = formset(CaseForm, "cases")
ContactFormSet = formset(ContactForm, "contacts")
