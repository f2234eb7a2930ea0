"""Feeds and the sitemap per reader: anonymous sees public items; token feeds follow the user."""

from __future__ import annotations

import pytest

from classification.tiers import Tier
from portal.notices.models import FeedToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_notices(make_notice):
    return make_notice("公开：北斗终端", tier=Tier.PUBLIC), make_notice(
        "认证：稀土永磁电机", tier=Tier.VETTED, kind="supply"
    )


def test_public_feeds_carry_public_items_only(client, two_notices, vetted):
    client.force_login(vetted)  # even a vetted reader gets the public feed at the public URL
    for url in ("/notices/feed/", "/notices/feed/atom/"):
        body = client.get(url).content.decode()
        assert "公开：北斗终端" in body and "认证：稀土永磁电机" not in body
    assert "<rss" in client.get("/notices/feed/").content.decode()
    assert "<feed" in client.get("/notices/feed/atom/").content.decode()
    demand = client.get("/notices/feed/demand/").content.decode()
    assert "公开：北斗终端" in demand
    assert client.get("/notices/feed/supply/").content.decode().count("<item>") == 0
    assert client.get("/notices/feed/bogus/").status_code == 404


def test_token_feed_follows_its_user_and_dies_when_revoked(client, two_notices, vetted, registered):
    token = FeedToken.current(vetted)
    body = client.get(f"/notices/feed/u/{token.token}/").content.decode()
    assert "认证：稀土永磁电机" in body and "公开：北斗终端" in body
    assert (
        "认证：稀土永磁电机" in client.get(f"/notices/feed/u/{token.token}/atom/").content.decode()
    )
    assert "认证" in client.get(f"/notices/feed/u/{token.token}/supply/").content.decode()

    weaker = FeedToken.current(registered)
    assert (
        "认证：稀土永磁电机" not in client.get(f"/notices/feed/u/{weaker.token}/").content.decode()
    )

    client.force_login(vetted)
    page = client.get("/notices/feed/me/").content.decode()
    assert token.token in page
    client.post("/notices/feed/me/regenerate/")
    assert client.get(f"/notices/feed/u/{token.token}/").status_code == 404
    fresh = FeedToken.current(vetted)
    assert fresh.token != token.token
    assert client.get(f"/notices/feed/u/{fresh.token}/").status_code == 200
    assert client.get("/notices/feed/u/not-a-token/").status_code == 404


def test_sitemap_lists_public_notices_only(client, two_notices, vetted):
    public, restricted = two_notices
    client.force_login(vetted)
    body = client.get("/sitemap.xml").content.decode()
    assert public.url in body or public.slug in body
    assert restricted.slug not in body
    assert "/notices/</loc>" in body


def test_token_feed_is_kept_out_of_caches_the_public_feed_is_not(client, two_notices, vetted):
    """A token feed carries one user's view above the public tier to an anonymous request."""
    token = FeedToken.current(vetted)
    personal = client.get(f"/notices/feed/u/{token.token}/")
    assert "认证：稀土永磁电机" in personal.content.decode()
    assert personal["Cache-Control"] == "private, no-store"
    assert "Cookie" in personal["Vary"]
    public = client.get("/notices/feed/")
    assert "no-store" not in public.get("Cache-Control", "")
