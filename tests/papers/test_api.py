"""/api/v1/papers/: papers through the policy, with a PDF link and the API's error shape."""

from __future__ import annotations

import pytest

from classification.tiers import Tier
from portal.papers.models import PaperKind
from tests.factories import release

from .conftest import HEADINGS


@pytest.mark.django_db
def test_list_shows_what_the_caller_may_see(make_paper, client, vetted_user) -> None:
    public = make_paper(build_pdf=False, title="公开白皮书")
    make_paper(build_pdf=False, title="认证级白皮书", tier=Tier.VETTED)
    body = client.get("/api/v1/papers/").json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == public.pk and item["title"] == "公开白皮书"
    assert item["pdf_url"].endswith(f"/papers/{public.pk}/pdf/") and item["redacted"] == []
    assert item["url"].endswith(public.url) and item["tier"] == "public"
    client.force_login(vetted_user)
    assert client.get("/api/v1/papers/").json()["count"] == 2


@pytest.mark.django_db
def test_detail_has_chapters_and_invisible_is_404_in_error_shape(make_paper, client) -> None:
    public = make_paper(build_pdf=False)
    vetted = make_paper(build_pdf=False, tier=Tier.VETTED)
    detail = client.get(f"/api/v1/papers/{public.pk}/").json()
    assert [c["heading"] for c in detail["chapters"]] == HEADINGS
    response = client.get(f"/api/v1/papers/{vetted.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert set(response.json()["error"]) == {"code", "message", "fields"}


@pytest.mark.django_db
def test_pdf_url_is_redacted_when_the_pdf_tier_is_higher(
    make_paper, client, registered_user
) -> None:
    paper = make_paper(build_pdf=False, tier=Tier.REGISTERED)
    release(paper, paper.tier, {"pdf": Tier.VETTED})
    client.force_login(registered_user)
    item = client.get(f"/api/v1/papers/{paper.pk}/").json()
    assert "pdf_url" not in item and item["redacted"] == ["pdf_url"]


@pytest.mark.django_db
def test_kind_filter_and_bad_input(make_paper, client) -> None:
    make_paper(build_pdf=False, kind=PaperKind.BLUE, title="蓝皮书")
    make_paper(build_pdf=False, kind=PaperKind.WHITE, title="白皮书")
    assert [p["title"] for p in client.get("/api/v1/papers/?kind=blue").json()["results"]] == [
        "蓝皮书"
    ]
    bad = client.get("/api/v1/papers/?kind=green")
    assert bad.status_code == 400 and "kind" in bad.json()["error"]["fields"]
    assert client.get("/api/v1/papers/?page=0").status_code == 400
