"""Forms of the procurement desk: the demand notice, the amendment reason and the deadline.

Plain Django forms, not the admin's page form: the desk offers what an officer writes (no SEO
tab, no slug, no release settings) and ``desk.py`` turns it into a Wagtail revision.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.enterprises.models import Industry, QualificationType, Region

from .desk_content import body_text, requirement_lines
from .forms import MultipleFileField
from .models import Kind, NoticePage

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _future(value):
    if value is not None and value <= timezone.now():
        raise forms.ValidationError(_("The deadline must lie in the future."))
    return value


class IndustryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Industry) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


class NoticeForm(forms.Form):
    """A notice as its author writes it on the desk: a demand (军队需求) or an enterprise's
    offer (民口供给, 技术转移); the kind is chosen once, when the notice is created."""

    title = forms.CharField(label=_("Notice title"), max_length=120)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what is needed, how many, by when."),
    )
    body_text = forms.CharField(
        label=_("Body text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Background, delivery and acceptance; a blank line starts a new paragraph."),
    )
    requirements = forms.CharField(
        label=_("Technical requirements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One requirement per line; released to vetted users only by default."),
    )
    industries = IndustryChoiceField(
        label=_("Industries"),
        queryset=Industry.objects.select_related("parent").order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
        error_messages={"required": _("Choose at least one industry: matching needs it.")},
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.select_related("parent").order_by("code"),
        empty_label=_("— choose —"),
        error_messages={"required": _("Choose the region.")},
    )
    region_required = forms.BooleanField(
        label=_("Suppliers must be in this region"), required=False
    )
    budget_min = forms.DecimalField(
        label=_("Budget from (10,000 CNY)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={"min_value": _("A budget cannot be negative.")},
    )
    budget_max = forms.DecimalField(
        label=_("Budget up to (10,000 CNY)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={"min_value": _("A budget cannot be negative.")},
    )
    deadline = forms.DateTimeField(
        label=_("Response deadline"),
        required=False,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=DateTimeLocalInput(),
        validators=[_future],
        help_text=_("Required for demands; an offer may stand without one."),
        error_messages={"invalid": _("Enter the deadline as a date and time.")},
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    qualifications = forms.ModelMultipleChoiceField(
        label=_("Required qualifications"),
        queryset=QualificationType.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to 5 files, 20 MB each: PDF, Word, Excel, ZIP, JPG or PNG."),
    )

    def __init__(self, *args, kinds=(Kind.DEMAND,), live: bool = False, attached=(), **kwargs):
        super().__init__(*args, **kwargs)
        # An existing notice keeps its kind; a new one is of the author's only kind, or of
        # the one they choose.
        self.fixed_kind = kwargs.get("initial", {}).get("kind")
        if self.fixed_kind is None and len(kinds) == 1:
            self.fixed_kind = kinds[0]
        if self.fixed_kind is None:
            self.fields["kind"] = forms.ChoiceField(
                label=_("Kind"),
                choices=[(k, Kind(k).label) for k in kinds],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose the kind of notice."),
                    "invalid_choice": _("You may not publish this kind of notice."),
                },
            )
        if attached:
            self.fields["remove_attachments"] = forms.MultipleChoiceField(
                label=_("Remove attachments"),
                required=False,
                choices=[(str(a.document_id), str(a)) for a in attached],
                widget=forms.CheckboxSelectMultiple,
            )
        if live:
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the change"),
                max_length=200,
                help_text=_("Shown with the amendment on the notice page and in the e-mail."),
                error_messages={"required": _("Say briefly why the notice changes.")},
            )

    @classmethod
    def initial_for(cls, notice: NoticePage) -> dict:
        return {
            "kind": notice.kind,
            "title": notice.title,
            "summary": notice.summary,
            "body_text": body_text(notice),
            "requirements": requirement_lines(notice),
            "industries": [i.pk for i in notice.industries.all()],
            "region": notice.region_id,
            "region_required": notice.region_required,
            "budget_min": notice.budget_min,
            "budget_max": notice.budget_max,
            "deadline": timezone.localtime(notice.deadline) if notice.deadline else None,
            "contact_name": notice.contact_name,
            "contact_phone": notice.contact_phone,
            "contact_email": notice.contact_email,
            "qualifications": [
                q.qualification_type_id for q in notice.required_qualifications.all()
            ],
        }

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.setdefault("kind", self.fixed_kind) or self.fixed_kind
        if kind == Kind.DEMAND and not cleaned.get("deadline") and "deadline" not in self.errors:
            self.add_error("deadline", _("Give a response deadline."))
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", _("The upper budget must not be below the lower budget."))
        return cleaned


class DeadlineForm(forms.Form):
    """Extend (or move) the deadline of a published notice."""

    deadline = forms.DateTimeField(
        label=_("New deadline"),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=DateTimeLocalInput(),
        validators=[_future],
        error_messages={
            "required": _("Give the new deadline."),
            "invalid": _("Enter the deadline as a date and time."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        error_messages={"required": _("Say briefly why the deadline changes.")},
    )


class CloseForm(forms.Form):
    """Close a notice now (截止): no more responses."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        error_messages={"required": _("Say briefly why the notice closes early.")},
    )
