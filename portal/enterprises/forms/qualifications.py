"""Step 2, qualifications: a formset, one form per certificate, with its scanned document."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..fields import profile_list
from ..models import Qualification
from .choices import qualification_levels, qualification_type_choices
from .items import formset
from .spec import spec_fields
from .uploads import store_document, validate_document


@spec_fields(profile_list("qualifications").fields, Qualification)
class QualificationForm(forms.Form):
    type = forms.ChoiceField(
        error_messages={"invalid_choice": _("Please choose a qualification from the list.")},
    )
    level = forms.ChoiceField(required=False)
    document = forms.FileField(
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    #: The document already stored for this item (kept when no new file is chosen).
    existing_document = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.levels = qualification_levels()
        self.fields["type"].choices = [("", "—"), *qualification_type_choices()]
        # Highest first, as each type lists them (一级, 二级, 三级), not in code-point order.
        every_level = list(dict.fromkeys(lvl for levels in self.levels.values() for lvl in levels))
        self.fields["level"].choices = [("", "—")] + [(lvl, lvl) for lvl in every_level]
        # The template's script narrows the options to the chosen type's levels.
        self.fields["type"].widget.attrs["data-levels-for"] = self.add_prefix("level")

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            validate_document(document)
        return document

    def clean_existing_document(self) -> str:
        # Only names this wizard stored are accepted back from the hidden field.
        name = self.cleaned_data.get("existing_document") or ""
        allowed = self.initial.get("existing_document") or ""
        return name if name == allowed else allowed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        type_code, level = cleaned.get("type"), cleaned.get("level")
        if type_code and level and level not in self.levels.get(type_code, []):
            self.add_error(
                "level",
                ValidationError(
                    _("This qualification has no level “%(level)s”."),
                    code="level",
                    params={"level": level},
                ),
            )
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error(
                "valid_until",
                ValidationError(
                    _(
                        "The certificate cannot expire before it was issued; "
                        "please check the dates."
                    ),
                    code="expired_before_issued",
                ),
            )
        return cleaned

    def item(self, enterprise_pk: int, stored: list[str]) -> dict[str, Any]:
        """The snapshot item; a new document is saved now and its name added to ``stored``."""
        data = self.cleaned_data
        document_name = data.get("existing_document") or ""
        if data.get("document") is False:  # "clear" ticked
            document_name = ""
        elif data.get("document"):
            document_name = store_document(data["document"], enterprise_pk)
            stored.append(document_name)
        return {
            "type": data["type"],
            "number": data.get("number") or "",
            "issuer": data.get("issuer") or "",
            "level": data.get("level") or "",
            "valid_from": data["valid_from"].isoformat() if data.get("valid_from") else None,
            "valid_until": data["valid_until"].isoformat() if data.get("valid_until") else None,
            "document": document_name,
        }

    @staticmethod
    def initial_from(item: dict[str, Any]) -> dict[str, Any]:
        return {
            **{k: item.get(k) for k in ("type", "number", "issuer", "level")},
            "valid_from": item.get("valid_from"),
            "valid_until": item.get("valid_until"),
            "existing_document": item.get("document") or "",
        }


QualificationFormSet = formset(QualificationForm, "qualifications")
