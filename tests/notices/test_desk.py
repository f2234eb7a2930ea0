"""The procurement desk: officers write demand notices on the site and take them through the
same Wagtail workflow as the admin; status at each step; who may reach which page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classification.tiers import Tier
from portal.enterprises.models import Industry, QualificationType
from portal.notices import desk
from portal.notices.models import Kind, NoticePage
from tests.factories import EnterpriseFactory, UserFactory, login_verified

pytestmark = pytest.mark.django_db


def _form(**changes) -> dict:
    deadline = timezone.localtime(timezone.now() + timedelta(days=20))
    data = {
        "title": "北斗高精度定位终端采购",
        "summary": "采购北斗三号高精度定位终端 60 台，支持 RTK 与短报文。",
        "body_text": "面向驻桂部队的定位终端需求。\n\n交付地点：南宁。",
        "requirements": "定位精度优于 2 cm\nIP67 防护",
        "industries": ["D01"],
        "region": "450100",
        "budget_min": "100",
        "budget_max": "300",
        "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        "contact_name": "王参谋",
        "contact_phone": "0771-2801234",
        "contact_email": "wang@example.cn",
        "qualifications": ["gjb9001c"],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _approve(client, user, notice: NoticePage, action: str = "approve", comment: str = ""):
    notice.refresh_from_db()
    task_state = notice.current_workflow_task_state
    login_verified(client, user)
    url = reverse("wagtailadmin_pages:workflow_action", args=(notice.pk, action, task_state.pk))
    response = client.post(url, {"comment": comment})
    client.logout()
    return response


def _mail_to(user) -> list:
    """The portal's own messages to ``user`` (Wagtail's moderation mail to reviewers aside)."""
    return [m for m in mail.outbox if m.to == [user.email]]


@pytest.fixture
def officer_client(author) -> Client:
    """The author's own browser, apart from the ``client`` the reviewers use."""
    own = Client()
    own.force_login(author)
    return own


def _create(client, **changes) -> NoticePage:
    response = client.post(reverse("desk:create"), _form(**changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    return NoticePage.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


# -- Who reaches the desk ---------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(reverse("desk:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [None, "editor", "reviewer"])
def test_only_procurement_officers_have_a_desk(client, role):
    user = UserFactory(username=f"no-desk-{role}", roles=[role] if role else [])
    if role:
        login_verified(client, user)
    else:
        client.force_login(user)
    assert client.get(reverse("desk:index")).status_code == 404
    assert client.get(reverse("desk:create")).status_code == 404


@pytest.mark.parametrize("who", ["officer", "enterprise"])
def test_another_authors_notice_is_a_404(client, officer_client, author, vetted, who):
    notice = _create(officer_client)
    other = UserFactory(username="procurer2", roles=["procurement"]) if who == "officer" else vetted
    client.force_login(other)
    for name in ("detail", "edit"):
        assert client.get(reverse(f"desk:{name}", args=[notice.pk])).status_code == 404
    for name in ("submit", "cancel", "withdraw", "close", "deadline"):
        assert client.post(reverse(f"desk:{name}", args=[notice.pk])).status_code == 404
    assert notice.pk not in [row["notice"].pk for row in client.get("/desk/").context["rows"]]
    notice.refresh_from_db()
    assert not notice.live and notice.current_workflow_state is None


def test_the_dashboard_leads_authors_to_the_desk(officer_client, client, vetted, registered):
    page = officer_client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("desk:create") in page and "发布需求" in page and "我的需求" in page
    client.force_login(vetted)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("desk:create") in page and "发布供给或成果" in page
    client.force_login(registered)
    assert reverse("desk:create") not in client.get(reverse("accounts:dashboard")).content.decode()


# -- Drafting and the form ------------------------------------------------------------------


def test_a_new_demand_is_a_draft_revision_with_a_pinyin_slug(officer_client, author):
    notice = _create(officer_client)
    assert not notice.live
    assert notice.kind == Kind.DEMAND
    assert notice.owner == author
    assert notice.tier == Tier.VETTED  # set by nobody here: the fail-closed default
    assert notice.slug == "bei-dou-gao-jing-du-ding-wei-zhong-duan-cai-gou"
    assert notice.url.endswith("/notices/bei-dou-gao-jing-du-ding-wei-zhong-duan-cai-gou/")
    assert notice.revisions.count() == 1
    assert list(notice.industries.values_list("code", flat=True)) == ["D01"]
    assert [q.qualification_type_id for q in notice.required_qualifications.all()] == ["gjb9001c"]
    assert [b.block_type for b in notice.body] == ["paragraph", "paragraph", "requirements"]
    assert list(notice.body[2].value["items"]) == ["定位精度优于 2 cm", "IP67 防护"]
    assert desk.status_of(notice).code == "draft"
    listing = officer_client.get(reverse("desk:index")).content.decode()
    assert "草稿" in listing and notice.title in listing


def test_attachments_are_private_documents_added_and_removed(client, officer_client, author):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("技术规格书.pdf", b"%PDF-1.4 spec", content_type="application/pdf")
    notice = _create(officer_client, attachments=pdf)
    [attachment] = notice.attachments.select_related("document")
    document = attachment.document
    assert attachment.title == "技术规格书.pdf" and document.uploaded_by_user == author
    assert officer_client.get(document.url).status_code == 200
    client.force_login(UserFactory(username="stranger"))
    assert client.get(document.url).status_code == 404

    exe = SimpleUploadedFile("setup.exe", b"MZ", content_type="application/octet-stream")
    response = officer_client.post(reverse("desk:edit", args=[notice.pk]), _form(attachments=exe))
    assert response.status_code == 400
    assert "允许的文件类型" in response.content.decode()

    data = _form(remove_attachments=[str(document.pk)])
    assert officer_client.post(reverse("desk:edit", args=[notice.pk]), data).status_code == 302
    notice.refresh_from_db()
    assert not notice.attachments.exists()


def test_the_desk_page_of_a_vetted_notice_is_audited(officer_client, author):
    from classification.models import AccessLog

    notice = _create(officer_client)
    officer_client.get(reverse("desk:detail", args=[notice.pk]))
    assert AccessLog.objects.filter(
        user=author, object_id=notice.pk, action="classification.notice.viewed"
    ).exists()


def test_slugs_stay_unique_under_the_index(officer_client):
    first = _create(officer_client)
    second = _create(officer_client)
    assert second.slug == first.slug + "-2"


def test_the_form_explains_what_is_wrong_in_chinese(officer_client):
    past = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = officer_client.post(
        reverse("desk:create"),
        _form(title="", deadline=past, budget_min="500", budget_max="100", region=""),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "必需字段" in page  # Django's own Chinese for an empty title
    assert "截止时间必须晚于当前时间" in page
    assert "预算上限不能低于预算下限" in page
    assert "请选择所在地区" in page
    assert not NoticePage.objects.filter(summary__startswith="采购北斗三号").exists()


# -- Through the workflow ---------------------------------------------------------------------


def test_submit_review_and_publish_show_each_status(client, officer_client, officer, publisher):
    notice = _create(officer_client)
    detail = reverse("desk:detail", args=[notice.pk])
    assert officer_client.post(reverse("desk:submit", args=[notice.pk])).status_code == 302
    notice.refresh_from_db()
    assert notice.current_workflow_task.name == "定密审核"
    assert "定密审核中" in officer_client.get(detail).content.decode()

    assert _approve(client, officer, notice).status_code == 302
    client.force_login(notice.owner)
    assert "发布审批中" in client.get(detail).content.decode()

    assert _approve(client, publisher, notice).status_code == 302
    notice.refresh_from_db()
    assert notice.live
    client.force_login(notice.owner)
    page = client.get(detail).content.decode()
    assert "已发布" in page and notice.url in page


def test_a_returned_notice_shows_the_comment_and_resumes(client, officer_client, officer):
    notice = _create(officer_client, submit="1")
    assert notice.current_workflow_task.name == "定密审核"
    _approve(client, officer, notice, action="reject", comment="联系人电话请改为座机。")
    client.force_login(notice.owner)
    page = client.get(reverse("desk:detail", args=[notice.pk])).content.decode()
    assert "已退回" in page and "联系人电话请改为座机。" in page

    response = client.post(
        reverse("desk:edit", args=[notice.pk]), _form(contact_phone="0771-2809999", submit="1")
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.current_workflow_task.name == "定密审核"
    assert notice.get_latest_revision_as_object().contact_phone == "0771-2809999"


def test_a_notice_in_review_cannot_be_edited_but_can_be_taken_back(officer_client):
    notice = _create(officer_client, submit="1")
    response = officer_client.post(reverse("desk:edit", args=[notice.pk]), _form(title="新标题"))
    assert response.status_code == 400
    assert "审核中" in response.content.decode()
    officer_client.post(reverse("desk:cancel", args=[notice.pk]))
    notice.refresh_from_db()
    assert desk.status_of(notice).code == "draft"


# -- Enterprises' offers ------------------------------------------------------------------------


def test_an_approved_enterprise_offers_supply_and_transfer_not_demands(client, vetted):
    client.force_login(vetted)
    page = client.get(reverse("desk:create")).content.decode()
    assert "民口供给" in page and "技术转移" in page and 'value="demand"' not in page
    response = client.post(reverse("desk:create"), _form(kind="demand"))
    assert response.status_code == 400
    assert not NoticePage.objects.filter(owner=vetted).exists()

    response = client.post(reverse("desk:create"), _form(kind="supply", deadline=""))
    assert response.status_code == 302
    offer = NoticePage.objects.get(owner=vetted)
    assert offer.kind == Kind.SUPPLY and offer.deadline is None and not offer.live
    detail = client.get(reverse("desk:detail", args=[offer.pk])).content.decode()
    assert "草稿" in detail and "收到的响应" not in detail  # offers take no responses
    client.post(reverse("desk:submit", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.current_workflow_task.name == "定密审核"


def test_a_demand_needs_its_deadline(officer_client):
    response = officer_client.post(reverse("desk:create"), _form(deadline=""))
    assert response.status_code == 400
    assert "请填写响应截止时间" in response.content.decode()


def test_an_enterprise_not_yet_approved_has_no_desk(client):
    from tests.factories import submitted_enterprise

    owner = UserFactory(username="pending-owner", roles=["enterprise"])
    submitted_enterprise(owner)
    client.force_login(owner)
    assert client.get(reverse("desk:index")).status_code == 404


# -- Published notices: amend, close, extend, withdraw ------------------------------------


@pytest.fixture
def live_notice(client, officer_client, officer, publisher):
    notice = _create(officer_client, submit="1")
    _approve(client, officer, notice)
    _approve(client, publisher, notice)
    notice.refresh_from_db()
    assert notice.live
    return notice


def test_an_amendment_waits_for_the_workflow_then_tells_followers(
    client,
    officer_client,
    live_notice,
    officer,
    publisher,
    registered,
    django_capture_on_commit_callbacks,
):
    from tests.factories import release

    release(live_notice, Tier.REGISTERED)
    client.force_login(registered)
    client.post(reverse("notices:follow", args=[live_notice.pk]))
    client.logout()

    edit = reverse("desk:edit", args=[live_notice.pk])
    response = officer_client.post(edit, _form(summary="采购数量改为 80 台。"))
    assert response.status_code == 400
    assert "请简要说明修改原因" in response.content.decode()

    response = officer_client.post(
        edit, _form(summary="采购数量改为 80 台。", budget_max="400", reason="数量增加", submit="1")
    )
    assert response.status_code == 302, response.content.decode()
    live_notice.refresh_from_db()
    assert live_notice.summary.startswith("采购北斗三号")  # the live version waits
    assert desk.status_of(live_notice).step == "classifying"
    assert not _mail_to(registered)

    with django_capture_on_commit_callbacks(execute=True):
        _approve(client, officer, live_notice)
        _approve(client, publisher, live_notice)
    live_notice.refresh_from_db()
    assert live_notice.summary == "采购数量改为 80 台。"
    [sent] = _mail_to(registered)
    assert live_notice.amendments.get().fields == ["summary", "budget"]
    assert "变更公告" in sent.subject and "数量增加" in sent.body
    assert "摘要" in sent.body and "取消关注" in sent.body
    assert "预算" not in sent.body  # a registered reader may not read the budget

    client.force_login(registered)
    page = client.get(live_notice.url).content.decode()
    assert "变更记录" in page and "数量增加" in page


def test_an_amendment_names_only_what_changed(officer_client, live_notice):
    """Browsers send text areas with CRLF line ends: unchanged text is no change."""
    data = _form(summary="采购数量改为 80 台。", reason="数量增加")
    for name in ("body_text", "requirements"):
        data[name] = data[name].replace("\n", "\r\n")
    response = officer_client.post(reverse("desk:edit", args=[live_notice.pk]), data)
    assert response.status_code == 302
    amendment = live_notice.amendments.get()
    assert amendment.fields == ["summary"]
    assert amendment.published_at is None and amendment.reason == "数量增加"


def test_close_early_and_extend_notify_and_show(
    client, officer_client, live_notice, vetted, django_capture_on_commit_callbacks
):
    client.force_login(vetted)
    client.post(reverse("notices:follow", args=[live_notice.pk]))
    close = reverse("desk:close", args=[live_notice.pk])
    officer_client.post(close, {"reason": ""})
    live_notice.refresh_from_db()
    assert live_notice.is_open  # the reason is required

    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(close, {"reason": "需求已满足"})
    live_notice.refresh_from_db()
    assert not live_notice.is_open
    assert desk.status_of(live_notice).code == "closed"
    [closed] = _mail_to(vetted)
    assert "提前截止" in closed.subject and "需求已满足" in closed.body
    assert live_notice.get_latest_revision_as_object().deadline == live_notice.deadline

    later = timezone.localtime(timezone.now() + timedelta(days=40)).replace(second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(
            reverse("desk:deadline", args=[live_notice.pk]),
            {"deadline": later.strftime("%Y-%m-%dT%H:%M"), "reason": "延长报名"},
        )
    live_notice.refresh_from_db()
    assert live_notice.deadline == later and live_notice.is_open
    extended = _mail_to(vetted)[1]
    assert later.strftime("%Y-%m-%d %H:%M") in extended.body and "延长报名" in extended.body
    page = client.get(live_notice.url).content.decode()
    assert "提前截止" in page and "延长报名" in page


def test_withdraw_unpublishes(client, officer_client, live_notice):
    officer_client.post(reverse("desk:withdraw", args=[live_notice.pk]))
    live_notice.refresh_from_db()
    assert not live_notice.live
    assert desk.status_of(live_notice).code == "withdrawn"
    assert "已撤回" in officer_client.get(reverse("desk:index")).content.decode()
    client.logout()
    assert client.get(live_notice.url).status_code == 404


def test_the_desk_lists_responses_and_matching_links(officer_client, live_notice, vetted):
    from portal.notices.responses import submit_response, vetted_enterprises

    submit_response(live_notice, vetted, vetted_enterprises(vetted)[0], "我司可按期交付。")
    page = officer_client.get(reverse("desk:detail", args=[live_notice.pk])).content.decode()
    assert "我司可按期交付。" in page and "南宁北斗星科技有限公司" in page
    assert reverse("shortlists:index") in page
    listing = officer_client.get(reverse("desk:index"))
    row = next(r for r in listing.context["rows"] if r["notice"].pk == live_notice.pk)
    assert row["notice"].response_count == 1


def test_the_notice_page_offers_its_author_the_desk(client, officer_client, live_notice, vetted):
    page = officer_client.get(live_notice.url).content.decode()
    assert reverse("desk:detail", args=[live_notice.pk]) in page
    client.force_login(vetted)
    assert (
        reverse("desk:detail", args=[live_notice.pk])
        not in client.get(live_notice.url).content.decode()
    )


# -- Follow and interest ----------------------------------------------------------------------


def test_follow_needs_a_login_and_sight_of_the_notice(client, make_notice, registered):
    public = make_notice("公开的需求", tier=Tier.PUBLIC)
    assert "登录后关注此信息" in client.get(public.url).content.decode()
    hidden = make_notice("仅认证可见的需求", tier=Tier.VETTED)
    url = reverse("notices:follow", args=[hidden.pk])
    response = client.post(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    client.force_login(registered)
    assert client.post(url).status_code == 404
    assert not hidden.follows.exists()


def test_follow_and_unfollow(client, make_notice, registered):
    notice = make_notice("公开的需求", tier=Tier.PUBLIC)
    client.force_login(registered)
    url = reverse("notices:follow", args=[notice.pk])
    client.post(url)
    client.post(url)
    assert notice.follows.filter(user=registered).count() == 1
    assert "取消关注" in client.get(notice.url).content.decode()
    client.post(url, {"action": "unfollow"})
    assert not notice.follows.exists()


def test_followers_who_lost_sight_get_no_mail(
    make_notice, author, registered, vetted, django_capture_on_commit_callbacks
):
    from portal.notices import following

    notice = make_notice("注册可见的需求", tier=Tier.REGISTERED)
    following.follow(registered, notice)
    from tests.factories import release

    following.follow(vetted, notice)
    release(notice, Tier.VETTED)
    with django_capture_on_commit_callbacks(execute=True):
        desk.change_deadline(author, notice, None, "提前截止", close=True)
    assert not _mail_to(registered)
    assert len(_mail_to(vetted)) == 1


def test_suppliers_mark_interest_and_teaming(client, make_notice, vetted):
    notice = make_notice("北斗终端需求", tier=Tier.PUBLIC)
    client.force_login(vetted)
    enterprise = vetted.groups.exclude(enterprise=None).first().enterprise
    url = reverse("notices:interest", args=[notice.pk])
    client.post(url, {"enterprise": enterprise.pk, "teaming": "1"})
    row = notice.interests.get()
    assert row.enterprise == enterprise and row.teaming
    page = client.get(notice.url).content.decode()
    assert "意向供应商" in page and "寻求合作" in page

    client.post(url, {"enterprise": enterprise.pk, "action": "withdraw"})
    assert not notice.interests.exists()


def test_interest_needs_an_approved_enterprise_of_ones_own(client, make_notice, registered, vetted):
    notice = make_notice("北斗终端需求", tier=Tier.PUBLIC)
    enterprise = vetted.groups.exclude(enterprise=None).first().enterprise
    client.force_login(registered)
    assert (
        client.post(
            reverse("notices:interest", args=[notice.pk]), {"enterprise": enterprise.pk}
        ).status_code
        == 404
    )
    assert not notice.interests.exists()


def test_the_list_leaves_out_enterprises_the_reader_may_not_see(client, make_notice, vetted):
    from portal.notices import following
    from tests.factories import release

    notice = make_notice("公开的北斗需求", tier=Tier.PUBLIC)
    open_one = EnterpriseFactory(name="公开的北斗企业有限公司")
    release(open_one, Tier.PUBLIC)
    owner = UserFactory(username="hidden-owner")
    hidden = EnterpriseFactory(name="认证可见的企业有限公司", owners=[owner])
    release(hidden, Tier.VETTED)
    following.mark_interest(owner, notice, hidden, teaming=True)
    open_owner = UserFactory(username="open-owner")
    open_one.owner_group().user_set.add(open_owner)
    following.mark_interest(open_owner, notice, open_one, teaming=False)

    client.logout()
    page = client.get(notice.url).content.decode()
    assert "公开的北斗企业有限公司" in page
    assert "认证可见的企业有限公司" not in page
    client.force_login(vetted)
    assert "认证可见的企业有限公司" in client.get(notice.url).content.decode()


def test_the_body_reads_back_as_the_desk_wrote_it():
    from portal.notices import desk_content

    notice = NoticePage(title="x")
    text = "甲 & 乙 <型号>\n第二行\n\n第二段"
    desk_content.set_body(notice, text, "精度 < 2 cm")
    assert notice.body[0].value.source == "<p>甲 &amp; 乙 &lt;型号&gt;<br/>第二行</p>"
    assert desk_content.body_text(notice) == text
    assert desk_content.requirement_lines(notice) == "精度 < 2 cm"


def test_pinyin_slugs_avoid_reserved_paths(index):
    from portal.notices.slugs import pinyin_slug, unique_slug

    assert pinyin_slug("北斗终端 RTK 采购") == "bei-dou-zhong-duan-rtk-cai-gou"
    assert pinyin_slug("！？") == "notice"
    assert unique_slug("Feed", index) == "feed-2"
    assert len(pinyin_slug("北斗" * 80)) <= 60
    assert Industry.objects.filter(code="D01").exists()
    assert QualificationType.objects.filter(code="gjb9001c").exists()
