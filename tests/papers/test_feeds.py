"""Per-user paper feeds: the user's one feed token (shared with notices) carries what that user
may see, whoever fetches the address; regenerating revokes it for papers and notices alike."""

from __future__ import annotations

import pytest

from classification.tiers import Tier
from portal.notices.models import FeedToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_papers(make_paper):
    public = make_paper(build_pdf=False, title="公开白皮书")
    restricted = make_paper(build_pdf=False, title="认证级白皮书", tier=Tier.VETTED)
    return public, restricted


def test_token_feed_carries_what_its_user_may_see(client, two_papers, vetted_user, registered_user):
    token = FeedToken.current(vetted_user).token
    rss = client.get(f"/papers/feed/u/{token}/")  # fetched without a session, like a reader
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    assert "private" in rss["Cache-Control"]
    body = rss.content.decode()
    assert "公开白皮书" in body and "认证级白皮书" in body
    atom = client.get(f"/papers/feed/u/{token}/atom/").content.decode()
    assert "<feed" in atom and "认证级白皮书" in atom

    weaker = FeedToken.current(registered_user).token
    body = client.get(f"/papers/feed/u/{weaker}/").content.decode()
    assert "公开白皮书" in body and "认证级白皮书" not in body
    assert client.get("/papers/feed/u/no-such-token/").status_code == 404


def test_one_token_for_notices_and_papers_revoked_together(client, two_papers, vetted_user):
    client.force_login(vetted_user)
    token = FeedToken.current(vetted_user).token
    page = client.get("/notices/feed/me/").content.decode()
    assert f"/papers/feed/u/{token}/" in page and f"/notices/feed/u/{token}/" in page
    assert f"/papers/feed/u/{token}/atom/" in page
    assert client.get(f"/notices/feed/u/{token}/").status_code == 200

    client.post("/notices/feed/me/regenerate/")
    client.logout()
    assert client.get(f"/papers/feed/u/{token}/").status_code == 404
    assert client.get(f"/papers/feed/u/{token}/atom/").status_code == 404
    assert client.get(f"/notices/feed/u/{token}/").status_code == 404
    fresh = FeedToken.current(vetted_user).token
    assert fresh != token
    assert "认证级白皮书" in client.get(f"/papers/feed/u/{fresh}/").content.decode()
    assert FeedToken.objects.filter(user=vetted_user).count() == 2  # no second token model


def test_a_deactivated_users_feed_is_gone(client, two_papers, vetted_user):
    token = FeedToken.current(vetted_user).token
    vetted_user.is_active = False
    vetted_user.save()
    assert client.get(f"/papers/feed/u/{token}/").status_code == 404


def test_paper_index_links_the_private_feed_for_signed_in_users(client, two_papers, vetted_user):
    assert "/notices/feed/me/" not in client.get("/papers/").content.decode()
    client.force_login(vetted_user)
    assert "/notices/feed/me/" in client.get("/papers/").content.decode()


def test_sitemap_is_anonymous_whoever_asks(client, two_papers, vetted_user):
    public, restricted = two_papers
    client.force_login(vetted_user)
    body = client.get("/sitemap.xml").content.decode()
    assert public.url in body and "/papers/</loc>" in body
    assert restricted.url not in body
