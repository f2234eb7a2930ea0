"""Who sees and edits a shortlist: the owner, group members by their share (django-guardian
object permissions), and nobody else (404)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from guardian.core import ObjectPermissionChecker

from classification import sharing
from portal.accounts import roles
from portal.shortlists import access, changes
from portal.shortlists.models import Shortlist
from tests.factories import UserFactory

from .conftest import Cast, client_for, fresh

pytestmark = pytest.mark.django_db


def test_owner_sees_edits_and_manages(cast: Cast) -> None:
    rights = access.access_for(fresh(cast.officer), cast.shortlist)
    assert rights == access.Access(view=True, edit=True, manage=True)
    assert list(access.visible(fresh(cast.officer))) == [cast.shortlist]
    response = client_for(cast.officer).get(reverse("shortlists:detail", args=[cast.shortlist.pk]))
    assert response.status_code == 200
    assert "南宁北斗导航科技有限公司" in response.content.decode()


def test_not_shared_is_404_for_everyone_else(cast: Cast) -> None:
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    for user in (cast.colleague, cast.outsider, superuser):
        assert access.access_for(fresh(user), cast.shortlist) is None
        assert not access.visible(fresh(user)).exists()
        for name in ("detail", "export_xlsx", "export_pdf", "edit", "delete", "export_pdf_status"):
            url = reverse(f"shortlists:{name}", args=[cast.shortlist.pk])
            assert client_for(user).get(url).status_code == 404, (user, name)
        build = reverse("shortlists:export_pdf_build", args=[cast.shortlist.pk])
        assert client_for(user).post(build).status_code == 404, (user, "export_pdf_build")
    unknown = reverse("shortlists:detail", args=[cast.shortlist.pk + 1000])
    assert client_for(cast.officer).get(unknown).status_code == 404


def test_anonymous_is_sent_to_log_in(cast: Cast) -> None:
    response = client_for(None).get(reverse("shortlists:detail", args=[cast.shortlist.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_view_share_is_a_guardian_permission_for_the_group(cast: Cast) -> None:
    changes.share(cast.shortlist, cast.team, sharing.VIEW)
    checker = ObjectPermissionChecker(cast.team)
    assert checker.has_perm("view_shortlist", cast.shortlist)
    assert not checker.has_perm("change_shortlist", cast.shortlist)

    colleague = fresh(cast.colleague)
    assert access.access_for(colleague, cast.shortlist) == access.Access(view=True)
    assert list(access.visible(colleague)) == [cast.shortlist]
    assert not access.editable(colleague).exists()
    client = client_for(cast.colleague)
    detail = client.get(reverse("shortlists:detail", args=[cast.shortlist.pk]))
    assert detail.status_code == 200
    assert "报价合理，交付快" in detail.content.decode()  # notes are read
    assert 'name="note"' not in detail.content.decode()  # but not editable
    entry = cast.shortlist.entries.first()
    for name in ("note", "remove"):
        url = reverse(f"shortlists:{name}", args=[cast.shortlist.pk, entry.pk])
        assert client.post(url, {"note": "x"}).status_code == 403
    assert client.get(reverse("shortlists:edit", args=[cast.shortlist.pk])).status_code == 403
    # The outsider (not in the group) still gets 404.
    url = reverse("shortlists:detail", args=[cast.shortlist.pk])
    assert client_for(cast.outsider).get(url).status_code == 404


def test_change_share_makes_co_editors_but_not_managers(cast: Cast) -> None:
    changes.share(cast.shortlist, cast.team, sharing.CHANGE)
    assert ObjectPermissionChecker(cast.team).has_perm("change_shortlist", cast.shortlist)
    colleague = fresh(cast.colleague)
    assert access.access_for(colleague, cast.shortlist) == access.Access(view=True, edit=True)
    assert list(access.editable(colleague)) == [cast.shortlist]

    client = client_for(cast.colleague)
    entry = cast.shortlist.entries.get(enterprise=cast.second)
    url = reverse("shortlists:note", args=[cast.shortlist.pk, entry.pk])
    assert client.post(url, {"note": "同事补充：有军工案例"}).status_code == 302
    entry.refresh_from_db()
    assert entry.note == "同事补充：有军工案例"
    for name in ("edit", "delete"):
        url = reverse(f"shortlists:{name}", args=[cast.shortlist.pk])
        assert client.post(url, {"name": "改名"}).status_code == 403
    share = reverse("shortlists:share", args=[cast.shortlist.pk])
    assert client.post(share, {"group": cast.team.pk, "level": "view"}).status_code == 403
    assert Shortlist.objects.get(pk=cast.shortlist.pk).name == "北斗终端候选"


def test_unsharing_and_leaving_the_group_end_access(cast: Cast) -> None:
    changes.share(cast.shortlist, cast.team, sharing.CHANGE)
    changes.share(cast.shortlist, cast.team, sharing.VIEW)  # narrowed, not added
    assert sharing.shares(cast.shortlist) == [(cast.team, sharing.VIEW)]
    cast.colleague.groups.remove(cast.team)
    assert access.access_for(fresh(cast.colleague), cast.shortlist) is None
    cast.colleague.groups.add(cast.team)
    client = client_for(cast.officer)
    url = reverse("shortlists:unshare", args=[cast.shortlist.pk, cast.team.pk])
    assert client.post(url).status_code == 302
    assert sharing.shares(cast.shortlist) == []
    assert access.access_for(fresh(cast.colleague), cast.shortlist) is None
    assert not ObjectPermissionChecker(cast.team).has_perm("view_shortlist", cast.shortlist)


def test_owner_shares_through_the_page_with_own_groups_only(cast: Cast) -> None:
    client = client_for(cast.officer)
    url = reverse("shortlists:share", args=[cast.shortlist.pk])
    response = client.post(url, {"group": cast.team.pk, "level": "change"})
    assert response.status_code == 302
    assert sharing.shares(cast.shortlist) == [(cast.team, sharing.CHANGE)]
    foreign = Group.objects.create(name="别人的组")
    response = client.post(url, {"group": foreign.pk, "level": "view"})
    assert response.status_code == 400
    assert sharing.level_for(fresh(cast.outsider), cast.shortlist) is None
    bad_level = client.post(url, {"group": cast.team.pk, "level": "owner"})
    assert bad_level.status_code == 400
    procurement = Group.objects.get(name=roles.PROCUREMENT)
    assert client.post(url, {"group": procurement.pk, "level": "view"}).status_code == 302
    # Sharing with the procurement role reaches every procurement officer.
    assert access.access_for(fresh(cast.outsider), cast.shortlist) == access.Access(view=True)


def test_deleting_removes_the_guardian_rows(cast: Cast) -> None:
    changes.share(cast.shortlist, cast.team, sharing.VIEW)
    pk = cast.shortlist.pk
    changes.delete(cast.shortlist)
    assert not Shortlist.objects.filter(pk=pk).exists()
    # Guardian keys rows by a text pk with no foreign key: a list that got the id later
    # must not inherit the old one's shares.
    assert sharing.shares(Shortlist(pk=pk)) == []


def test_who_may_create() -> None:
    assert not access.can_create(None)


@pytest.mark.parametrize(
    ("role", "staff", "allowed"),
    [
        (roles.PROCUREMENT, False, True),
        (None, True, True),
        (roles.ENTERPRISE, False, False),
        (roles.REVIEWER, False, False),
        (None, False, False),
    ],
)
def test_creating_needs_procurement_or_staff(role, staff, allowed) -> None:
    user = UserFactory(roles=[role] if role else [], is_staff=staff)
    assert access.can_create(fresh(user)) is allowed
    response = client_for(user).post(reverse("shortlists:index"), {"name": "候选"})
    assert response.status_code == (302 if allowed else 403)
    assert Shortlist.objects.filter(owner=user).exists() is allowed
