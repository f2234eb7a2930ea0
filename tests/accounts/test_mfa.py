"""Two-factor authentication: enrolment, the login's code step, recovery codes, throttling,
what an unverified staff session may reach, and the setting that production refuses."""

from __future__ import annotations

import os
import subprocess
import sys
from base64 import b32encode
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts import api_tokens, mfa, roles
from tests.factories import PASSWORD, UserFactory, authenticator, current_code

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ADMIN = "/admin/"
WRONG = "Wrong-code message"


def password_step(client: Client, user, next_url: str = ""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def code_step(client: Client, code: str, next_url: str = ""):
    return client.post(reverse("accounts:mfa_verify"), {"code": code, "next": next_url})


@pytest.fixture
def reviewer(db):
    return UserFactory(username="gx_reviewer", roles=[roles.REVIEWER])


def test_staff_without_a_device_are_sent_to_enrolment_and_confirm_with_a_code(
    client, reviewer
) -> None:
    response = password_step(client, reviewer, next_url=ADMIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa_setup") + "?next=%2Fadmin%2F"
    # Until enrolled the admin sends them back to enrolment.
    assert client.get(ADMIN)["Location"].startswith(reverse("accounts:mfa_setup"))

    page = client.get(reverse("accounts:mfa_setup") + "?next=/admin/")
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    secret = b32encode(device.bin_key).decode()
    body = page.content.decode()
    assert secret[:4] + " " + secret[4:8] in body  # the key to type, in groups of four
    assert "<svg" in body and "otpauth://totp/" in body
    # A reload shows the same secret: the app scanned first keeps working.
    assert secret[:8] in client.get(reverse("accounts:mfa_setup")).content.decode().replace(" ", "")

    wrong = "000000" if current_code(device) != "000000" else "111111"
    refused = client.post(reverse("accounts:mfa_setup"), {"code": wrong, "next": ADMIN})
    assert refused.status_code == 200
    assert "验证码不正确" in refused.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    device.throttle_reset()  # the wrong code above starts django-otp's one-second back-off
    done = client.post(reverse("accounts:mfa_setup"), {"code": current_code(device), "next": ADMIN})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = StaticToken.objects.filter(device__user=reviewer).values_list("token", flat=True)
    assert set(stored) == set(codes)
    for code in codes:
        assert code in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(ADMIN).status_code == 200
    # Shown once: the enrolment page no longer offers a secret nor the codes.
    again = client.get(reverse("accounts:mfa_setup"))
    assert again.status_code == 302
    assert codes[0] not in client.get(reverse("accounts:dashboard")).content.decode()


def test_login_with_a_code_from_the_app(client, reviewer) -> None:
    device = authenticator(reviewer)
    response = password_step(client, reviewer, next_url=ADMIN)
    assert response["Location"] == reverse("accounts:mfa_verify") + "?next=%2Fadmin%2F"
    assert client.get(ADMIN)["Location"].startswith(reverse("accounts:mfa_verify"))

    page = client.get(response["Location"])
    assert "身份验证器" in page.content.decode()
    verified = code_step(client, current_code(device), next_url=ADMIN)
    assert verified.status_code == 302
    assert verified["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
    assert client.get(reverse("statistics:dashboard")).status_code == 200


def test_wrong_code_is_refused_with_a_chinese_message(client, reviewer) -> None:
    device = authenticator(reviewer)
    password_step(client, reviewer)
    wrong = "123456" if current_code(device) != "123456" else "654321"
    response = code_step(client, wrong)
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_recovery_code_works_once(reviewer) -> None:
    authenticator(reviewer)
    codes = mfa.new_recovery_codes(reviewer)

    first = Client()
    password_step(first, reviewer)
    response = code_step(first, codes[3].upper(), next_url=ADMIN)  # case is not significant
    assert response.status_code == 302 and response["Location"] == ADMIN
    assert first.get(ADMIN).status_code == 200
    assert StaticToken.objects.filter(device__user=reviewer).count() == 9

    second = Client()
    password_step(second, reviewer)
    refused = code_step(second, codes[3])
    assert refused.status_code == 200
    assert "验证码不正确" in refused.content.decode()
    assert second.get(ADMIN).status_code == 302


def test_unverified_staff_session_reaches_neither_admin_nor_staff_pages_nor_the_api(
    client, reviewer
) -> None:
    officer = UserFactory(username="gx_officer", roles=[roles.CLASSIFICATION_OFFICER])
    authenticator(officer)
    password_step(client, officer)
    verify = reverse("accounts:mfa_verify")
    for path in (
        ADMIN,
        "/admin/api/main/pages/",
        "/admin/choose-page/",
        "/admin/classification/",
        "/django-admin/",
        reverse("statistics:dashboard"),
        reverse("accounts:dashboard"),
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(verify), path

    api = client.get(reverse("api:me"))
    assert api.status_code == 403
    error = api.json()["error"]
    assert error["code"] == "second_factor_required"
    assert set(error) == {"code", "message", "fields"} and error["fields"] == {}
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_token_authenticated_api_calls_are_left_to_the_token(client, reviewer) -> None:
    """Programs authenticate with a token; an unverified session beside it changes nothing."""
    _, secret = api_tokens.issue(reviewer)
    authenticator(reviewer)
    password_step(client, reviewer)
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200
    assert response.json()["username"] == reviewer.username
    # Another scheme does not get past the check: the session would answer it.
    assert client.get(reverse("api:me"), HTTP_AUTHORIZATION="Bearer x").status_code == 403


@pytest.mark.parametrize("role", [roles.ENTERPRISE, roles.PROCUREMENT])
def test_non_staff_are_not_asked(client, role) -> None:
    user = UserFactory(username=f"user_{role}", roles=[role])
    response = password_step(client, user)
    assert response["Location"] == reverse("accounts:dashboard")
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    assert client.get(reverse("api:me")).status_code == 200


def test_procurement_officers_verify_before_the_admin(client) -> None:
    user = UserFactory(username="buyer", roles=[roles.PROCUREMENT])
    password_step(client, user)
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    assert client.get(ADMIN)["Location"].startswith(reverse("accounts:mfa_setup"))


def test_non_staff_who_enrolled_are_asked(client) -> None:
    user = UserFactory(username="careful_owner", roles=[roles.ENTERPRISE])
    device = authenticator(user)
    response = password_step(client, user)
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    assert code_step(client, current_code(device)).status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_wrong_codes_are_throttled(client, reviewer) -> None:
    device = authenticator(reviewer)
    password_step(client, reviewer)
    right = current_code(device)
    wrong = "000000" if right != "000000" else "111111"
    response = code_step(client, wrong)
    assert "验证码不正确" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1 and device.throttling_failure_timestamp

    # After three failures in a row the device waits 4 seconds: codes are refused unchecked
    # (the count stays), even the right one, and the page says until when.
    device.throttling_failure_count = 3
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    code_step(client, wrong)
    response = code_step(client, right)
    assert response.status_code == 200
    assert "错误次数过多" in response.content.decode()
    assert client.get(ADMIN).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 3

    # Repeated failures double the wait: the fourth failure in a row means 8 seconds.
    device.throttling_failure_count = 4
    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=5)
    device.save()
    assert "错误次数过多" in code_step(client, right).content.decode()

    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=9)
    device.save()
    assert code_step(client, right).status_code == 302
    assert client.get(ADMIN).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_new_recovery_codes_replace_the_old_ones(client, reviewer) -> None:
    device = authenticator(reviewer)
    old = mfa.new_recovery_codes(reviewer)
    password_step(client, reviewer)
    code_step(client, current_code(device))
    response = client.post(reverse("accounts:mfa_recovery_codes"))
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_mfa_reset_sends_the_user_back_to_enrolment(client, reviewer, capsys) -> None:
    device = authenticator(reviewer)
    mfa.new_recovery_codes(reviewer)
    password_step(client, reviewer)
    code_step(client, current_code(device))
    assert client.get(ADMIN).status_code == 200

    call_command("mfa_reset", reviewer.username)
    assert "Removed 2" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    # The session verified by the removed device is no longer verified.
    assert client.get(ADMIN)["Location"].startswith(reverse("accounts:mfa_setup"))


@override_settings(MFA_REQUIRED_FOR_STAFF=False)
def test_dev_setting_lets_staff_in_with_the_password(client, reviewer) -> None:
    response = password_step(client, reviewer, next_url=ADMIN)
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_dev_setting_is_refused_without_demo_data() -> None:
    with (
        override_settings(MFA_REQUIRED_FOR_STAFF=False, DEMO_DATA_ALLOWED=False),
        pytest.raises(ImproperlyConfigured, match="MFA_REQUIRED_FOR_STAFF"),
    ):
        mfa.check_settings()
    with override_settings(MFA_REQUIRED_FOR_STAFF=False, DEMO_DATA_ALLOWED=True):
        mfa.check_settings()


def test_production_settings_refuse_to_start_with_the_second_factor_off(tmp_path) -> None:
    (tmp_path / "mfa_off_settings.py").write_text(
        "from portal.settings.production import *  # noqa: F403\nMFA_REQUIRED_FOR_STAFF = False\n"
    )
    environment = {
        key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="mfa_off_settings",
        PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}",
        SECRET_KEY="k" * 20 + "-production-secret-key-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="portal.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "MFA_REQUIRED_FOR_STAFF may be off only where DEMO_DATA_ALLOWED" in result.stderr
