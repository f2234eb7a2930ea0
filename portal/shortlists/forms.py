"""Forms of the shortlist pages: every one validates whole before anything is written, and
says what is wrong in the user's language."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from classification import sharing
from portal.accounts import roles

from .models import Shortlist

NEW = "new"


class ShortlistForm(forms.ModelForm):
    """Create or rename a shortlist; names are unique per owner, ignoring case and spaces."""

    class Meta:
        model = Shortlist
        fields = ["name", "description"]
        labels = {"name": _("Shortlist name"), "description": _("Description")}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["description"].required = False

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the shortlist a name."))
        clash = Shortlist.objects.filter(owner=self.owner, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("You already have a shortlist with this name."))
        return name

    def save(self, commit: bool = True) -> Shortlist:
        self.instance.owner = self.owner
        return super().save(commit)


class AddForm(forms.Form):
    """The "加入候选名单" control: an existing list (that the user may edit) or a new one."""

    enterprise = forms.IntegerField(widget=forms.HiddenInput)
    shortlist = forms.CharField(label=_("Shortlist"))
    new_name = forms.CharField(label=_("New shortlist name"), max_length=100, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, editable, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.editable = editable

    def clean_shortlist(self) -> Shortlist | str:
        value = self.cleaned_data["shortlist"]
        if value == NEW:
            return NEW
        try:
            return self.editable.get(pk=int(value))
        except (ValueError, Shortlist.DoesNotExist) as error:
            raise forms.ValidationError(_("Choose one of your shortlists.")) from error

    def clean(self) -> dict:
        data = super().clean()
        if data.get("shortlist") == NEW and not " ".join(data.get("new_name", "").split()):
            self.add_error("new_name", _("Give the new shortlist a name."))
        return data


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def group_label(group: Group) -> str:
    """Role groups by their role's name ("采购人员"), other groups by their own."""
    return str(roles.ROLES.get(group.name, group.name))


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Group) -> str:
        return group_label(obj)


class ShareForm(forms.Form):
    """Share with one group, read-only or as co-editors."""

    group = GroupChoiceField(label=_("Group"), queryset=Group.objects.none())
    level = forms.ChoiceField(
        label=_("Access"),
        choices=[(sharing.VIEW, _("Can view")), (sharing.CHANGE, _("Can edit entries"))],
        initial=sharing.VIEW,
    )

    def __init__(self, *args, groups, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
