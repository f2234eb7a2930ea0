"""The period filter of the dashboard, its CSV links and the API: a year, or two dates."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .periods import Period

FIRST_YEAR = 2016  # 桂政办发〔2016〕112号, the plan the portal implements


def year_choices() -> list[tuple[int, int]]:
    return [(y, y) for y in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class PeriodForm(forms.Form):
    """``?year=2026`` or ``?start=2026-01-01&end=2026-06-30``; dates win over the year."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, choices=[])
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "—"), *year_choices()]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            raise forms.ValidationError(_("Give both dates, or choose a year."))
        try:
            if start and end:
                data["period"] = Period(start, end)
            else:
                data["period"] = Period.year(data.get("year") or timezone.localdate().year)
        except ValueError as error:
            raise forms.ValidationError(
                _("The period must end after it starts and span at most five years.")
            ) from error
        return data


def period_from(params) -> tuple[PeriodForm, Period | None]:
    """The form bound to ``params`` and its period (None when the input is refused).

    Without any period parameter the form shows the current year, which is what it counts.
    """
    if not any(params.get(name) for name in ("year", "start", "end")):
        params = {"year": str(timezone.localdate().year)}
    form = PeriodForm(params)
    return form, (form.cleaned_data["period"] if form.is_valid() else None)
