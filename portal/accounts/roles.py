"""The role groups (``docs/roles.md``), created by data migrations and referred to by these names.

A role is a Django group, so that administrators manage membership in the Wagtail admin and
permissions are attached to the group rather than to people.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ENTERPRISE = "enterprise"
PROCUREMENT = "procurement"
REVIEWER = "reviewer"
EDITOR = "editor"
CLASSIFICATION_OFFICER = "classification_officer"
#: 发布审批人: the last step of the notice and paper workflows; approving publishes.
PUBLISHER = "publisher"
#: The service accounts of data-sharing clients with a vetted ceiling (never a person).
AGENCY = "agency"

#: Group name -> human label.
ROLES = {
    ENTERPRISE: _("Enterprise user"),
    PROCUREMENT: _("Procurement officer"),
    REVIEWER: _("Reviewer"),
    EDITOR: _("Editor"),
    CLASSIFICATION_OFFICER: _("Classification officer"),
    PUBLISHER: _("Publisher"),
}
#: Roles of service accounts, never of people: a vetted data-sharing client's account.
SERVICE_ROLES = {AGENCY: _("Data-sharing agency (vetted)")}

#: Roles that work in the Wagtail admin and so need ``wagtailadmin.access_admin``.
ADMIN_ROLES = (PROCUREMENT, REVIEWER, EDITOR, CLASSIFICATION_OFFICER, PUBLISHER)


def role_names(user) -> set[str]:
    """The role groups ``user`` belongs to (empty for anonymous users)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        names = [*ROLES, *SERVICE_ROLES]
        cached = set(user.groups.filter(name__in=names).values_list("name", flat=True))
        user._role_names = cached
    return cached
