"""Registering, rotating and revoking clients: the command, the scopes, the service account."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from classification import policy
from classification.tiers import Tier
from portal.sharing import clients
from portal.sharing.models import SharingClient

from .conftest import obtain_token


def city_bureau() -> tuple[SharingClient, str]:
    return clients.register("城市工信局", "柳州市工信局", "registered", "enterprises:read")


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("sharing_client", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_add_prints_id_and_secret_on_their_own_lines_and_they_obtain_a_token():
    lines = run(
        "add", "国防科工办", "--tier", "vetted", "--scope", "enterprises:read,notices:read",
        "--expires", "2099-12-31",
    )  # fmt: skip
    assert [line.split("=", 1)[0] for line in lines] == ["client_id", "client_secret"]
    client_id, secret = (line.split("=", 1)[1] for line in lines)
    answer = obtain_token(Client(), client_id, secret)
    assert answer["status"] == 200 and answer["token_type"] == "Bearer"
    assert set(answer["scope"].split()) == {"enterprises:read", "notices:read"}
    listed = run("list")
    assert len(listed) == 1 and client_id in listed[0] and "in force" in listed[0]


@pytest.mark.django_db
def test_a_client_gets_only_its_own_scopes():
    client, secret = clients.register(
        "城市工信局", "柳州市工信局", "registered", "enterprises:read"
    )
    asked = obtain_token(Client(), client.client_id, secret, scope="enterprises:push")
    assert asked["status"] == 400 and asked["error"] == "invalid_scope"


@pytest.mark.django_db
def test_the_secret_is_stored_hashed_and_rotation_replaces_it():
    client, secret = clients.register(
        "城市工信局", "柳州市工信局", "registered", "enterprises:read"
    )
    assert secret not in client.application.client_secret
    new_secret = run("rotate", client.client_id)[1].split("=", 1)[1]
    assert obtain_token(Client(), client.client_id, secret)["status"] == 401
    assert obtain_token(Client(), client.client_id, new_secret)["status"] == 200


@pytest.mark.django_db
def test_the_service_account_reads_at_the_ceiling_and_cannot_log_in():
    low, _ = clients.register("城市工信局", "柳州市工信局", "registered", "enterprises:read")
    high, _ = clients.register("国防科工办", "广西国防科工办", "vetted", "enterprises:read")
    assert policy.clearance(low.service_user) == Tier.REGISTERED
    assert policy.clearance(high.service_user) == Tier.VETTED
    assert not low.service_user.has_usable_password()
    assert not high.service_user.is_staff and not high.service_user.is_superuser


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "x", "--tier", "targeted", "--scope", "enterprises:read"], "invalid choice"),
        (["add", "x", "--tier", "vetted", "--scope", "everything"], "everything"),
        (["add", "x", "--tier", "vetted", "--scope", "notices:read", "--expires", "soon"], "date"),
        (["revoke", "no-such-client"], "No data-sharing client"),
    ],
)
def test_refused_input_exits_non_zero_with_the_reason(args, message):
    with pytest.raises((CommandError, SystemExit)) as raised:
        run(*args)
    if raised.type is CommandError:
        assert message in str(raised.value)
    assert not SharingClient.objects.exists()


@pytest.mark.django_db
def test_revoke_ends_tokens_and_marks_the_client():
    client, secret = clients.register(
        "城市工信局", "柳州市工信局", "registered", "enterprises:read"
    )
    assert obtain_token(Client(), client.client_id, secret)["status"] == 200
    assert run("revoke", client.client_id) == [f"revoked {client.client_id}"]
    client.refresh_from_db()
    assert not client.in_force()
    assert not client.application.accesstoken_set.exists()
    assert obtain_token(Client(), client.client_id, secret)["status"] == 401
