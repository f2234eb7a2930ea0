"""Wagtail's user and group admin with enterprises' owner groups kept out of the role picker.

An enterprise's owners are the members of its group (``Enterprise.group``). Those groups are
ownership, not roles: the user forms offer only the other groups and keep a user's owner-group
memberships when an administrator saves the form; the group listing shows roles only.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from wagtail.users import forms as wagtail_forms
from wagtail.users.views import groups, users


def role_groups():
    """Groups that are roles or ad-hoc groups: every group but enterprises' owner groups."""
    return Group.objects.filter(enterprise__isnull=True).order_by("name")


class _RoleGroupsOnly:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "groups" in self.fields:
            self.fields["groups"].queryset = role_groups()
        user = self.instance
        self._owner_groups = (
            list(user.groups.filter(enterprise__isnull=False)) if user.pk is not None else []
        )

    def _save_m2m(self):
        super()._save_m2m()
        if self._owner_groups:
            self.instance.groups.add(*self._owner_groups)


class UserCreationForm(_RoleGroupsOnly, wagtail_forms.UserCreationForm):
    pass


class UserEditForm(_RoleGroupsOnly, wagtail_forms.UserEditForm):
    pass


class UserViewSet(users.UserViewSet):
    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm


class GroupIndexView(groups.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(enterprise__isnull=True)


class GroupViewSet(groups.GroupViewSet):
    index_view_class = GroupIndexView
