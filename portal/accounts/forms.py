"""Forms of the account pages; every message a person may see is translatable."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class SignUpForm(UserCreationForm):
    """Account sign-up: user name, e-mail (verified afterwards) and password twice."""

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("We send a verification link to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail address already exists."), code="duplicate"
            )
        return email


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the message sent by the mail queue like all portal e-mail."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        from django.template import loader

        from portal.core.tasks import send_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        text = loader.render_to_string(email_template_name, context)
        html = loader.render_to_string(html_email_template_name, context)
        send_email.delay(to=[to_email], subject=subject, text=text, html=html)


class AuthenticatorCodeForm(forms.Form):
    """The 6-digit code of an authenticator app, when enrolling."""

    code = forms.RegexField(
        label=_("6-digit code"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("Enter the 6 digits your authenticator app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class SecondFactorForm(forms.Form):
    """The login's second step: a 6-digit code, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        help_text=_("The 6-digit code of your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )
