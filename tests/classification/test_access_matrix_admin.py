"""The access matrix of the Wagtail admin: admin surfaces × staff roles × hidden items.

The staff roles (editor, procurement officer, reviewer, publisher) each sign in to the admin;
a classification officer, who also reviews enterprises, is the control who sees everything.
The admin world adds to the module's world (``module_world``) notices, papers, documents,
responses, paper PDFs and enterprise profiles that some of them may not see, told as a story:

- released items at every tier, a targeted notice granted to the editor, to the publishers'
  group and (expired) to the procurement officer, and targeted items granted to nobody in the
  cast — three of them the editor locked, edited or sent to review while they were still
  registered, before an officer targeted them;
- unreleased items: another author's drafts, the editor's and the procurement officer's own
  drafts, pages waiting at 定密审核 (officers act) or at 发布审批 (publishers act), a notice the
  publisher approved for a go-live in two days, and an expired notice;
- documents attached only to hidden notices, a response to a targeted notice, the PDF of a
  targeted paper, a targeted profile with nothing to review, a draft profile nobody submitted.

Who may see each item is written out by hand in ``STORY`` from docs/release.md, never asked of
``classification.policy``. Rule 4 there keeps a page visible to the approvers of its last
workflow step until the revision they approved goes live: the publisher sees the scheduled
notice, nobody else in the cast does.

A *cell* is (surface, role, item). A URL naming the item (its edit view, its API detail, a
chooser's "chosen" answer…) finds it unless it answers 404: for a visible item a role without
Wagtail's permission gets Wagtail's own refusal, but a hidden item must answer 404 whatever
the role's permissions, never 403 or a redirect. A list (explorer, search, chooser, report,
dashboard, API listing, export…) finds it when it shows its title, and the list itself must
answer the role as Wagtail's permissions say (``Listing.reach``): a report that breaks for a
role proves nothing. Every surface has cells where the item is visible; the counts shown beside
the lists, and the moderation e-mails, have tests of their own below.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from classification import changes
from classification.tiers import Tier
from portal.accounts import roles
from tests.factories import complete_profile
from tests.tally import MATRIX_CELLS

from .conftest import World, client_for, make_enterprise, make_user

ROLES = ("editor", "procurement", "reviewer", "publisher", "officer")
EVERYONE = frozenset(ROLES)
PAGES = ("notice", "paper")


def only(*names: str) -> frozenset[str]:
    """The roles that may see an item: these and the officer."""
    return frozenset((*names, "officer"))


VETTED_STAFF = only("editor", "procurement", "reviewer")  # a publisher's clearance: registered

#: name -> (kind, roles that may see it, whether it has cells). Background items (the module
#: world's pages, documents whose reach is a field rule rather than an item rule) are counted
#: by the count surfaces only.
STORY: dict[str, tuple[str, frozenset[str], bool]] = {
    "notice.registered": ("notice", EVERYONE, True),
    "notice.vetted": ("notice", VETTED_STAFF, True),
    "notice.targeted": ("notice", only(), True),
    "notice.granted": ("notice", only("editor", "publisher"), True),
    "notice.draft": ("notice", only(), True),
    "notice.draft_of_editor": ("notice", only("editor"), True),
    "notice.draft_of_procurement": ("notice", only("procurement"), True),
    "notice.in_review": ("notice", only(), False),
    "notice.to_publish": ("notice", only("publisher"), True),
    "notice.scheduled": ("notice", only("publisher"), True),
    "notice.expired": ("notice", only(), True),
    "notice.requested": ("notice", only(), True),
    "paper.registered": ("paper", EVERYONE, True),
    "paper.vetted": ("paper", VETTED_STAFF, True),
    "paper.targeted": ("paper", only(), True),
    "paper.draft": ("paper", only(), True),
    "paper.draft_of_editor": ("paper", only("editor"), False),
    "paper.in_review": ("paper", only(), False),
    **{
        f"base.{kind}.{tier}": (kind, seen_by, False)
        for kind in PAGES
        for tier, seen_by in (
            ("public", EVERYONE),
            ("registered", EVERYONE),
            ("vetted", VETTED_STAFF),
            ("targeted", only()),
            ("draft", only()),
        )
    },
    # The module world's attachments (矩阵附件1…5) and two of the admin world's.
    "base.document.public": ("document", EVERYONE, True),
    "base.document.registered": ("document", EVERYONE, False),
    "base.document.vetted": ("document", VETTED_STAFF, False),
    "base.document.targeted": ("document", only(), True),
    "base.document.draft": ("document", only(), True),
    "document.granted": ("document", only("editor", "publisher"), True),
    "document.in_review": ("document", only(), False),
    "response.public": ("response", EVERYONE, True),
    "response.targeted": ("response", only(), True),
    "pdf.registered": ("pdf", EVERYONE, True),
    "pdf.targeted": ("pdf", only(), True),
    "enterprise.vetted": ("enterprise", VETTED_STAFF, True),
    "enterprise.targeted": ("enterprise", only(), True),
    "enterprise.draft": ("enterprise", only(), True),
    "enterprise.submitted": ("enterprise", only("reviewer"), True),
    "enterprise.claimed": ("enterprise", only("reviewer"), True),
    "claim.vetted": ("claim", VETTED_STAFF, True),
    "claim.targeted": ("claim", only(), True),
    "claim.claimed": ("claim", only("reviewer"), True),
}

#: Wagtail permissions of the roles, written out again from the data migrations
#: (notices 0003/0005, papers 0004): who explores each index, who lists documents.
EXPLORERS = {
    "notice": frozenset({"editor", "procurement", "publisher", "officer"}),
    "paper": frozenset({"editor", "publisher", "officer"}),
}
PAGE_STAFF = EXPLORERS["notice"]  # any page permission: search, reports, page types usage
DOCUMENT_LISTERS = frozenset({"editor", "procurement", "officer"})  # add/change/choose
DOCUMENT_EDITORS = frozenset({"editor", "officer"})  # list every document, not only their own
RESPONSE_STAFF = frozenset({"editor", "procurement", "publisher", "officer"})  # view permission
RESPONSE_READERS = frozenset({"editor", "officer"})  # read every response (responses.py)
REVIEWERS = frozenset({"reviewer", "officer"})

#: What each role finds on its dashboard (from the story): pages they locked or edited, sent to
#: review, or must approve now.
DASHBOARD = {
    "editor": {"notice.registered", "notice.draft_of_editor"},
    "procurement": {"notice.draft_of_procurement"},
    "reviewer": set(),
    "publisher": {"notice.to_publish"},
    "officer": {
        "notice.draft",
        "notice.draft_of_editor",
        "notice.requested",
    },
}
#: Pages locked in the story: by the editor (three), by the officer (one).
LOCKED = {"notice.registered", "notice.targeted", "paper.targeted", "notice.draft"}
#: Pages with a task in progress.
IN_WORKFLOW = ("notice.to_publish", "notice.requested")
#: Pages with a Wagtail workflow state (in progress, or approved for a later go-live).
MODERATED = {
    *IN_WORKFLOW,
    "notice.in_review",
    "paper.in_review",
    "notice.draft_of_editor",
    "notice.scheduled",
}
#: Live pages (the expired notice stays live until Wagtail's scheduler unpublishes it).
LIVE = {
    "notice.registered",
    "notice.vetted",
    "notice.targeted",
    "notice.granted",
    "notice.expired",
    "notice.requested",
    "paper.registered",
    "paper.vetted",
    "paper.targeted",
}
#: Pages named by URL: one of each way of being hidden, and controls the roles see.
NAMED_PAGES = (
    "notice.registered",
    "notice.vetted",
    "notice.targeted",
    "notice.draft",
    "notice.scheduled",
    "paper.targeted",
)


@dataclass(frozen=True)
class Thing:
    kind: str
    seen_by: frozenset[str]
    label: str  # the text that names it on a page: a title, a profile's name


@dataclass(repr=False)  # a failing cell prints its arguments: not the cached pages
class AdminWorld:
    base: World
    staff: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    things: dict[str, Thing] = field(default_factory=dict)
    clients: dict[str, Any] = field(default_factory=dict)
    #: Answers of lists, which do not depend on the item: one request per role and URL.
    cache: dict[Any, Any] = field(default_factory=dict)
    notice_index: Any = None
    paper_index: Any = None
    #: The last request of the running cell and its answer, for the failure message.
    last: str = ""

    def add(self, name: str, obj, label: str | None = None):
        kind, seen_by, _cell = STORY[name]
        self.objects[name] = obj
        self.things[name] = Thing(kind, seen_by, label or obj.title)
        return obj

    def cached(self, key, compute: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def __repr__(self) -> str:
        return f"<AdminWorld: {len(self.things)} items, {len(self.cache)} lists fetched>"


def sees(role: str, thing: Thing) -> bool:
    return role in thing.seen_by


# --- The admin world -------------------------------------------------------------------------


def _notice(index, title: str, slug: str, owner, tier: str, publish: bool = True, **fields):
    """A notice by ``owner``, as ``tests/notices/conftest.py``'s ``make_notice`` makes one (a
    function-scoped fixture, so not usable for a module's world), published unless asked."""
    from portal.enterprises.models import Region
    from portal.notices.models import NoticePage

    notice = NoticePage(
        title=title,
        slug=slug,
        tier=tier,
        kind=fields.pop("kind", "demand"),
        summary=f"{title}：采购北斗三号定位终端。",
        deadline=timezone.now() + timedelta(days=30),
        contact_name="王参谋",
        contact_phone="0771-2801234",
        region=Region.objects.get(code="450100"),
        owner=owner,
        live=False,
        **fields,
    )
    index.add_child(instance=notice)
    revision = notice.save_revision(user=owner, log_action=True)
    if publish:
        revision.publish()
        notice.refresh_from_db()
    return notice


def _paper(title: str, slug: str, owner, tier: str, publish: bool = True):
    from portal.papers.demo import create_paper
    from portal.papers.demo_text import Body

    body = Body()
    body.chapter("总体情况")
    body.text(f"{title}的正文。")
    paper = create_paper(body.blocks, slug=slug, title=title, tier=tier, publish=publish)
    # Publishing checks the publisher's rights; the author owns the paper afterwards.
    type(paper).objects.filter(pk=paper.pk).update(owner=owner)
    paper.owner = owner
    if not publish:
        paper.save_revision(user=owner, log_action=True)
    return paper


def _act(page, user, action: str = "approve") -> None:
    """``user`` takes ``action`` on the page's current task, as the admin's button does."""
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, user, action)


def _document(title: str, notice):
    from wagtail.documents import get_document_model

    from portal.notices.models import NoticeAttachment

    document = get_document_model()(title=title)
    document.file.save("admx-spec.pdf", ContentFile(b"%PDF-1.4 admx"), save=False)
    document.save()
    NoticeAttachment.objects.create(notice=notice, document=document, title=title)
    return document


def _staff(aw: AdminWorld, base: World) -> dict[str, Any]:
    officer = base.officer
    officer.groups.add(Group.objects.get(name=roles.REVIEWER))
    staff = {
        "editor": make_user("adm-editor", roles.EDITOR),
        "procurement": make_user("adm-procurement", roles.PROCUREMENT),
        "reviewer": make_user("adm-reviewer", roles.REVIEWER),
        "publisher": make_user("adm-publisher", roles.PUBLISHER),
        "officer": officer,
    }
    # No role group may open the PDF cache; an administrator may let staff read it, and the
    # release policy must hold whatever Wagtail permissions they are given.
    view_pdfs = Permission.objects.get(codename="view_paperpdf")
    for user in staff.values():
        user.user_permissions.add(view_pdfs)
        aw.clients[user.username] = client_for(user)
    return staff


def _pages(aw: AdminWorld, base: World) -> None:
    staff, officer, author = aw.staff, base.officer, base.author
    editor, procurement = staff["editor"], staff["procurement"]
    index = aw.notice_index
    soon = timezone.now() + timedelta(days=3)

    def notice(name, n, title, owner=author, tier=Tier.PUBLIC, **extra):
        page = _notice(index, f"ADMX-N{n:02d} {title}", f"admx-n{n:02d}", owner, tier, **extra)
        return aw.add(name, page) if name else page

    def paper(name, n, title, owner=author, tier=Tier.PUBLIC, publish=True):
        page = _paper(f"ADMX-P{n:02d} {title}", f"admx-p{n:02d}", owner, tier, publish)
        return aw.add(name, page) if name else page

    registered = notice("notice.registered", 1, "注册通知", tier=Tier.REGISTERED)
    notice("notice.vetted", 2, "认证通知", tier=Tier.VETTED)
    targeted = notice(None, 3, "定向通知", tier=Tier.REGISTERED)
    granted = notice("notice.granted", 4, "授权通知", tier=Tier.TARGETED)
    changes.grant(officer, granted, editor, soon)
    changes.grant(officer, granted, Group.objects.get(name=roles.PUBLISHER), None)
    lapsed = changes.grant(officer, granted, procurement, soon)
    past = timezone.now() - timedelta(minutes=1)
    type(lapsed).objects.filter(pk=lapsed.pk).update(valid_until=past)
    draft = notice("notice.draft", 5, "他人草稿通知", publish=False)
    own = notice("notice.draft_of_editor", 6, "编辑草稿通知", editor, publish=False, kind="policy")
    notice("notice.draft_of_procurement", 7, "采购草稿通知", procurement, publish=False)
    checking = notice("notice.in_review", 8, "定密中通知", publish=False)
    checking.get_workflow().start(checking, author)
    last_step = notice("notice.to_publish", 9, "待发布通知", publish=False)
    last_step.get_workflow().start(last_step, author)
    _act(last_step, officer)
    go_live = timezone.now() + timedelta(days=2)
    scheduled = notice("notice.scheduled", 10, "定时通知", publish=False, go_live_at=go_live)
    scheduled.get_workflow().start(scheduled, author)
    _act(scheduled, officer)
    _act(scheduled, staff["publisher"])
    scheduled.refresh_from_db()
    assert not scheduled.live and scheduled.current_workflow_state is None
    expired = notice("notice.expired", 11, "过期通知")
    type(expired).objects.filter(pk=expired.pk).update(expire_at=past)
    requested = notice(None, 12, "送审后定向通知", tier=Tier.REGISTERED)

    paper("paper.registered", 1, "注册白皮书", tier=Tier.REGISTERED)
    paper("paper.vetted", 2, "认证白皮书", tier=Tier.VETTED)
    ptargeted = paper(None, 3, "定向白皮书", tier=Tier.REGISTERED)
    paper("paper.draft", 4, "他人草稿白皮书", publish=False)
    paper("paper.draft_of_editor", 5, "编辑草稿白皮书", editor, publish=False)
    pchecking = paper("paper.in_review", 6, "定密中白皮书", publish=False)
    pchecking.get_workflow().start(pchecking, author)

    # The editor worked on these while they could see them: locked them in the admin, edited
    # them, sent one to review; then an officer targeted them at someone outside the cast.
    client = aw.clients[editor.username]
    for page in (registered, targeted, ptargeted):
        assert client.post(f"/admin/pages/{page.pk}/lock/").status_code == 302
        page.refresh_from_db()
        page.save_revision(user=editor, log_action=True)
    own.get_workflow().start(own, editor)
    requested.get_workflow().start(requested, editor)
    outsider = make_user("adm-outsider")
    for page in (targeted, ptargeted, requested):
        changes.set_tier(officer, page, Tier.TARGETED)
        changes.grant(officer, page, outsider, None)
    aw.add("notice.targeted", targeted)
    aw.add("notice.requested", requested)
    aw.add("paper.targeted", ptargeted)
    # The officer locked another author's draft while checking it.
    assert aw.clients[officer.username].post(f"/admin/pages/{draft.pk}/lock/").status_code == 302
    for client in aw.clients.values():
        client.cookies.pop("messages", None)

    aw.add("document.granted", _document("矩阵附件6授权", granted))
    aw.add("document.in_review", _document("矩阵附件7定密中", checking))


def _others(aw: AdminWorld, base: World) -> None:
    from portal.enterprises import workflow
    from portal.enterprises.models import ClaimState, EnterpriseClaim
    from portal.notices.responses import submit_response
    from portal.papers.models import PaperPdf
    from portal.papers.tasks import build_paper_pdf

    for kind in PAGES:
        for tier, page in (base.notices if kind == "notice" else base.papers).items():
            aw.add(f"base.{kind}.{tier}", page)
    for tier, document in base.documents.items():
        aw.add(f"base.document.{tier}", document)

    # Responses of the grantee enterprise to a public and to a targeted demand notice.
    member, company = base.users["enterprise_member"], base.granted_enterprise
    for tier in ("public", "targeted"):
        notice = base.notices[tier]
        answer = submit_response(notice, member, company, f"ADMX响应{tier}")
        aw.add(f"response.{tier}", answer, label=notice.title)

    # The built PDFs of a registered and of a targeted paper (the real task).
    for tier in ("registered", "targeted"):
        paper = aw.objects[f"paper.{tier}"]
        paper.refresh_from_db()
        assert build_paper_pdf(paper.pk, paper.live_revision_id) == "ready"
        pdf = PaperPdf.objects.get(page=paper, revision_id=paper.live_revision_id)
        aw.add(f"pdf.{tier}", pdf, label=paper.title)

    # Profiles as the reviewers' pages show them, and claims of them.
    for tier in ("vetted", "targeted", "draft"):
        aw.add(f"enterprise.{tier}", base.items[tier], label=base.items[tier].name)
    owner = make_user("adm-owner", roles.ENTERPRISE)
    changing = make_enterprise("ADMX-E01 定向变更企业", tier=Tier.TARGETED, owners=(owner,))
    workflow.save_draft(owner, changing, complete_profile())
    workflow.submit(owner, changing)
    aw.add("enterprise.submitted", changing, label=changing.name)
    claimed = make_enterprise("ADMX-E02 定向认领企业", tier=Tier.TARGETED)
    aw.add("enterprise.claimed", claimed, label=claimed.name)
    claimant = make_user("adm-claimant", roles.ENTERPRISE)
    for name, profile, state in (
        ("claim.vetted", base.items["vetted"], ClaimState.REJECTED),
        ("claim.targeted", base.items["targeted"], ClaimState.REJECTED),
        ("claim.claimed", claimed, ClaimState.PENDING),
    ):
        claim = EnterpriseClaim.objects.create(
            enterprise=profile, claimant=claimant, state=state, message="本企业经办人认领"
        )
        aw.add(name, claim, label=profile.name)


def build_admin_world(base: World) -> AdminWorld:
    from portal.notices.models import NoticeIndexPage
    from portal.papers.models import PaperIndexPage

    aw = AdminWorld(base=base)
    aw.notice_index = NoticeIndexPage.objects.get(slug="notices")
    aw.paper_index = PaperIndexPage.objects.get()
    aw.staff = _staff(aw, base)
    _pages(aw, base)
    _others(aw, base)
    _check_catalogue(aw)
    return aw


def _check_catalogue(aw: AdminWorld) -> None:
    """Every classifiable page and every document is in the story (the counts below are
    computed from it), and the story is what was built."""
    from wagtail.documents import get_document_model

    from portal.notices.models import NoticePage
    from portal.papers.models import PaperPage

    assert set(aw.things) == set(STORY)
    pages = set(NoticePage.objects.values_list("pk", flat=True))
    pages |= set(PaperPage.objects.values_list("pk", flat=True))
    assert pages == {aw.objects[n].pk for n, t in aw.things.items() if t.kind in PAGES}
    documents = set(get_document_model().objects.values_list("pk", flat=True))
    assert documents == {aw.objects[n].pk for n, t in aw.things.items() if t.kind == "document"}


@pytest.fixture(scope="module")
def admin_world(module_world: World, django_db_blocker) -> AdminWorld:
    """The admin world, inside the module world's transaction and rolled back with it."""
    with django_db_blocker.unblock():
        return build_admin_world(module_world)


# --- Requests --------------------------------------------------------------------------------


def _request(aw: AdminWorld, role: str, url: str, method: str = "get"):
    client = aw.clients[aw.staff[role].username]
    response = getattr(client, method)(url)
    aw.last = f"{method.upper()} {url} answered {response.status_code} to {role}"
    # A refusal or a success leaves a message for the next page: it must not reach another cell.
    client.cookies.pop("messages", None)
    if response.status_code == 302:
        assert "login" not in response["Location"], f"{role} was signed out ({url})"
    return response


def _text(response) -> str:
    """The answer as text: JSON with its CJK unescaped, a spreadsheet's cells, or the body."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/json"):
        return json.dumps(json.loads(content), ensure_ascii=False)
    if "spreadsheet" in kind:
        from openpyxl import load_workbook

        book = load_workbook(BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return content.decode()


def _pk(aw: AdminWorld, name: str) -> int:
    return aw.objects[name].pk


def _index(aw: AdminWorld, kind: str) -> int:
    return (aw.notice_index if kind == "notice" else aw.paper_index).pk


# --- Surfaces --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Surface:
    """One admin surface: which kinds of item it shows, ``check`` (is the item found here?),
    ``expect`` (must the role find it?) and ``applies`` (which pairs are cells)."""

    kinds: tuple[str, ...]
    check: Callable[[AdminWorld, str, str], bool]
    expect: Callable[[str, str, Thing], bool] = lambda role, name, thing: sees(role, thing)
    applies: Callable[[str, str], bool] = lambda role, name: True


def _named(url: Callable[[AdminWorld, str], str], method: str = "get", names: bool = True):
    """A URL naming the item: 404 when the role may not see it; otherwise what the view
    answers for any item (200 naming it, Wagtail's refusal, a redirect, a method refusal)."""

    def check(aw: AdminWorld, role: str, name: str) -> bool:
        address = url(aw, name)
        response = _request(aw, role, address, method)
        assert response.status_code in (200, 302, 404, 405), (address, response.status_code)
        if response.status_code == 404:
            return False
        if names and response.status_code == 200:
            assert aw.things[name].label in _text(response), f"{address}: 200 without the item"
        return True

    return check


def _answer(aw: AdminWorld, role: str, url: str, reached: bool) -> str:
    """A list's text for the role, fetched once (all pages of it). ``reached``: whether
    Wagtail's permissions give the role the list (200) or refuse it (a redirect, or 400/404
    from the admin API for a parent it may not explore)."""

    def fetch() -> str:
        texts: list[str] = []
        for number in range(1, 10):
            paged = url if number == 1 else f"{url}{'&' if '?' in url else '?'}p={number}"
            response = _request(aw, role, paged)
            if number == 1 and not reached:
                assert response.status_code in (302, 400, 404), (url, role, response.status_code)
                return ""
            assert response.status_code == 200, f"{paged} answers {response.status_code} to {role}"
            texts.append(_text(response))
            if not re.search(rf"[?&;]p={number + 1}\b", texts[-1]):
                break
        return "\n".join(texts)

    return aw.cached((role, url), fetch)


@dataclass(frozen=True)
class Listing:
    """A list surface: its URL for a kind of item, and the roles it answers 200 to."""

    url: Callable[[AdminWorld, str], str]
    reach: Callable[[str, str], bool]  # (role, kind) -> the list answers the role 200

    def text(self, aw: AdminWorld, role: str, name: str) -> str:
        kind = aw.things[name].kind
        return _answer(aw, role, self.url(aw, kind), self.reach(role, kind))

    def shows(self, aw: AdminWorld, role: str, name: str) -> bool:
        return aw.things[name].label in self.text(aw, role, name)


def everyone(role: str, kind: str) -> bool:
    return True


def explorers(role: str, kind: str) -> bool:
    return role in EXPLORERS[kind]


def _roles(group: frozenset[str]) -> Callable[[str, str], bool]:
    return lambda role, kind: role in group


def _fixed(url: str) -> Callable[[AdminWorld, str], str]:
    return lambda aw, kind: url


def explorer_reach(role: str, name: str, thing: Thing) -> bool:
    """What a list built on Wagtail's page permissions shows: what the role sees under the
    indexes its permissions reach."""
    return sees(role, thing) and role in EXPLORERS[thing.kind]


def _agreeing(*listings: Listing):
    """Lists of the same items (the workflow report by page and by task): found on all of
    them, or on none."""

    def check(aw: AdminWorld, role: str, name: str) -> bool:
        found = {listing.shows(aw, role, name) for listing in listings}
        assert len(found) == 1, f"{role}: {name} is on one of the lists only"
        return found.pop()

    return check


def _chooser(listing: Listing):
    """The page and document choosers answer JSON carrying the rendered list."""

    def check(aw: AdminWorld, role: str, name: str) -> bool:
        text = listing.text(aw, role, name)
        html = json.loads(text)["html"] if text.startswith("{") else text
        return aw.things[name].label in html

    return check


def _api_listing(listing: Listing):
    """An admin API listing: the item's title among the items, and ``total_count`` the
    number of items of its kind the role sees."""

    def check(aw: AdminWorld, role: str, name: str) -> bool:
        text = listing.text(aw, role, name)
        if not text:
            return False
        body = json.loads(text)
        kind = aw.things[name].kind
        want = sum(sees(role, t) for t in aw.things.values() if t.kind == kind)
        assert body["meta"]["total_count"] == want, f"{role}: the API counts hidden {kind}s"
        return aw.things[name].label in {item["title"] for item in body["items"]}

    return check


def _api_page(aw: AdminWorld, role: str, name: str) -> bool:
    """/admin/api/main/pages/<id>/ and …/find/?id=<id>: a page the role may explore (200, or
    the finder's redirect to it), else 404, as for a page that does not exist."""
    pk = _pk(aw, name)
    detail = _request(aw, role, f"/admin/api/main/pages/{pk}/")
    finder = _request(aw, role, f"/admin/api/main/pages/find/?id={pk}")
    assert detail.status_code in (200, 404) and finder.status_code in (302, 404)
    assert (detail.status_code == 200) is (finder.status_code == 302)
    if detail.status_code == 200:
        assert json.loads(detail.content)["title"] == aw.things[name].label
    return detail.status_code == 200


def _page_url(path: str) -> Callable[[AdminWorld, str], str]:
    return lambda aw, name: f"/admin/pages/{_pk(aw, name)}/{path}"


def _revision_view(aw: AdminWorld, name: str) -> str:
    revision = aw.objects[name].get_latest_revision().pk
    return f"/admin/pages/{_pk(aw, name)}/revisions/{revision}/view/"


def _workflow_state(aw: AdminWorld, name: str):
    from wagtail.models import WorkflowState

    page_id = str(_pk(aw, name))
    return WorkflowState.objects.filter(object_id=page_id).order_by("-pk").first()


def _history_detail(aw: AdminWorld, name: str) -> str:
    state = _workflow_state(aw, name)
    return f"/admin/pages/{_pk(aw, name)}/workflow_history/detail/{state.pk}/"


def _workflow_preview(aw: AdminWorld, name: str) -> str:
    task_id = _workflow_state(aw, name).current_task_state.task_id
    return f"/admin/pages/workflow/preview/{_pk(aw, name)}/{task_id}/"


def _workflow_action(aw: AdminWorld, name: str) -> str:
    task_state = _workflow_state(aw, name).current_task_state.pk
    return f"/admin/pages/workflow/collect_action_data/{_pk(aw, name)}/approve/{task_state}/"


PAGE_URLS: dict[str, tuple[Callable[[AdminWorld, str], str], dict]] = {
    "page.explore": (_page_url(""), {}),
    "page.edit": (_page_url("edit/"), {}),
    "page.history": (_page_url("history/"), {}),
    "page.revision.view": (_revision_view, {}),
    "page.revision.compare": (_page_url("revisions/compare/earliest...latest/"), {}),
    # Without posted form data the preview shows a placeholder, not the page's title.
    "page.preview": (_page_url("edit/preview/"), {"names": False}),
    "page.view_draft": (_page_url("view_draft/"), {}),
    "page.workflow_history": (_page_url("workflow_history/"), {}),
    "page.usage": (_page_url("usage/"), {}),
    "page.lock": (_page_url("lock/"), {"method": "post"}),
    "page.copy": (_page_url("copy/"), {}),
    "page.move": (_page_url("move/"), {}),
    "page.delete": (_page_url("delete/"), {}),
    "page.unpublish": (_page_url("unpublish/"), {}),
    "page.chooser.chosen": (
        lambda aw, n: f"/admin/choose-page/chosen-multiple/?id={_pk(aw, n)}",
        {},
    ),
    "page.bulk.delete": (lambda aw, n: f"/admin/bulk/wagtailcore/page/delete/?id={_pk(aw, n)}", {}),
}
WORKFLOW_URLS: dict[str, Callable[[AdminWorld, str], str]] = {
    "page.workflow_history.detail": _history_detail,
    "page.workflow.preview": _workflow_preview,
    "page.workflow.action": _workflow_action,
    "page.workflow.cancel": lambda aw, n: (
        f"/admin/pages/workflow/confirm_cancellation/{_pk(aw, n)}/"
    ),
}


def _dashboard(aw: AdminWorld, role: str, name: str) -> bool:
    return aw.things[name].label in _answer(aw, role, "/admin/", True)


def _response_list(aw: AdminWorld, role: str, name: str) -> bool:
    """The responses list: the row (its own link) for a response the role reads, and nowhere
    on the page (rows, filters, anything) the title of a notice the role may not see."""
    text = _answer(aw, role, "/admin/notice_responses/", role in RESPONSE_STAFF)
    thing = aw.things[name]
    if not sees(role, thing):
        assert thing.label not in text, f"{role}: the hidden notice's title is on the list"
    return f"/admin/notice_responses/inspect/{_pk(aw, name)}/" in text


def _response_export(aw: AdminWorld, role: str, name: str) -> bool:
    text = _answer(aw, role, "/admin/notice_responses/?export=csv", role in RESPONSE_STAFF)
    found = aw.objects[name].message in text
    assert (aw.things[name].label in text) is found, f"{role}: a notice without its row"
    return found


def reads_response(role: str, name: str, thing: Thing) -> bool:
    return sees(role, thing) and role in RESPONSE_READERS


def _viewset_url(prefix: str, view: str) -> Callable[[AdminWorld, str], str]:
    return lambda aw, name: f"/admin/{prefix}/{view}/{_pk(aw, name)}/"


def _enterprise_search(aw: AdminWorld, role: str, name: str) -> bool:
    """The browse list searched for the profile's name: its row (the link to its review
    page) or nothing; the query itself is echoed in the search box."""
    label = aw.things[name].label
    response = _request(aw, role, f"/admin/enterprises/review/all/?q={label}")
    assert response.status_code == (200 if role in REVIEWERS else 302)
    link = f'href="/admin/enterprises/review/{_pk(aw, name)}/"'
    return response.status_code == 200 and link in _text(response)


def reviews(role: str, name: str, thing: Thing) -> bool:
    return sees(role, thing) and role in REVIEWERS


def _document_url(path: str) -> Callable[[AdminWorld, str], str]:
    return lambda aw, name: path.format(pk=_pk(aw, name))


DOCUMENT_URLS: dict[str, Callable[[AdminWorld, str], str]] = {
    "document.edit": _document_url("/admin/documents/edit/{pk}/"),
    "document.usage": _document_url("/admin/documents/usage/{pk}/"),
    "document.delete": _document_url("/admin/documents/delete/{pk}/"),
    "document.chooser.chosen": _document_url("/admin/documents/chooser/chosen/{pk}/"),
    "document.chooser.chosen_multiple": _document_url(
        "/admin/documents/chooser/chosen-multiple/?id={pk}"
    ),
    "document.bulk.delete": _document_url("/admin/bulk/notices/privatedocument/delete/?id={pk}"),
    "document.api.detail": _document_url("/admin/api/main/documents/{pk}/"),
}


def _surfaces() -> dict[str, Surface]:
    surfaces: dict[str, Surface] = {}

    def named_page(role: str, name: str) -> bool:
        # The officer is the control of the pages no staff role sees; the others have theirs.
        return name in NAMED_PAGES and (role != "officer" or STORY[name][1] == only())

    for key, (url, options) in PAGE_URLS.items():
        surfaces[key] = Surface(PAGES, _named(url, **options), applies=named_page)
    surfaces["page.api.detail"] = Surface(
        PAGES, _api_page, expect=explorer_reach, applies=named_page
    )
    for key, url in WORKFLOW_URLS.items():
        surfaces[key] = Surface(
            PAGES, _named(url, names=False), applies=lambda role, name: name in IN_WORKFLOW
        )

    def searchable(role: str, name: str) -> bool:
        return name.startswith(("notice.", "paper."))  # titles with ADMX, the query

    def index(aw: AdminWorld, kind: str) -> str:
        return f"/admin/pages/{_index(aw, kind)}/"

    lists = {
        "pages.explorer": (Listing(index, explorers), explorer_reach, None),
        "pages.explorer.search": (
            Listing(lambda aw, kind: f"{index(aw, kind)}?q=ADMX", explorers),
            explorer_reach,
            searchable,
        ),
        "pages.search": (
            Listing(_fixed("/admin/pages/search/?q=ADMX"), _roles(PAGE_STAFF)),
            explorer_reach,
            searchable,
        ),
        "reports.site_history": (
            Listing(_fixed("/admin/reports/site-history/"), everyone),
            explorer_reach,
            None,
        ),
        # Live pages the role may publish: publishers alone hold publish_page.
        "reports.aging": (
            Listing(_fixed("/admin/reports/aging-pages/"), _roles(PAGE_STAFF)),
            lambda role, name, thing: sees(role, thing) and role == "publisher" and name in LIVE,
            None,
        ),
        # Editors and officers hold lock/unlock permissions, the report's.
        "reports.locked": (
            Listing(_fixed("/admin/reports/locked/"), _roles(only("editor"))),
            lambda role, name, thing: (
                sees(role, thing) and role in {"editor", "officer"} and name in LOCKED
            ),
            None,
        ),
    }
    for key, (listing, expect, applies) in lists.items():
        surfaces[key] = Surface(
            PAGES, listing.shows, expect=expect, applies=applies or (lambda r, n: True)
        )
    surfaces["reports.workflow"] = Surface(
        PAGES,
        _agreeing(
            Listing(_fixed("/admin/reports/workflow/"), _roles(PAGE_STAFF)),
            Listing(_fixed("/admin/reports/workflow_tasks/"), _roles(PAGE_STAFF)),
        ),
        expect=lambda role, name, thing: explorer_reach(role, name, thing) and name in MODERATED,
    )
    surfaces["pages.api.listing"] = Surface(
        PAGES,
        _api_listing(
            Listing(
                lambda aw, kind: f"/admin/api/main/pages/?child_of={_index(aw, kind)}", explorers
            )
        ),
        expect=explorer_reach,
    )
    surfaces["pages.chooser"] = Surface(
        PAGES,
        _chooser(Listing(lambda aw, kind: f"/admin/choose-page/{_index(aw, kind)}/", everyone)),
    )
    surfaces["pages.chooser.search"] = Surface(
        PAGES,
        _chooser(Listing(_fixed("/admin/choose-page/search/?q=ADMX"), everyone)),
        applies=searchable,
    )
    surfaces["dashboard"] = Surface(
        PAGES,
        _dashboard,
        expect=lambda role, name, thing: sees(role, thing) and name in DASHBOARD[role],
    )

    # Documents: their own pages, lists, choosers and API.
    for key, url in DOCUMENT_URLS.items():
        surfaces[key] = Surface(("document",), _named(url))
    for key, url in (
        ("documents.index", "/admin/documents/"),
        ("documents.search", "/admin/documents/?q=矩阵附件"),
    ):
        surfaces[key] = Surface(
            ("document",),
            Listing(_fixed(url), _roles(DOCUMENT_LISTERS)).shows,
            expect=lambda role, name, thing: sees(role, thing) and role in DOCUMENT_EDITORS,
        )
    for key, url in (
        ("documents.chooser", "/admin/documents/chooser/"),
        ("documents.chooser.search", "/admin/documents/chooser/results/?q=矩阵附件"),
    ):
        surfaces[key] = Surface(("document",), _chooser(Listing(_fixed(url), everyone)))
    surfaces["documents.api"] = Surface(
        ("document",), _api_listing(Listing(_fixed("/admin/api/main/documents/"), everyone))
    )

    # Notice responses and paper PDFs (Wagtail model viewsets).
    surfaces["responses.index"] = Surface(("response",), _response_list, expect=reads_response)
    surfaces["responses.export"] = Surface(("response",), _response_export, expect=reads_response)
    surfaces["response.inspect"] = Surface(
        ("response",), _named(_viewset_url("notice_responses", "inspect")), expect=reads_response
    )
    # A response one may not read is not there for them: every view of it answers 404.
    for view in ("edit", "delete", "history", "usage", "copy"):
        url = _viewset_url("notice_responses", view)
        surfaces[f"response.{view}"] = Surface(("response",), _named(url), expect=reads_response)
    surfaces["pdfs.index"] = Surface(
        ("pdf",), Listing(_fixed("/admin/paper_pdfs/"), everyone).shows
    )
    for view in ("inspect", "edit", "delete", "history", "usage", "copy"):
        surfaces[f"pdf.{view}"] = Surface(("pdf",), _named(_viewset_url("paper_pdfs", view)))

    # The reviewers' pages (portal/enterprises/admin_views and importing/admin_views).
    reviewer_lists = {
        "enterprises.browse": ("/admin/enterprises/review/all/", reviews),
        "enterprises.queue": (
            "/admin/enterprises/review/",
            lambda role, name, thing: reviews(role, name, thing) and name == "enterprise.submitted",
        ),
        "enterprises.claims": (
            "/admin/enterprises/claims/",
            lambda role, name, thing: reviews(role, name, thing) and name == "enterprise.claimed",
        ),
        "enterprises.export": ("/admin/enterprises/export/?all=1", reviews),
    }
    for key, (url, expect) in reviewer_lists.items():
        listing = Listing(_fixed(url), _roles(REVIEWERS))
        surfaces[key] = Surface(("enterprise",), listing.shows, expect=expect)
    surfaces["enterprises.browse.search"] = Surface(
        ("enterprise",), _enterprise_search, expect=reviews
    )
    surfaces["enterprise.review"] = Surface(
        ("enterprise",), _named(lambda aw, n: f"/admin/enterprises/review/{_pk(aw, n)}/")
    )
    # A GET of a claim sends the reviewer back to the claims list: it names no title.
    surfaces["claim.decide"] = Surface(
        ("claim",), _named(lambda aw, n: f"/admin/enterprises/claims/{_pk(aw, n)}/", names=False)
    )
    return surfaces


SURFACES = _surfaces()
CELLS = [
    (surface, role, name)
    for surface, spec in SURFACES.items()
    for name, (kind, _seen_by, cell) in STORY.items()
    if cell and kind in spec.kinds
    for role in ROLES
    if spec.applies(role, name)
]


@pytest.mark.parametrize(("surface", "role", "name"), CELLS)
def test_admin_matrix(admin_world: AdminWorld, surface: str, role: str, name: str) -> None:
    spec = SURFACES[surface]
    thing = admin_world.things[name]
    admin_world.last = "(a list fetched by an earlier cell)"
    found = spec.check(admin_world, role, name)
    MATRIX_CELLS[0] += 1
    want = spec.expect(role, name, thing)
    verb = "must" if want else "must not"
    assert found is want, f"{role} {verb} find {name} on {surface}: {admin_world.last}"


# --- Counts ---------------------------------------------------------------------------------


def _pages_under(aw: AdminWorld, role: str, root_id: int) -> int:
    """The pages under ``root_id`` (itself included, the tree root not) that ``role`` sees:
    every page that is not classifiable, and the classifiable ones of the story it sees."""
    from wagtail.models import Page

    root = Page.objects.get(pk=root_id)
    by_pk = {aw.objects[n].pk: t for n, t in aw.things.items() if t.kind in PAGES}
    pages = Page.objects.descendant_of(root, inclusive=True).values_list("pk", flat=True)
    count = sum(sees(role, by_pk[pk]) if pk in by_pk else 1 for pk in pages)
    return count - 1 if root.is_root() else count


def _dashboard_pages(aw: AdminWorld, role: str) -> None:
    """The dashboard's "N Pages" counts the pages the role sees under its explorable root."""
    html = _answer(aw, role, "/admin/", True)
    shown = re.search(r'href="/admin/pages/(\d+)/">\s*([\d,]+)\s', html)
    assert (shown is not None) is (role in PAGE_STAFF), f"{role}: the pages summary"
    if shown:
        root_id, count = int(shown.group(1)), int(shown.group(2).replace(",", ""))
        want = _pages_under(aw, role, root_id)
        assert count == want, f"{role}: the dashboard counts {count} pages, sees {want}"


def _dashboard_documents(aw: AdminWorld, role: str) -> None:
    """The dashboard's "N Documents" counts the documents the role sees (all are attached to
    notices, in the root collection where document staff have their permissions)."""
    html = _answer(aw, role, "/admin/", True)
    shown = re.search(r'href="/admin/documents/">\s*([\d,]+)\s', html)
    assert (shown is not None) is (role in DOCUMENT_LISTERS), f"{role}: the documents summary"
    if shown:
        count = int(shown.group(1).replace(",", ""))
        want = sum(sees(role, t) for t in aw.things.values() if t.kind == "document")
        assert count == want, f"{role}: the dashboard counts {count} documents, sees {want}"


def _page_type_counts(aw: AdminWorld, role: str) -> None:
    """The page types report counts every page of each type and names the last one edited: a
    view of the whole tree, for the officer only (404 to the others, and not in their reports
    menu). What it shows the officer is what the officer sees: everything."""
    response = _request(aw, role, "/admin/reports/page-types-usage/")
    want = 200 if role == "officer" else 404
    assert response.status_code == want, f"the page types report answers {aw.last}"
    menu = _text(_request(aw, role, "/admin/"))
    assert ("page-types-usage" in menu) is (role == "officer")
    if response.status_code != 200:
        return
    text = _text(response)
    shown = [n for n, t in aw.things.items() if t.kind in PAGES and t.label in text]
    assert all(sees(role, aw.things[n]) for n in shown), f"{role}: hidden pages named: {shown}"
    rows = {row.model: row.count for row in response.context["object_list"]}
    for kind, model in (("notice", "noticepage"), ("paper", "paperpage")):
        want = sum(sees(role, t) for t in aw.things.values() if t.kind == kind)
        assert rows[model] == want, f"{role}: {rows[model]} {kind}s counted, sees {want}"


COUNTS: dict[str, Callable[[AdminWorld, str], None]] = {
    "dashboard.pages": _dashboard_pages,
    "dashboard.documents": _dashboard_documents,
    "reports.page_types_usage": _page_type_counts,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("surface", sorted(COUNTS))
def test_admin_counts(admin_world: AdminWorld, surface: str, role: str) -> None:
    """Counts shown in the admin count only what the role sees (a count is a list too)."""
    COUNTS[surface](admin_world, role)
    MATRIX_CELLS[0] += 1


# --- Moderation e-mails ---------------------------------------------------------------------


@pytest.mark.parametrize("decision", ["approve", "reject"])
@pytest.mark.parametrize("targeted", [False, True], ids=["still-seen", "targeted-meanwhile"])
def test_moderation_mail_only_to_requesters_who_see_the_page(
    admin_world: AdminWorld, decision: str, targeted: bool
) -> None:
    """The editor sends another author's registered notice to review; at 定密审核 the officer
    targets it at someone else, or leaves it. Wagtail tells the requester of the decision (the
    approval that publishes it, or the rejection): only while they may still see the page.
    The approvers' own notifications, sent the same way, show that mail does go out."""
    aw, staff = admin_world, admin_world.staff
    editor, officer, publisher = staff["editor"], staff["officer"], staff["publisher"]
    notice = _notice(
        aw.notice_index, "ADMX-M01 送审通知", "admx-m01", aw.base.author, Tier.REGISTERED
    )
    notice.save_revision(user=editor, log_action=True)
    mail.outbox = []
    notice.get_workflow().start(notice, editor)
    if targeted:
        changes.set_tier(officer, notice, Tier.TARGETED)
        changes.grant(officer, notice, make_user("adm-mail-outsider"), None)
    _act(notice, officer, decision)
    if decision == "approve":
        _act(notice, publisher, "approve")
        notice.refresh_from_db()
        assert notice.live
    to_editor = [m for m in mail.outbox if editor.email in m.to]
    MATRIX_CELLS[0] += 1
    assert bool(to_editor) is not targeted, [m.subject for m in to_editor]
    assert any(notice.title in m.subject + m.body for m in to_editor) is not targeted
    # The approvers of each step were told that the page waits for them (they act on it).
    approvers = (officer, publisher) if decision == "approve" else (officer,)
    for approver in approvers:
        told = [m for m in mail.outbox if approver.email in m.to]
        assert any(notice.title in m.subject + m.body for m in told), (
            f"{approver.username} was not told that the page waits for their approval"
        )
