"""axe-core over the main pages of the site and the admin, in Chromium, as the people who use
them: the test fails on any critical or serious violation, listing each, and prints how many
pages it checked and what it found by impact.

axe-core is vendored (tests/browser/vendor/axe-core/, with its licence): CI runs on a clean
clone without a registry. It is handed to the page through the DevTools protocol, which the
pages' content security policy does not govern, so the pages are checked as they are served.

To check another page, add a line to ``PAGES``: a name, the path (a string, or a function of
the ``Scene`` for pages of its content) and who looks at it (``None`` for a visitor, else a
key of ``USERS``). docs/accessibility.md says more.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from classification import changes
from classification.tiers import Tier
from portal.enterprises import confirmation
from portal.enterprises.models import Region
from portal.notices.models import Kind, NoticeIndexPage, NoticePage
from portal.sharing import clients as sharing_clients
from portal.shortlists import changes as shortlist_changes
from portal.shortlists.models import Shortlist
from tests.browser.scene import Scene, build_scene, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.engine,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")
#: Impacts that fail the test; "moderate" and "minor" are printed only.
FAILING = ("critical", "serious")
#: Rules switched on beyond axe's defaults: a control's name must contain its visible text
#: (speech users say what they see; axe still files this rule as experimental).
EXTRA_RULES = {"label-content-name-mismatch": {"enabled": True}}

#: Who looks at a page: a key of the scene's staff, or one of these.
USERS: dict[str, Callable[[Scene], object]] = {
    "owner": lambda scene: scene.owner,
    "procurement": lambda scene: scene.staff["procurement"],
    "editor": lambda scene: scene.staff["editor"],
    "administrator": lambda scene: scene.superuser,
    "reviewer": lambda scene: scene.staff["reviewer"],
}


@dataclass(frozen=True)
class Audited:
    name: str
    path: str | Callable[[Scene], str]
    user: str | None = None
    #: A step taken on the page before it is checked (a form sent, a menu opened).
    before: Callable | None = None

    def url(self, scene: Scene) -> str:
        return self.path if isinstance(self.path, str) else self.path(scene)


PAGES: list[Audited] = [
    # Public
    Audited("home", "/"),
    Audited("notices", "/notices/"),
    Audited("notice", lambda s: s.notice.url),
    Audited("supplier search", "/suppliers/?q=北斗"),
    Audited("profile", lambda s: f"/enterprises/{s.supplier.pk}/"),
    Audited("papers", "/papers/"),
    Audited("paper", lambda s: s.paper.url),
    Audited("site search", "/search/?q=北斗"),
    Audited("login", "/accounts/login/"),
    Audited("sign-up", "/accounts/signup/"),
    # Enterprise
    Audited("enterprise dashboard", "/enterprises/dashboard/", "owner"),
    Audited("enterprise wizard", "/enterprises/register/basics/", "owner"),
    # Procurement
    Audited("procurement dashboard", "/accounts/", "procurement"),
    Audited("matching", lambda s: f"/matching/notices/{s.notice.pk}/", "procurement"),
    Audited("shortlists", "/shortlists/", "procurement"),
    Audited("shortlist", lambda s: f"/shortlists/{s.shortlist.pk}/", "procurement"),
    Audited(
        "shortlist, note saved (a message)",
        lambda s: f"/shortlists/{s.shortlist.pk}/",
        "procurement",
        before=lambda page: send(page, page.get_by_role("button", name="保存备注")),
    ),
    Audited(
        "shortlist, PDF export started (progress)",
        lambda s: f"/shortlists/{s.shortlist.pk}/",
        "procurement",
        before=lambda page: start_export(page),
    ),
    Audited("my demands", "/desk/", "procurement"),
    Audited("new demand", "/desk/new/", "procurement"),
    Audited("a demand on the desk", lambda s: f"/desk/{s.notice.pk}/", "procurement"),
    # A visitor below the body's tier: the stub with 登录后查看
    Audited("restricted notice stub", lambda s: s.stub.url),
    Audited(
        "yearly confirmation link",
        lambda s: f"/enterprises/confirm/{confirmation.link_token(s.supplier)}/",
    ),
    # Admin
    Audited("admin dashboard", "/admin/", "editor"),
    Audited("notice editor", lambda s: f"/admin/pages/{s.notice.pk}/edit/", "editor"),
    Audited("paper editor", lambda s: f"/admin/pages/{s.paper.pk}/edit/", "editor"),
    Audited("review queue", "/admin/enterprises/review/", "reviewer"),
    Audited(
        "a profile under review (diff, files, credit-code lookup)",
        lambda s: f"/admin/enterprises/review/{s.submitted.pk}/",
        "reviewer",
    ),
    Audited("claims", "/admin/enterprises/claims/", "reviewer"),
    Audited("data-sharing clients", "/admin/sharing/", "administrator"),
    Audited(
        "a data-sharing client", lambda s: f"/admin/sharing/{s.sharing_client.pk}/", "administrator"
    ),
]

RUN_AXE = """async (rules) => {
  const results = await axe.run(document, {resultTypes: ['violations'], rules});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ')),
  }));
}"""


def send(page, button) -> None:
    """Press a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        button.click()


def start_export(page) -> None:
    """Ask for the shortlist's PDF and wait until its progress panel shows."""
    page.get_by_role("button", name="导出 PDF").click()
    page.locator("#export-progress").wait_for(state="visible")


def audit(page) -> list[dict]:
    """axe's violations on the page as it stands."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(RUN_AXE, EXTRA_RULES)


def build_audit_scene() -> Scene:
    scene = build_scene(publish_paper=True)
    officer = scene.staff["procurement"]
    shortlist = Shortlist.objects.create(owner=officer, name="北斗终端候选")
    shortlist_changes.add(officer, shortlist, scene.supplier, note="报价待确认")
    scene.shortlist = shortlist
    # A demand whose stub (title, kind, region, deadline) is public and its body registered.
    stub = NoticePage(
        title="高寒地区电池组保障需求",
        summary="仅注册用户可见的需求正文。",
        kind=Kind.DEMAND,
        owner=officer,
        deadline=timezone.now() + timedelta(days=20),
        region=Region.objects.get(code="450300"),
        live=False,
    )
    NoticeIndexPage.objects.get(slug="notices").add_child(instance=stub)
    stub.save_revision(user=officer).publish()
    stub.refresh_from_db()
    changes.set_tier(
        scene.staff["classification_officer"], stub, Tier.PUBLIC, {"body": "registered"}
    )
    scene.stub = stub
    scene.sharing_client, _secret = sharing_clients.register(
        "城市工信局", "柳州市工业和信息化局", "registered", "enterprises:read"
    )
    return scene


def test_main_pages_have_no_critical_or_serious_violations(live_server, page, search_index):
    scene = build_audit_scene()
    search_index()
    found: dict[str, list[dict]] = {}
    signed_in: str | None = None
    for audited in PAGES:
        if audited.user != signed_in:
            if audited.user is None:
                page.context.clear_cookies()
            else:
                sign_in(page, live_server, USERS[audited.user](scene))
            signed_in = audited.user
        response = page.goto(live_server.url + audited.url(scene))
        assert response.status == 200, (audited.name, response.status)
        page.wait_for_load_state("networkidle")
        if audited.before:
            audited.before(page)
            page.wait_for_load_state("networkidle")
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"axe-{audited.name.replace(' ', '-')}.png"))
        found[audited.name] = audit(page)

    impacts = Counter(v["impact"] for violations in found.values() for v in violations)
    print(f"\naxe-core checked {len(PAGES)} pages; violations by impact: {dict(impacts)}")
    for name, violations in found.items():
        for v in violations:
            print(f"  {name}: [{v['impact']}] {v['id']} — {v['help']} ({len(v['nodes'])} nodes)")
    failing = [
        f"{name}: [{v['impact']}] {v['id']} — {v['help']}: {v['nodes'][:5]}"
        for name, violations in found.items()
        for v in violations
        if v["impact"] in FAILING
    ]
    assert not failing, "\n".join(failing)
