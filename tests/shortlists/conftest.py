"""Fixtures of the shortlist tests: an officer with a list of two suppliers, a group, people."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client, TestCase
from django.urls import reverse

from portal.accounts import roles
from portal.accounts.models import User
from portal.enterprises.models import Enterprise
from portal.shortlists import changes
from portal.shortlists.models import Shortlist
from tests.factories import EnterpriseFactory, QualificationFactory, UserFactory, login_verified


@dataclass
class Cast:
    officer: User
    colleague: User  # procurement, in the shared group
    outsider: User  # procurement, not in the group
    team: Group
    shortlist: Shortlist
    first: Enterprise
    second: Enterprise


@pytest.fixture
def cast(db) -> Cast:
    team = Group.objects.create(name="南宁采购组")
    officer = UserFactory(username="officer1", roles=[roles.PROCUREMENT])
    officer.groups.add(team)
    colleague = UserFactory(username="colleague", roles=[roles.PROCUREMENT])
    colleague.groups.add(team)
    outsider = UserFactory(username="outsider", roles=[roles.PROCUREMENT])
    first = EnterpriseFactory(name="南宁北斗导航科技有限公司")
    QualificationFactory(enterprise=first)
    second = EnterpriseFactory(name="柳州精密机械制造有限公司")
    shortlist = changes.create(officer, "北斗终端候选", "2026 年北斗终端采购")
    changes.add(officer, shortlist, first, "报价合理，交付快")
    changes.add(officer, shortlist, second, "")
    return Cast(officer, colleague, outsider, team, shortlist, first, second)


def client_for(user: User | None) -> Client:
    """Signed in as after the login's code step, so that staff reach their pages."""
    client = Client()
    if user is not None:
        login_verified(client, user)
    return client


def fresh(user: User) -> User:
    """A new user object, as the next request would load it (nothing cached)."""
    return type(user).objects.get(pk=user.pk)


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The PDF's text in reading order, whitespace removed within each page (table cells
    wrap and the cover is letter-spaced); pages are separated by form feeds."""
    path = tmp_path / "export.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    )
    return "\f".join("".join(page.split()) for page in result.stdout.split("\f"))


def download(client: Client, pk: int, kind: str):
    """GET an export as a reader does: the first request asks for the build (202, built by the
    eager task after the commit), the next one downloads it. Any other answer (302, 404) is
    returned as it came."""
    url = reverse(f"shortlists:export_{kind}", args=[pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(url)
    if response.status_code != 202:
        return response
    return client.get(url)


@pytest.fixture
def export():
    return download
