"""Forms of graded release: the access request, and the officers' admin forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .tiers import Tier

TIER_CHOICES = Tier.choices


class AccessRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need access?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Please say why you need access.")},
    )


class _ExpiryField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def validate(self, value):
        super().validate(value)
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("The expiry must be in the future."))


class DecisionForm(forms.Form):
    """An officer's decision on an access request: approve with an expiry or deny with reason."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("deny", _("Deny"))],
        widget=forms.RadioSelect,
    )
    valid_until = _ExpiryField(label=_("Access valid until"), required=False)
    reason = forms.CharField(
        label=_("Reason or note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approve" and not data.get("valid_until"):
            self.add_error("valid_until", _("An approved request needs an expiry."))
        if data.get("decision") == "deny" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Please give the reason for the refusal."))
        return data


class TierForm(forms.Form):
    """An item's tier and the tiers of its sensitive fields (blank: the declared default)."""

    tier = forms.ChoiceField(label=_("Release tier"), choices=TIER_CHOICES)

    def __init__(self, *args, fields: list[tuple[str, str, str]], **kwargs):
        """``fields``: (name, label, declared default) of each sensitive field."""
        super().__init__(*args, **kwargs)
        self.sensitive = [name for name, _label, _default in fields]
        for name, label, default in fields:
            self.fields[f"field__{name}"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[
                    ("", _("Default (%(tier)s)") % {"tier": Tier(default).label}),
                    *TIER_CHOICES,
                ],
            )

    def field_tiers(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"field__{name}"]
            for name in self.sensitive
            if self.cleaned_data.get(f"field__{name}")
        }


#: Whom a grant may name, as the officers' form and the release API spell it.
PRINCIPAL_KINDS = [("user", _("User")), ("group", _("Group")), ("enterprise", _("Enterprise"))]


def find_principal(kind: str, who: str):
    """The user (user name or e-mail), group (name) or enterprise (credit code) ``who``."""
    who = (who or "").strip()
    if kind == "user":
        found = get_user_model().objects.filter(Q(username=who) | Q(email__iexact=who))
    elif kind == "group":
        found = Group.objects.filter(name=who, enterprise__isnull=True)
    elif kind == "enterprise":
        from portal.enterprises.models import Enterprise

        found = Enterprise.objects.filter(uscc=who.upper())
    else:
        return None
    return found.first() if who else None


class GrantForm(forms.Form):
    """Grant targeted access to a user (username or e-mail), a group or an enterprise (USCC)."""

    kind = forms.ChoiceField(label=_("Grant to"), choices=PRINCIPAL_KINDS)
    who = forms.CharField(
        label=_("User name / e-mail, group name, or enterprise credit code"), max_length=200
    )
    valid_until = _ExpiryField(label=_("Valid until"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        kind, who = data.get("kind"), (data.get("who") or "").strip()
        if not kind or not who:
            return data
        principal = find_principal(kind, who)
        if principal is None:
            self.add_error("who", _("No such user, group or enterprise: %(who)s") % {"who": who})
        data["principal"] = principal
        return data


class LogFilterForm(forms.Form):
    """Filters of the access log: who, which item, when, what."""

    user = forms.CharField(label=_("User"), required=False)
    item = forms.CharField(
        label=_("Item"), required=False, help_text=_("app.model:id, e.g. enterprises.enterprise:12")
    )
    action = forms.CharField(label=_("Action"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_item(self):
        value = (self.cleaned_data.get("item") or "").strip()
        if not value:
            return None
        try:
            label, pk = value.rsplit(":", 1)
            app_label, model = label.split(".", 1)
            return app_label, model.lower(), int(pk)
        except ValueError as error:
            raise forms.ValidationError(_("Write the item as app.model:id.")) from error
