"""/api/v1/notices/: list shape and filters, detail redaction, 404s, responses and their errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from classification.tiers import Tier
from portal.accounts import api_tokens

pytestmark = pytest.mark.django_db

SUMMARY_KEYS = {
    "id", "title", "kind", "kind_label", "tier", "summary", "industries", "region",
    "deadline", "is_open", "published_at", "url", "stub", "redacted",
}  # fmt: skip


def test_list_shape_filters_and_facets(client, make_notice):
    make_notice("公开需求", tier=Tier.PUBLIC)
    make_notice("公开供给", tier=Tier.PUBLIC, kind="supply")
    make_notice("认证需求", tier=Tier.VETTED)
    make_notice("已截止", deadline=timezone.now() - timedelta(days=1))
    body = client.get("/api/v1/notices/").json()
    assert body["count"] == 3
    assert {r["title"] for r in body["results"]} == {"公开需求", "公开供给", "已截止"}
    assert set(body["results"][0]) == SUMMARY_KEYS
    assert body["results"][0]["redacted"] == ["attachments", "budget", "contact", "requirements"]
    assert body["facets"]["kind"]["demand"] == 2 and body["facets"]["kind"]["supply"] == 1
    assert body["facets"]["status"] == {"open": 2, "closed": 1}

    assert [r["title"] for r in client.get("/api/v1/notices/?kind=supply").json()["results"]] == [
        "公开供给"
    ]
    assert client.get("/api/v1/notices/?status=closed").json()["count"] == 1
    assert client.get("/api/v1/notices/?industry=D01&region=450100").json()["count"] == 3
    paged = client.get("/api/v1/notices/?page_size=2&page=2").json()
    assert paged["count"] == 3 and len(paged["results"]) == 1


def test_list_refuses_unknown_filters_with_the_error_shape(client):
    answer = client.get("/api/v1/notices/?kind=weapons&status=maybe")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"kind", "status"}
    assert client.get("/api/v1/notices/?page_size=500").status_code == 400


def test_detail_redacts_and_hides(client, make_notice, vetted):
    public = make_notice("公开需求", tier=Tier.PUBLIC)
    restricted = make_notice("认证需求", tier=Tier.VETTED)
    anonymous = client.get(f"/api/v1/notices/{public.pk}/").json()
    assert "contact" not in anonymous and "budget" not in anonymous
    assert anonymous["redacted"] == ["attachments", "budget", "contact", "requirements"]
    missing = client.get(f"/api/v1/notices/{restricted.pk}/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/notices/999999/").status_code == 404

    _token, secret = api_tokens.issue(vetted)
    auth = {"HTTP_AUTHORIZATION": f"Token {secret}"}
    full = client.get(f"/api/v1/notices/{restricted.pk}/", **auth).json()
    assert full["contact"]["phone"] == "0771-2801234"
    assert full["budget"] == {"min": "100.00", "max": "300.00", "unit": "万元"}
    assert full["requirements"][0]["items"] == ["定位精度优于 2 cm", "IP67 防护"]
    assert full["redacted"] == []


def test_responses_through_the_api(client, make_notice, vetted, registered):
    notice = make_notice()
    url = f"/api/v1/notices/{notice.pk}/responses/"
    assert client.post(url, {"message": "x"}, content_type="application/json").status_code == 401

    client.force_login(registered)
    refused = client.post(url, {"message": "可供货"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "not_vetted"

    client.force_login(vetted)
    blank = client.post(url, {"message": ""}, content_type="application/json")
    assert blank.status_code == 400 and "message" in blank.json()["error"]["fields"]
    created = client.post(url, {"message": "可供货 200 台"}, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["message"] == "可供货 200 台"
    again = client.post(url, {"message": "再次"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate"
    edited = client.put(url, {"message": "修改后"}, content_type="application/json")
    assert edited.status_code == 200 and edited.json()["message"] == "修改后"
    assert client.get(url).json()["message"] == "修改后"


def test_api_responses_after_deadline_and_to_hidden_notices(client, make_notice, vetted):
    closed = make_notice("已截止", deadline=timezone.now() - timedelta(days=1))
    targeted = make_notice("定向", tier=Tier.TARGETED)
    client.force_login(vetted)
    late = client.post(
        f"/api/v1/notices/{closed.pk}/responses/",
        {"message": "迟到"},
        content_type="application/json",
    )
    assert late.status_code == 409 and late.json()["error"]["code"] == "closed"
    hidden = client.post(
        f"/api/v1/notices/{targeted.pk}/responses/",
        {"message": "?"},
        content_type="application/json",
    )
    assert hidden.status_code == 404
