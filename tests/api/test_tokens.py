"""API tokens: expiry, listing and revocation, what ends them, and the caching headers."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken
from rest_framework.test import APIClient

from portal.accounts import api_tokens
from portal.accounts.models import User
from portal.accounts.roles import PROCUREMENT, REVIEWER
from tests.factories import EnterpriseFactory, authenticator, current_code

pytestmark = pytest.mark.django_db

PASSWORD = "Qinzhou-Port-2026"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def officer() -> User:
    user = User.objects.create_user("officer", "officer@example.cn", PASSWORD)
    user.groups.add(Group.objects.get(name=PROCUREMENT))
    return user


@pytest.fixture
def other() -> User:
    return User.objects.create_user("other", "other@example.cn", PASSWORD)


def client_for(secret: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return api


def assert_error_shape(body: dict, code: str) -> None:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def assert_works(secret: str) -> None:
    assert client_for(secret).get("/api/v1/me/").status_code == 200


def assert_ended(secret: str) -> None:
    response = client_for(secret).get("/api/v1/me/")
    assert response.status_code == 401
    assert_error_shape(response.json(), "authentication_failed")


def assert_private(response) -> None:
    assert response["Cache-Control"] == "private, no-store"
    assert "Authorization" in [part.strip() for part in response["Vary"].split(",")]


# Obtaining and expiry


def test_obtain_answers_the_token_and_its_expiry(officer) -> None:
    before = timezone.now()
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "officer", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"  # it holds the secret
    body = response.json()
    assert set(body) == {"token", "expires"}
    expires = parse_datetime(body["expires"])
    assert expires is not None and expires.tzinfo is not None  # ISO 8601 with an offset
    ttl = timedelta(days=30)
    assert before + ttl - timedelta(seconds=1) <= expires <= timezone.now() + ttl
    assert_works(body["token"])

    again = APIClient().post(
        "/api/v1/auth/token/", {"username": "officer", "password": PASSWORD}, format="json"
    )
    assert again.json()["token"] != body["token"]  # a new token per login, both valid
    assert_works(body["token"])
    assert AuthToken.objects.filter(user=officer).count() == 2
    # Only hashes are stored.
    assert not AuthToken.objects.filter(digest=body["token"]).exists()


def test_staff_obtain_a_token_only_with_their_second_factor() -> None:
    """A token is a login: a reviewer's password alone opens nothing."""
    reviewer = User.objects.create_user("reviewer", "reviewer@example.cn", PASSWORD)
    reviewer.groups.add(Group.objects.get(name=REVIEWER))
    api = APIClient()

    def obtain(**extra):
        body = {"username": "reviewer", "password": PASSWORD, **extra}
        return api.post("/api/v1/auth/token/", body, format="json")

    not_enrolled = obtain()
    assert not_enrolled.status_code == 400
    assert_error_shape(not_enrolled.json(), "invalid")
    assert "authenticator" in not_enrolled.json()["error"]["fields"]["code"][0]

    device = authenticator(reviewer)
    without_code = obtain()
    assert without_code.status_code == 400 and without_code.json()["error"]["fields"]["code"]
    wrong = obtain(code="000000" if current_code(device) != "000000" else "111111")
    assert wrong.status_code == 400 and "not valid" in wrong.json()["error"]["fields"]["code"][0]
    assert not AuthToken.objects.filter(user=reviewer).exists()

    device.throttle_reset()
    right = obtain(code=current_code(device))
    assert right.status_code == 200
    assert_works(right.json()["token"])


def test_token_lifetime_comes_from_the_environment() -> None:
    environment = {**os.environ, "API_TOKEN_TTL_DAYS": "7"}
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "from knox.settings import knox_settings; "
        "print(settings.API_TOKEN_TTL_DAYS, knox_settings.TOKEN_TTL.days)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.split()[-2:] == ["7", "7"]


def test_an_expired_token_is_refused_with_the_error_shape(officer) -> None:
    token, secret = api_tokens.issue(officer)
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(minutes=1))
    response = client_for(secret).get("/api/v1/me/")
    assert response.status_code == 401
    assert_error_shape(response.json(), "authentication_failed")
    assert response["WWW-Authenticate"] == "Token"
    assert_private(response)
    assert not api_tokens.live_tokens(officer).exists()


def test_beyond_the_per_user_limit_the_oldest_tokens_end(officer, settings) -> None:
    settings.API_TOKENS_PER_USER = 2
    _token, oldest = api_tokens.issue(officer)
    _token, middle = api_tokens.issue(officer)
    _token, newest = api_tokens.issue(officer)
    assert_ended(oldest)
    assert_works(middle)
    assert_works(newest)


# Listing and revocation


def test_listing_shows_own_live_tokens_without_secrets(officer, other) -> None:
    mine, secret = api_tokens.issue(officer)
    older, older_secret = api_tokens.issue(officer)
    expired, _ = api_tokens.issue(officer)
    AuthToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - timedelta(days=1))
    theirs, _ = api_tokens.issue(other)

    response = client_for(secret).get("/api/v1/auth/tokens/")
    assert response.status_code == 200
    assert_private(response)
    body = response.json()
    assert body["count"] == 2
    ids = {row["id"]: row for row in body["results"]}
    assert set(ids) == {mine.token_key, older.token_key}
    assert theirs.token_key not in ids and expired.token_key not in ids
    assert ids[mine.token_key]["current"] is True
    assert ids[older.token_key]["current"] is False
    assert set(ids[mine.token_key]) == {"id", "created", "expires", "current"}
    assert parse_datetime(ids[mine.token_key]["expires"]) == mine.expiry
    text = response.content.decode()
    assert secret not in text and older_secret not in text
    assert mine.digest not in text


def test_listing_needs_authentication() -> None:
    response = APIClient().get("/api/v1/auth/tokens/")
    assert response.status_code == 401
    assert_error_shape(response.json(), "not_authenticated")


def test_revoking_through_the_api(officer, other) -> None:
    _keep, keep = api_tokens.issue(officer)
    doomed, doomed_secret = api_tokens.issue(officer)
    theirs, their_secret = api_tokens.issue(other)
    api = client_for(keep)

    response = api.delete(f"/api/v1/auth/tokens/{doomed.token_key}/")
    assert response.status_code == 204
    assert_private(response)
    assert_ended(doomed_secret)
    assert_works(keep)

    for unknown in (theirs.token_key, doomed.token_key, "no-such-token"):
        missing = api.delete(f"/api/v1/auth/tokens/{unknown}/")
        assert missing.status_code == 404
        assert_error_shape(missing.json(), "not_found")
        assert_private(missing)
    assert_works(their_secret)

    # A program may end the very token it authenticates with.
    assert api.delete(f"/api/v1/auth/tokens/{keep[:15]}/").status_code == 204
    assert_ended(keep)


def test_answers_to_token_requests_are_private_and_vary_on_authorization(officer) -> None:
    _token, secret = api_tokens.issue(officer)
    me = client_for(secret).get("/api/v1/me/")
    assert me.status_code == 200
    assert_private(me)
    bad = client_for("0" * 64).get("/api/v1/me/")
    assert bad.status_code == 401
    assert_private(bad)
    # A resource that also renders HTML keeps its own Vary entries beside Authorization.
    listing = client_for(secret).get("/api/v1/notices/")
    assert listing.status_code == 200
    assert_private(listing)
    # Without a token nothing is promised: an anonymous answer is no one's private data.
    anonymous = APIClient().get("/api/v1/notices/")
    assert "no-store" not in anonymous.get("Cache-Control", "")


# What ends every token of a user


def test_set_password_and_save_ends_tokens(officer, other) -> None:
    _token, secret = api_tokens.issue(officer)
    _token, their_secret = api_tokens.issue(other)
    officer.set_password("Beibu-Gulf-2026-new")
    officer.save()
    assert_ended(secret)
    assert_works(their_secret)


def test_saves_that_leave_password_and_activity_alone_keep_tokens(officer) -> None:
    _token, secret = api_tokens.issue(officer)
    officer.first_name = "Li"
    officer.save()
    officer.mark_email_verified()
    APIClient().force_login(officer)  # saves last_login
    officer.groups.add(Group.objects.get(name=REVIEWER))
    assert_works(secret)


def test_deactivation_ends_tokens(officer) -> None:
    _token, secret = api_tokens.issue(officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    officer.is_active = True
    officer.save()
    assert_ended(secret)


@pytest.mark.parametrize(
    "remove",
    [
        lambda user, group: user.groups.remove(group),
        lambda user, group: group.user_set.remove(user),
        lambda user, group: user.groups.clear(),
        lambda user, group: group.user_set.clear(),
        lambda user, group: user.groups.set([]),
        lambda user, group: group.delete(),
    ],
    ids=["user.groups.remove", "group.user_set.remove", "user.groups.clear",
         "group.user_set.clear", "user.groups.set", "group.delete"],
)  # fmt: skip
def test_taking_a_role_away_ends_tokens(officer, other, remove) -> None:
    procurement = Group.objects.get(name=PROCUREMENT)
    _token, secret = api_tokens.issue(officer)
    _token, their_secret = api_tokens.issue(other)
    remove(officer, procurement)
    assert_ended(secret)
    assert_works(their_secret)


def test_leaving_an_owner_group_keeps_tokens(officer) -> None:
    """Owner groups are ownership, which every request decides afresh, and the admin's user
    form takes them away and back on each save: they do not end tokens."""
    enterprise = EnterpriseFactory(owners=[officer])
    owners = enterprise.owner_group()
    _token, secret = api_tokens.issue(officer)
    officer.groups.remove(owners)
    assert_works(secret)


# The OpenAPI schema


def test_schema_documents_the_token_endpoints_and_their_errors(client) -> None:
    spec = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    error = {"$ref": "#/components/schemas/Error"}

    def responses(path: str, method: str) -> dict:
        return spec["paths"][path][method]["responses"]

    def error_schema(operation: dict, status: str) -> dict:
        return operation[status]["content"]["application/json"]["schema"]

    obtain = responses("/api/v1/auth/token/", "post")
    token_response = spec["components"]["schemas"]["TokenResponse"]["properties"]
    assert token_response["expires"] == {"type": "string", "format": "date-time"}
    assert {"200", "400", "429"} <= set(obtain)

    listing = responses("/api/v1/auth/tokens/", "get")
    revoke = responses("/api/v1/auth/tokens/{token_id}/", "delete")
    assert "204" in revoke
    for operation, statuses in ((obtain, ("400", "429")), (listing, ("401", "429")),
                                (revoke, ("401", "404", "429"))):  # fmt: skip
        for status in statuses:
            assert error_schema(operation, status) == error
    shape = spec["components"]["schemas"]["ErrorDetail"]["properties"]
    assert set(shape) == {"code", "message", "fields"}
    token_fields = spec["components"]["schemas"]["Token"]["properties"]
    assert set(token_fields) == {"id", "created", "expires", "current"}
    scheme = spec["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["in"], scheme["name"]) == ("header", "Authorization")
    assert "Token" in scheme["description"]
