"""The access matrix for content: notices and white papers, on every surface that shows them.

Same roles, tiers and expectations as ``test_access_matrix`` (``conftest.py``), over the
surfaces of the notices and papers apps: pages, index pages, the REST API (list and detail),
notice attachments, the paper PDF, RSS/Atom feeds (public, per kind, per-user token) and
/sitemap.xml. Each surface answers "does this user find this item here?" and checks the
redacted fields of what it shows; the test compares that with what the role must see.

Surfaces differ only in *whom* they serve: a public feed or the sitemap reads as an anonymous
visitor whoever asks, a token feed as its token's owner, a download as a reader of the field.
So each surface names its expectation (``Surface.expect``) instead of re-deciding visibility.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.tally import MATRIX_CELLS

from .conftest import (
    MATRIX_TIERS,
    ROLES,
    World,
    expected_hidden,
    expected_others,
    expected_visible,
    field_readable,
    tier_of,
)


def released(role: str, tier: str) -> bool:
    """Public surfaces serve live pages only: a draft is reached through the admin preview."""
    return expected_visible(role, tier) and tier != "draft"


def anonymous_only(role: str, tier: str) -> bool:
    """Shared addresses (public feeds, the sitemap) carry what an anonymous visitor sees."""
    return released("anonymous", tier)


@dataclass(frozen=True)
class Surface:
    kind: str  # "notice" or "paper"
    check: Callable[[World, object, object], bool]
    expect: Callable[[str, str], bool] = released
    roles: tuple[str, ...] = ROLES


def _items(world: World, kind: str) -> dict:
    return world.notices if kind == "notice" else world.papers


def _check_secrets(world: World, user, kind: str, item, text: str) -> None:
    """Each sensitive value of ``item`` is in ``text`` exactly when the role reads that field."""
    role, tier = world.role_of(user), tier_of(_items(world, kind), item)
    hidden = expected_hidden(role, tier, kind)
    for name, value in world.secrets[(kind, tier)].items():
        shown = value in text
        problem = "leaks" if shown else "is missing"
        assert shown is (name not in hidden), f"{role}: {name} of {kind} {tier} {problem}"


def _no_secrets(world: World, text: str) -> None:
    """Lists and feeds show item-level fields only: no notice's sensitive value, ever."""
    for (kind, tier), values in world.secrets.items():
        if kind == "notice":
            for name, value in values.items():
                assert value not in text, f"{name} of the {tier} notice leaks into a list"


def _listed(world: World, user, kind: str, item, ids: set[int], count: int) -> bool:
    """Whether ``item`` is among ``ids``; the list's total must be what the role sees."""
    seen = item.pk in ids
    role, tier = world.role_of(user), tier_of(_items(world, kind), item)
    want = expected_others(role, tier, released_only=True) + int(seen)
    assert count == want, f"{role}: the {kind} list counts {count}, expected {want}"
    return seen


def _get(world: World, user, url: str, **params):
    return world.client(user).get(url, params)


# --- notices --------------------------------------------------------------------------------


def _notice_page(world: World, user, notice) -> bool:
    """The notice page: 200 with exactly the readable fields' values, or 404."""
    response = _get(world, user, notice.url)
    assert response.status_code in (200, 404), response.status_code
    if response.status_code == 404:
        return False
    _check_secrets(world, user, "notice", notice, response.content.decode())
    return True


def _notice_index_answer(world: World, user) -> tuple[str, dict[int, dict], int]:
    response = _get(world, user, "/notices/")
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.context["notices"]}
    return response.content.decode(), rows, response.context["paginator"].count


def _notice_index(world: World, user, notice) -> bool:
    """/notices/: listed (linked) or not, the count shown agrees, redaction notes are right."""
    key = ("notices.index", world.role_of(user))
    html, rows, count = world.cached(key, lambda: _notice_index_answer(world, user))
    assert (f'href="{notice.url}"' in html) is (notice.pk in rows)
    shown = re.search(r'class="notice-results__count"[^>]*>\D*(\d+)', html)
    assert shown and int(shown.group(1)) == count
    _no_secrets(world, html)
    seen = _listed(world, user, "notice", notice, set(rows), count)
    if seen:
        role, tier = world.role_of(user), tier_of(world.notices, notice)
        assert rows[notice.pk]["redacted"] == expected_hidden(role, tier, "notice")
    return seen


def _notice_api_answer(world: World, user) -> dict:
    response = _get(world, user, "/api/v1/notices/", page_size=100)
    assert response.status_code == 200
    return response.json()


def _notice_api_list(world: World, user, notice) -> bool:
    """GET /api/v1/notices/: present with the right ``redacted``, or absent; count and kind
    facets agree."""
    body = world.cached(
        ("notices.api.list", world.role_of(user)), lambda: _notice_api_answer(world, user)
    )
    rows = {row["id"]: row for row in body["results"]}
    assert len(rows) == body["count"] == sum(body["facets"]["kind"].values())
    assert body["count"] == sum(body["facets"]["status"].values())
    _no_secrets(world, str(body))
    seen = _listed(world, user, "notice", notice, set(rows), body["count"])
    if seen:
        role, tier = world.role_of(user), tier_of(world.notices, notice)
        assert rows[notice.pk]["redacted"] == expected_hidden(role, tier, "notice")
    return seen


def _notice_api_detail(world: World, user, notice) -> bool:
    """GET /api/v1/notices/<pk>/: 200 with the role's ``redacted`` and nothing it names, or
    404 in the API's error shape."""
    response = _get(world, user, f"/api/v1/notices/{notice.pk}/")
    assert response.status_code in (200, 404), response.status_code
    if response.status_code == 404:
        assert response.json()["error"]["code"] == "not_found"
        return False
    body = response.json()
    role, tier = world.role_of(user), tier_of(world.notices, notice)
    hidden = expected_hidden(role, tier, "notice")
    assert body["redacted"] == hidden
    for name in world.secrets[("notice", tier)]:
        assert (name in body) is (name not in hidden)
    _check_secrets(world, user, "notice", notice, str(body))
    return True


def _notice_attachment(world: World, user, notice) -> bool:
    """The attachment through Wagtail's serve view and the policy: 200 or 404; its file is in
    private storage, never reachable under MEDIA_URL."""
    document = world.documents[tier_of(world.notices, notice)]
    assert not document.url.startswith(settings.MEDIA_URL)
    path = Path(document.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    client = world.client(user)
    assert client.get(f"{settings.MEDIA_URL}{document.file.name}").status_code == 404
    response = client.get(document.url)
    assert response.status_code in (200, 404), response.status_code
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 spec"
    return response.status_code == 200


def _feed_items(
    world: World, user, urls: tuple[str, str], anonymous: bool = False
) -> tuple[str, str]:
    """The bodies of RSS and Atom feeds, fetched once per role (the feed does not depend on
    the item); ``anonymous``: fetched without a session, as a feed reader does."""

    def fetch() -> tuple[str, str]:
        client = Client() if anonymous else world.client(user)
        bodies = []
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            bodies.append(response.content.decode())
        rss, atom = bodies
        assert "<rss" in rss and "<feed" in atom
        _no_secrets(world, rss + atom)
        return rss, atom

    return world.cached(("feed", urls, world.role_of(user), anonymous), fetch)


def _in_feed(bodies: tuple[str, str], notice_or_paper) -> bool:
    """An item is in an RSS+Atom pair when both carry its link; half a pair is a bug."""
    rss, atom = bodies
    link = notice_or_paper.url
    in_rss, in_atom = link in rss, link in atom
    assert in_rss is in_atom, f"{link}: RSS {in_rss}, Atom {in_atom}"
    return in_rss


def _notice_feed(world: World, user, notice) -> bool:
    """/notices/feed/ (RSS) and /feed/atom/: public items, even for a signed-in reader."""
    return _in_feed(_feed_items(world, user, ("/notices/feed/", "/notices/feed/atom/")), notice)


def _notice_kind_feed(world: World, user, notice) -> bool:
    """/notices/feed/<kind>/ of the notice's kind: public items of that kind only."""
    urls = (f"/notices/feed/{notice.kind}/", f"/notices/feed/{notice.kind}/atom/")
    return _in_feed(_feed_items(world, user, urls), notice)


def _notice_token_feed(world: World, user, notice) -> bool:
    """/notices/feed/u/<token>/ (all, Atom and per kind), read without a session as a feed
    reader would: what the token's owner may see, with no sensitive field in it."""
    token = world.feed_tokens[world.role_of(user)]
    urls = (f"/notices/feed/u/{token}/", f"/notices/feed/u/{token}/atom/")
    seen = _in_feed(_feed_items(world, user, urls, anonymous=True), notice)
    by_kind = Client().get(f"/notices/feed/u/{token}/{notice.kind}/")
    assert by_kind.status_code == 200
    assert (notice.url in by_kind.content.decode()) is seen
    return seen


def _sitemap(world: World, user, item) -> bool:
    """/sitemap.xml lists public items only, whoever asks."""

    def fetch() -> str:
        response = world.client(user).get("/sitemap.xml")
        assert response.status_code == 200
        return response.content.decode()

    body = world.cached(("sitemap", world.role_of(user)), fetch)
    _no_secrets(world, body)
    return f"{item.url}</loc>" in body


# --- papers ---------------------------------------------------------------------------------


def _pdf_link(paper) -> str:
    return f"/papers/{paper.pk}/pdf/"


def _paper_page(world: World, user, paper) -> bool:
    """The paper page: 200 (with the PDF link only for readers of the PDF) or 404."""
    response = _get(world, user, paper.url)
    assert response.status_code in (200, 404), response.status_code
    if response.status_code == 404:
        return False
    _check_secrets(world, user, "paper", paper, response.content.decode())
    return True


def _paper_index_answer(world: World, user) -> tuple[str, set[int], int]:
    response = _get(world, user, "/papers/")
    assert response.status_code == 200
    page = response.context["page_obj"]
    return response.content.decode(), {p.pk for p in page.object_list}, page.paginator.count


def _paper_index(world: World, user, paper) -> bool:
    """/papers/: listed (linked) or not; the paginator's count agrees."""
    key = ("papers.index", world.role_of(user))
    html, ids, count = world.cached(key, lambda: _paper_index_answer(world, user))
    assert (f'href="{paper.url}"' in html) is (paper.pk in ids)
    return _listed(world, user, "paper", paper, ids, count)


def _paper_row(world: World, user, paper, row: dict) -> None:
    role, tier = world.role_of(user), tier_of(world.papers, paper)
    hidden = ["pdf_url" if name == "pdf" else name for name in expected_hidden(role, tier, "paper")]
    assert row["redacted"] == hidden
    assert ("pdf_url" in row) is ("pdf_url" not in hidden)
    if "pdf_url" in row:
        assert row["pdf_url"].endswith(_pdf_link(paper))


def _paper_api_answer(world: World, user) -> dict:
    response = _get(world, user, "/api/v1/papers/", page_size=100)
    assert response.status_code == 200
    return response.json()


def _paper_api_list(world: World, user, paper) -> bool:
    """GET /api/v1/papers/: present with ``pdf_url`` exactly for PDF readers, or absent."""
    body = world.cached(
        ("papers.api.list", world.role_of(user)), lambda: _paper_api_answer(world, user)
    )
    rows = {row["id"]: row for row in body["results"]}
    assert len(rows) == body["count"]
    seen = _listed(world, user, "paper", paper, set(rows), body["count"])
    if seen:
        _paper_row(world, user, paper, rows[paper.pk])
    return seen


def _paper_api_detail(world: World, user, paper) -> bool:
    """GET /api/v1/papers/<pk>/: 200 with ``pdf_url`` or its redaction, or 404."""
    response = _get(world, user, f"/api/v1/papers/{paper.pk}/")
    assert response.status_code in (200, 404), response.status_code
    if response.status_code == 404:
        assert response.json()["error"]["code"] == "not_found"
        return False
    _paper_row(world, user, paper, response.json())
    return True


def _paper_pdf(world: World, user, paper) -> bool:
    """The PDF download: 404 for whoever may not read it; otherwise the cached file (200) or,
    while the task builds it, the "正在生成" answer (202 with Retry-After)."""
    response = _get(world, user, _pdf_link(paper))
    assert response.status_code in (200, 202, 404), response.status_code
    if response.status_code != 404:  # only the public paper's PDF is built (content_world)
        built = tier_of(world.papers, paper) == "public"
        assert response.status_code == (200 if built else 202), response.status_code
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    if response.status_code == 202:
        assert response["Retry-After"]
        assert paper.title in response.content.decode()
    return response.status_code != 404


def _paper_feed(world: World, user, paper) -> bool:
    """/papers/feed/ and /papers/feed/atom/: the papers the reader may see."""
    return _in_feed(_feed_items(world, user, ("/papers/feed/", "/papers/feed/atom/")), paper)


SIGNED_IN = tuple(role for role in ROLES if role != "anonymous")

SURFACES: dict[str, Surface] = {
    "notice.page": Surface("notice", _notice_page),
    "notice.index": Surface("notice", _notice_index),
    "notice.api.list": Surface("notice", _notice_api_list),
    "notice.api.detail": Surface("notice", _notice_api_detail),
    "notice.attachment": Surface(
        "notice", _notice_attachment, lambda r, t: field_readable(r, t, "notice", "attachments")
    ),
    "notice.feed": Surface("notice", _notice_feed, anonymous_only),
    "notice.feed.kind": Surface("notice", _notice_kind_feed, anonymous_only),
    "notice.feed.token": Surface("notice", _notice_token_feed, roles=SIGNED_IN),
    "notice.sitemap": Surface("notice", _sitemap, anonymous_only),
    "paper.page": Surface("paper", _paper_page),
    "paper.index": Surface("paper", _paper_index),
    "paper.api.list": Surface("paper", _paper_api_list),
    "paper.api.detail": Surface("paper", _paper_api_detail),
    "paper.pdf": Surface(
        "paper", _paper_pdf, lambda r, t: released(r, t) and field_readable(r, t, "paper", "pdf")
    ),
    "paper.feed": Surface("paper", _paper_feed),
    "paper.sitemap": Surface("paper", _sitemap, anonymous_only),
}

CELLS = [
    (role, tier, name)
    for name, surface in sorted(SURFACES.items())
    for tier in MATRIX_TIERS
    for role in surface.roles
]


@pytest.fixture(scope="module")
def content_world(module_world: World) -> World:
    """The module's world with the public paper's PDF built (by the real task), so that the
    download's 200 is exercised beside the 202 of PDFs still building."""
    from portal.papers.models import PaperPdf
    from portal.papers.tasks import build_paper_pdf

    paper = module_world.papers["public"]
    assert build_paper_pdf(paper.pk, paper.live_revision_id) == "ready"
    pdf = PaperPdf.objects.get(page=paper, revision_id=paper.live_revision_id)
    path = Path(pdf.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    return module_world


@pytest.mark.parametrize(("role", "tier", "surface"), CELLS)
def test_content_matrix(content_world: World, role: str, tier: str, surface: str) -> None:
    spec = SURFACES[surface]
    item = _items(content_world, spec.kind)[tier]
    seen = spec.check(content_world, content_world.users[role], item)
    MATRIX_CELLS[0] += 1
    want = spec.expect(role, tier)
    assert seen is want, f"{role} {'must' if want else 'must not'} find {tier} on {surface}"
