"""Search finds what the people acting on an item's current workflow step may see: the index
names them as principals, and follows when the workflow moves (docs/release.md, rule 4)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from classification.tiers import Tier
from portal.enterprises.models import EnterpriseVersion, VersionState
from portal.enterprises.supplier_search import supplier_search
from search.site import site_search
from tests.factories import UserFactory, release
from tests.search.content_fixtures import create_notice

pytestmark = [pytest.mark.engine, pytest.mark.django_db]


def _ids(results, kind: str) -> set[int]:
    return {hit.id for hit in results.hits if hit.type == kind}


def test_reviewers_find_the_targeted_profile_that_waits_for_their_review(
    search_index, make_enterprise
):
    profile = make_enterprise("钦州周期北斗科技有限公司")
    release(profile, Tier.TARGETED)
    reviewer = UserFactory(username="shenhe", roles=["reviewer"])
    search_index()
    assert supplier_search(reviewer, "北斗").total == 0
    version = EnterpriseVersion.objects.create(
        enterprise=profile, number=2, data={}, state=VersionState.SUBMITTED
    )
    search_index()
    assert supplier_search(reviewer, "北斗").total == 1
    assert supplier_search(UserFactory(username="caigou", roles=["procurement"]), "北斗").total == 0
    version.state = VersionState.APPROVED
    version.save()
    search_index()
    assert supplier_search(reviewer, "北斗").total == 0


def test_publishers_find_the_live_page_that_waits_at_their_step(search_index):
    from portal.accounts import roles

    notice = create_notice("周期北斗终端需求", "采购周期北斗终端", tier=Tier.PUBLIC)
    officer = UserFactory(username="dingmi", roles=[roles.CLASSIFICATION_OFFICER])
    publisher = UserFactory(username="fabu")
    publisher.groups.add(Group.objects.get(name=roles.PUBLISHER))
    release(notice, Tier.TARGETED)
    search_index()
    assert notice.pk not in _ids(site_search(publisher, "周期北斗"), "notice")
    editor = UserFactory(username="bianji", roles=[roles.EDITOR])
    state = notice.get_workflow().start(notice, editor)
    state.current_task_state.task.specific.on_action(state.current_task_state, officer, "approve")
    search_index()
    assert notice.pk in _ids(site_search(publisher, "周期北斗"), "notice")
    state.refresh_from_db()
    state.current_task_state.task.specific.on_action(state.current_task_state, publisher, "approve")
    search_index()
    assert notice.pk not in _ids(site_search(publisher, "周期北斗"), "notice")
