"""The policy: clearance per role, visible/can_view/get_visible_or_404, grants and expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.http import Http404
from django.utils import timezone

from classification import changes, policy
from classification.models import AccessLog
from classification.tiers import Tier
from portal.accounts import roles
from portal.accounts.models import User
from portal.enterprises.models import Enterprise, EnterpriseVersion, Status, VersionState

from .conftest import make_enterprise, make_user

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The user as the next request sees them: a new object, nothing cached."""
    return User.objects.get(pk=user.pk)


def test_clearance_per_role() -> None:
    assert policy.clearance(AnonymousUser()) == Tier.PUBLIC
    assert policy.clearance(None) == Tier.PUBLIC
    assert policy.clearance(make_user("unverified", verified=False)) == Tier.PUBLIC
    assert policy.clearance(make_user("verified")) == Tier.REGISTERED
    owner = make_user("owner", roles.ENTERPRISE)
    make_enterprise("已认证", owners=(owner,))
    assert policy.clearance(owner) == Tier.VETTED
    drafter = make_user("drafter", roles.ENTERPRISE)
    make_enterprise("草稿", status=Status.SUBMITTED, owners=(drafter,))
    assert policy.clearance(drafter) == Tier.REGISTERED
    for role in (roles.PROCUREMENT, roles.REVIEWER, roles.EDITOR):
        assert policy.clearance(make_user(f"staff-{role}", role)) == Tier.VETTED
    assert policy.clearance(make_user("co", roles.CLASSIFICATION_OFFICER)) == Tier.TARGETED
    assert policy.clearance(make_user("root", is_superuser=True)) == Tier.TARGETED
    inactive = make_user("inactive", roles.CLASSIFICATION_OFFICER)
    inactive.is_active = False
    assert policy.clearance(inactive) == Tier.PUBLIC


def test_revoked_vetting_takes_effect_on_the_next_request() -> None:
    owner = make_user("owner", roles.ENTERPRISE)
    mine = make_enterprise("自己", owners=(owner,))
    vetted_item = make_enterprise("认证可见", tier=Tier.VETTED)
    assert policy.can_view(owner, vetted_item)
    Enterprise.objects.filter(pk=mine.pk).update(status=Status.REVOKED)
    owner = fresh(owner)
    assert policy.clearance(owner) == Tier.REGISTERED
    assert not policy.can_view(owner, vetted_item)
    assert policy.can_view(owner, mine)  # owners still see their own profile


def test_visible_per_tier_for_anonymous_and_registered() -> None:
    items = {tier: make_enterprise(f"{tier}-item", tier=tier) for tier in Tier.values}
    draft = make_enterprise("draft-item", status=Status.DRAFT)
    anonymous = list(policy.visible(Enterprise.objects.all(), AnonymousUser()))
    assert anonymous == [items[Tier.PUBLIC]]
    registered = make_user("reg")
    seen = set(policy.visible(Enterprise.objects.all(), registered))
    assert seen == {items[Tier.PUBLIC], items[Tier.REGISTERED]}
    assert draft not in seen
    assert policy.visible(Enterprise.objects.all(), registered).count() == 2


def test_owners_and_the_acting_reviewers_see_unreleased_items_others_do_not() -> None:
    owner = make_user("owner", roles.ENTERPRISE)
    draft = make_enterprise("草稿", status=Status.SUBMITTED, tier=Tier.TARGETED, owners=(owner,))
    version = EnterpriseVersion.objects.create(
        enterprise=draft, number=1, data={}, state=VersionState.SUBMITTED, created_by=owner
    )
    reviewer = make_user("reviewer", roles.REVIEWER)
    editor = make_user("editor", roles.EDITOR)
    procurement = make_user("proc", roles.PROCUREMENT)
    officer = make_user("co", roles.CLASSIFICATION_OFFICER)
    assert policy.can_view(owner, draft)
    assert policy.can_view(reviewer, draft)  # it waits for their review
    assert policy.can_view(officer, draft)
    assert not policy.can_view(editor, draft)
    assert not policy.can_view(procurement, draft)
    # Once returned, it is the owner's again: reviewers do not see drafts they do not act on.
    EnterpriseVersion.objects.filter(pk=version.pk).update(state=VersionState.RETURNED)
    Enterprise.objects.filter(pk=draft.pk).update(status=Status.RETURNED)
    assert not policy.can_view(fresh(reviewer), draft)
    assert policy.can_view(fresh(owner), draft)
    # A reviewer's reach is what they review: a released targeted profile stays targeted.
    targeted = make_enterprise("定向", tier=Tier.TARGETED)
    assert not policy.can_view(fresh(reviewer), targeted)


def test_user_group_and_enterprise_grants_and_expiry() -> None:
    officer = make_user("co", roles.CLASSIFICATION_OFFICER)
    item = make_enterprise("定向", tier=Tier.TARGETED)
    user = make_user("u")
    group = Group.objects.create(name="g")
    in_group = make_user("in-group")
    in_group.groups.add(group)
    member = make_user("member", roles.ENTERPRISE)
    company = make_enterprise("公司", owners=(member,))
    for who in (user, in_group, member):
        assert not policy.can_view(who, item)
    changes.grant(officer, item, user, timezone.now() + timedelta(days=1))
    changes.grant(officer, item, group)
    changes.grant(officer, item, company)
    for who in (user, in_group, member):
        who = fresh(who)
        assert policy.can_view(who, item)
        assert list(policy.visible(Enterprise.objects.filter(tier=Tier.TARGETED), who)) == [item]
    # Expiry: an expired grant is no grant, from the next query on.
    user_table, _group_table = policy.grant_tables(Enterprise)
    user_table.objects.filter(user=user).update(valid_until=timezone.now() - timedelta(seconds=1))
    assert not policy.can_view(fresh(user), item)
    # An enterprise grant holds only while the enterprise is vetted (approved).
    Enterprise.objects.filter(pk=company.pk).update(status=Status.REVOKED)
    assert not policy.can_view(fresh(member), item)
    # Leaving the group ends the group grant.
    in_group.groups.remove(group)
    assert not policy.can_view(fresh(in_group), item)


def test_grant_on_a_draft_does_not_release_it() -> None:
    officer = make_user("co", roles.CLASSIFICATION_OFFICER)
    draft = make_enterprise("草稿", status=Status.DRAFT, tier=Tier.TARGETED)
    user = make_user("u")
    changes.grant(officer, draft, user)
    assert not policy.can_view(fresh(user), draft)


def test_get_visible_or_404() -> None:
    item = make_enterprise("认证", tier=Tier.VETTED)
    procurement = make_user("proc", roles.PROCUREMENT)
    assert policy.get_visible_or_404(Enterprise.objects.all(), procurement, pk=item.pk) == item
    with pytest.raises(Http404):
        policy.get_visible_or_404(Enterprise.objects.all(), AnonymousUser(), pk=item.pk)
    with pytest.raises(Http404):
        policy.get_visible_or_404(Enterprise.objects.all(), procurement, pk="not-a-number")


def test_visible_is_one_query_without_python_loops(django_assert_num_queries) -> None:
    for n in range(5):
        make_enterprise(f"e{n}", tier=Tier.PUBLIC)
    user = make_user("u", roles.ENTERPRISE)
    policy.visible(Enterprise.objects.all(), user).exists()  # who the user is: cached
    with django_assert_num_queries(1):
        assert policy.visible(Enterprise.objects.all(), user).count() == 5


def test_search_filter_matches_the_principals_indexed() -> None:
    officer = make_user("co", roles.CLASSIFICATION_OFFICER)
    assert policy.search_filter(officer) == {"match_all": {}}
    anonymous = policy.search_filter(AnonymousUser())
    assert anonymous["bool"]["should"] == [{"terms": {"tier": ["public"]}}]
    member = make_user("member", roles.ENTERPRISE)
    company = make_enterprise("公司", owners=(member,))
    group = Group.objects.get(name=roles.ENTERPRISE)
    clause = policy.search_filter(member)
    assert clause["bool"]["should"][0] == {"terms": {"tier": ["public", "registered", "vetted"]}}
    company.refresh_from_db()
    assert set(clause["bool"]["should"][1]["terms"]["grants"]) == {
        f"u:{member.pk}",
        f"g:{group.pk}",
        f"g:{company.group_id}",
    }
    item = make_enterprise("定向", tier=Tier.TARGETED, owners=(officer,))
    user = make_user("u")
    changes.grant(officer, item, user)
    changes.grant(officer, item, company)
    until = timezone.now() + timedelta(days=3)
    temp = make_user("temp")
    changes.grant(officer, item, temp, until)
    expired = changes.grant(officer, item, group, timezone.now() + timedelta(days=1))
    type(expired).objects.filter(pk=expired.pk).update(
        valid_until=timezone.now() - timedelta(days=1)
    )
    item.refresh_from_db()
    assert policy.index_principals(Enterprise, [item.pk, company.pk]) == {
        item.pk: {
            # The owners' group, a grant to a user, a grant to the company's owners.
            "grants": sorted([f"u:{user.pk}", f"g:{company.group_id}", f"g:{item.group_id}"]),
            "timed_grants": [{"principal": f"u:{temp.pk}", "until": until}],
        },
        company.pk: {"grants": [f"g:{company.group_id}"], "timed_grants": []},
    }
    # Sorted ids filling their range (a full rebuild's chunk) are read as a range; ids in the
    # range but not asked for stay out.
    assert company.pk < item.pk
    assert "__gte" in str(policy.among("pk", [company.pk, item.pk]))
    dense = policy.index_principals(Enterprise, [company.pk, item.pk])
    assert dense == policy.index_principals(Enterprise, [item.pk, company.pk])
    later = make_enterprise("后来", owners=(member,))
    assert "__gte" in str(policy.among("pk", [company.pk, later.pk]))
    skipping = policy.index_principals(Enterprise, [company.pk, later.pk])
    assert set(skipping) == {company.pk, later.pk}  # the granted item between them is not asked
    nested = policy.search_filter(user)["bool"]["should"][2]["nested"]
    assert nested["path"] == "timed_grants"
    assert {"range": {"timed_grants.until": {"gt": "now"}}} in nested["query"]["bool"]["filter"]


def test_only_officers_change_grants_and_guardian_agrees() -> None:
    from django.core.exceptions import PermissionDenied, ValidationError
    from guardian.core import ObjectPermissionChecker

    item = make_enterprise("定向", tier=Tier.TARGETED)
    user = make_user("u")
    with pytest.raises(PermissionDenied):
        changes.grant(make_user("proc", roles.PROCUREMENT), item, user)
    officer = make_user("co", roles.CLASSIFICATION_OFFICER)
    with pytest.raises(ValidationError):
        changes.grant(officer, item, user, timezone.now() - timedelta(days=1))
    row = changes.grant(officer, item, user)
    assert ObjectPermissionChecker(user).has_perm("view_targeted", item)
    changes.revoke_grant(officer, row)
    assert not ObjectPermissionChecker(fresh(user)).has_perm("view_targeted", item)
    assert not policy.can_view(fresh(user), item)


def test_expire_removes_expired_grants_audits_and_announces() -> None:
    from guardian.core import ObjectPermissionChecker

    from classification.signals import access_changed

    officer = make_user("co", roles.CLASSIFICATION_OFFICER)
    item = make_enterprise("定向", tier=Tier.TARGETED)
    user = make_user("u")
    row = changes.grant(officer, item, user, timezone.now() + timedelta(hours=1))
    assert ObjectPermissionChecker(fresh(user)).has_perm("view_targeted", item)
    type(row).objects.filter(pk=row.pk).update(valid_until=timezone.now() - timedelta(minutes=5))
    assert not policy.can_view(fresh(user), item)  # at once, before the sweep
    heard: list = []

    def listener(sender, object_ids, **kwargs):
        heard.append((sender, object_ids))

    access_changed.connect(listener)
    try:
        assert changes.expire() == 1
        assert changes.expire() == 0  # idempotent
    finally:
        access_changed.disconnect(listener)
    assert heard == [(Enterprise, [item.pk])]
    assert not ObjectPermissionChecker(fresh(user)).has_perm("view_targeted", item)
    assert AccessLog.objects.filter(action="classification.grant.expired").count() == 1
