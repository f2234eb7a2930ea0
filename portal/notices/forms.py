"""Forms of the notices app: the admin page form (who may publish which kind) and responses.

This module imports no models of its own app, so that ``models.pages`` can name the admin form
as its ``base_form_class``.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from portal.accounts import roles

#: Roles that may publish every kind of notice; everyone else (procurement officers) may
#: create demand notices only.
ALL_KINDS_ROLES = frozenset({roles.EDITOR, roles.CLASSIFICATION_OFFICER})

MAX_RESPONSE_FILE_SIZE = 20 * 1024 * 1024
RESPONSE_FILE_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "zip", "jpg", "png")
MAX_RESPONSE_FILES = 5


def may_publish_every_kind(user) -> bool:
    return bool(
        user is not None and (user.is_superuser or roles.role_names(user) & ALL_KINDS_ROLES)
    )


class NoticePageForm(WagtailAdminPageForm):
    """Procurement officers publish demand notices (军队需求) only; editors publish every kind."""

    def clean(self):
        cleaned = super().clean()
        user = getattr(self, "for_user", None)
        kind = cleaned.get("kind")
        if kind and kind != "demand" and not may_publish_every_kind(user):
            self.add_error("kind", _("You may create military demand notices only."))
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", _("The upper budget must not be below the lower budget."))
        for name in ("budget_min", "budget_max"):
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, _("A budget cannot be negative."))
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked for size and type."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [single(item, initial) for item in files if item]
        if len(files) > MAX_RESPONSE_FILES:
            raise forms.ValidationError(
                _("Attach at most %(n)d files.") % {"n": MAX_RESPONSE_FILES}
            )
        for upload in files:
            ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if ext not in RESPONSE_FILE_EXTENSIONS:
                raise forms.ValidationError(
                    _("%(name)s: allowed file types are %(types)s.")
                    % {"name": upload.name, "types": ", ".join(RESPONSE_FILE_EXTENSIONS)}
                )
            if upload.size > MAX_RESPONSE_FILE_SIZE:
                raise forms.ValidationError(
                    _("%(name)s is larger than 20 MB.") % {"name": upload.name}
                )
        return files


class ResponseForm(forms.Form):
    """意向响应: the message and optional documents an enterprise sends to a notice's author."""

    message = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What you offer, delivery capacity, relevant qualifications and references."),
    )
    files = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to 5 files, 20 MB each: PDF, Word, Excel, ZIP, JPG or PNG."),
    )
