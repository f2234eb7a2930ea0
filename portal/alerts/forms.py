"""Forms of the saved-search pages: what a person names and how often they hear about it.

The search itself (``q`` and filters) is never typed into a form: it comes from the search
page's URL and is checked by ``criteria.clean``.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SavedSearch

#: A person rarely needs more; the cap keeps one account from making the beat's work explode.
MAX_PER_USER = 50


class SavedSearchForm(forms.ModelForm):
    """Name and frequency of a new saved search (``user`` passed in for the per-user cap)."""

    class Meta:
        model = SavedSearch
        fields = ["name", "frequency"]
        labels = {"name": _("Name"), "frequency": _("How often to send alerts")}
        help_texts = {
            "name": _("Shown in your list and in the alert e-mails."),
            "frequency": _(
                "Immediately: within minutes of a new match. Daily and weekly: one summary."
            ),
        }
        widgets = {"frequency": forms.RadioSelect}

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the search a name."))
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            self.instance.pk is None
            and self.user is not None
            and SavedSearch.objects.filter(user=self.user).count() >= MAX_PER_USER
        ):
            raise forms.ValidationError(
                _("You already have %(n)d saved searches; delete one to save another."),
                params={"n": MAX_PER_USER},
            )
        return cleaned


class EditSavedSearchForm(forms.ModelForm):
    """Rename, change the frequency, pause or resume a saved search."""

    class Meta:
        model = SavedSearch
        fields = ["name", "frequency", "active"]
        labels = {
            "name": _("Name"),
            "frequency": _("How often to send alerts"),
            "active": _("Send alerts (untick to pause)"),
        }
        widgets = {"frequency": forms.RadioSelect}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the search a name."))
        return name
