"""The wizard's steps after the first save: which forms each shows and what it writes.

A step builds its forms from the working copy, validates them together, and turns them into
snapshot keys for ``workflow.save_draft``. Adding a step is adding one entry to ``STEPS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms as django_forms
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..fields import BASICS_STEP, LISTS
from ..forms import (
    CaseFormSet,
    CompanyForm,
    ContactFormSet,
    PatentFormSet,
    ProductFormSet,
    QualificationFormSet,
    TechnologyFormSet,
)
from ..forms.choices import qualification_levels
from ..models import Enterprise

Forms = dict[str, Any]


def _kept(formset: django_forms.BaseFormSet) -> list[django_forms.Form]:
    """Forms to store: not deleted, and not an untouched blank extra row."""
    deleted = {id(form) for form in formset.deleted_forms} if formset.can_delete else set()
    initial = {id(form) for form in formset.initial_forms}
    return [
        form
        for form in formset.forms
        if id(form) not in deleted and (id(form) in initial or form.has_changed())
    ]


@dataclass(frozen=True)
class Step:
    key: str
    title: Promise
    template: str
    next_key: str = ""
    #: Formset prefix -> (formset class, snapshot list name); empty for single-form steps.
    lists: dict[str, tuple[type, str]] = field(default_factory=dict)
    files: bool = False

    def build(self, request: HttpRequest, data: dict[str, Any], enterprise: Enterprise) -> Forms:
        post = request.POST if request.method == "POST" else None
        files = request.FILES if request.method == "POST" and self.files else None
        built: Forms = {}
        for prefix, (formset_class, list_name) in self.lists.items():
            form_class = formset_class.form
            built[prefix] = formset_class(
                post,
                files,
                prefix=prefix,
                initial=[form_class.initial_from(item) for item in data.get(list_name) or []],
            )
        return built

    def is_valid(self, forms: Forms) -> bool:
        # Validate every form (not short-circuit) so all errors show at once.
        return all([form.is_valid() for form in forms.values()])

    def changes(self, forms: Forms, enterprise: Enterprise, stored: list[str]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for prefix, (_formset_class, list_name) in self.lists.items():
            kept = _kept(forms[prefix])
            if self.files:
                result[list_name] = [form.item(enterprise.pk, stored) for form in kept]
            else:
                result[list_name] = [form.item() for form in kept]
        return result


class BasicsStep(Step):
    def build(self, request: HttpRequest, data: dict[str, Any], enterprise: Enterprise) -> Forms:
        if request.method == "POST":
            form = CompanyForm(request.POST, enterprise=enterprise)
        else:
            form = CompanyForm(initial=CompanyForm.initial_from(data), enterprise=enterprise)
        return {"form": form}

    def changes(self, forms: Forms, enterprise: Enterprise, stored: list[str]) -> dict[str, Any]:
        return forms["form"].snapshot_data()


class QualificationsStep(Step):
    def build(self, request: HttpRequest, data: dict[str, Any], enterprise: Enterprise) -> Forms:
        built = super().build(request, data, enterprise)
        built["levels"] = qualification_levels()
        return built

    def is_valid(self, forms: Forms) -> bool:
        return forms["qualifications"].is_valid()


#: List name -> the formset editing it; each list is on the step ``fields.LISTS`` names.
FORMSETS: dict[str, type[django_forms.BaseFormSet]] = {
    "qualifications": QualificationFormSet,
    "products": ProductFormSet,
    "technologies": TechnologyFormSet,
    "patents": PatentFormSet,
    "cases": CaseFormSet,
    "contacts": ContactFormSet,
}


def _lists(step_key: str) -> dict[str, tuple[type, str]]:
    return {spec.name: (FORMSETS[spec.name], spec.name) for spec in LISTS if spec.step == step_key}


STEPS: tuple[Step, ...] = (
    BasicsStep(
        BASICS_STEP, _("Company basics"), "enterprises/wizard/basics.html", "qualifications"
    ),
    QualificationsStep(
        "qualifications",
        _("Qualifications"),
        "enterprises/wizard/qualifications.html",
        "products",
        lists=_lists("qualifications"),
        files=True,
    ),
    Step(
        "products",
        _("Products, technologies, patents and cases"),
        "enterprises/wizard/products.html",
        "contacts",
        lists=_lists("products"),
    ),
    Step(
        "contacts",
        _("Contacts"),
        "enterprises/wizard/contacts.html",
        "review",
        lists=_lists("contacts"),
    ),
    Step("review", _("Review and submit"), "enterprises/wizard/review.html"),
)


def step_by_key(key: str) -> Step | None:
    return next((step for step in STEPS if step.key == key), None)
