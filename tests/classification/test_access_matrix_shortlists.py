"""The access matrix on shortlist exports: role × tier × format, both directions.

The procurement officer's shortlist holds every enterprise of the world (added while it could
see them, as if their tiers changed since) and is shared with a group holding one user of
every other signed-in role. Exported by each role, to Excel and to PDF, it lists exactly the
enterprises that role may see, says how many it left out, and shows each listed one's contacts
(a vetted field) only where the role may read them, marked as withheld otherwise; a hidden
enterprise's name, credit code and contacts appear nowhere in the file. The anonymous visitor
holds no shortlist: the export sends them to log in. Expectations come from conftest.py,
written independently of the policy.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from classification import sharing
from portal.shortlists.models import Shortlist, ShortlistEntry
from portal.shortlists.xlsx import REDACTED
from tests.shortlists.conftest import download
from tests.tally import MATRIX_CELLS

from .conftest import (
    MATRIX_TIERS,
    ROLES,
    World,
    expected_hidden,
    expected_visible,
)

FORMATS = ("xlsx", "pdf")
OWNER = "procurement"


@pytest.fixture(scope="module")
def shortlist_world(module_world: World) -> World:
    owner = module_world.users[OWNER]
    shortlist = Shortlist.objects.create(owner=owner, name="矩阵候选名单")
    for tier in MATRIX_TIERS:
        ShortlistEntry.objects.create(
            shortlist=shortlist, enterprise=module_world.items[tier], note=f"备注{tier}"
        )
    readers = Group.objects.create(name="矩阵名单读者")
    for role, user in module_world.users.items():
        if user is not None and role != OWNER:
            user.groups.add(readers)
    sharing.share(shortlist, readers, sharing.VIEW)
    module_world.cache["shortlist"] = shortlist
    return module_world


def _pdf_text(content: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.pdf"
        path.write_bytes(content)
        out = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
    return "".join(out.split())


def _export(world: World, role: str, fmt: str):
    """The role's export as (status, text of the whole file, {name: contacts cell} for xlsx)."""

    def compute():
        shortlist = world.cache["shortlist"]
        response = download(world.client(world.users[role]), shortlist.pk, fmt)
        if response.status_code != 200:
            return response.status_code, "", {}
        if fmt == "pdf":
            return 200, _pdf_text(response.content), {}
        sheet = load_workbook(io.BytesIO(response.content))["候选供应商名单"]
        rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
        text = "".join("".join(str(c) for c in row) for row in rows)
        return 200, "".join(text.split()), {row[0]: row[5] for row in rows[1:] if len(row) > 5}

    return world.cached(("shortlist-export", role, fmt), compute)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("tier", MATRIX_TIERS)
@pytest.mark.parametrize("role", ROLES)
def test_shortlist_export_matrix(shortlist_world: World, role: str, tier: str, fmt: str) -> None:
    world = shortlist_world
    status, text, contacts = _export(world, role, fmt)
    MATRIX_CELLS[0] += 1
    if role == "anonymous":
        assert status == 302  # to the login page: no shortlist without an account
        return
    assert status == 200
    item = world.items[tier]
    phone = "".join(world.secrets[("enterprise", tier)]["contacts"].split())
    if not expected_visible(role, tier):
        assert item.name not in text, f"{role} must not see {tier} in {fmt}"
        assert item.uscc not in text and phone not in text and f"备注{tier}" not in text
        return
    assert item.name in text, f"{role} must see {tier} in {fmt}"
    assert item.uscc in text and f"备注{tier}" in text
    if "contacts" in expected_hidden(role, tier):
        assert phone not in text, f"{role} must not read {tier}'s contacts in {fmt}"
        if fmt == "xlsx":
            assert contacts[item.name] == REDACTED
    else:
        assert phone in text, f"{role} must read {tier}'s contacts in {fmt}"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_shortlist_export_counts_what_it_left_out(shortlist_world: World, role, fmt) -> None:
    _status, text, _contacts = _export(shortlist_world, role, fmt)
    hidden = sum(not expected_visible(role, tier) for tier in MATRIX_TIERS)
    MATRIX_CELLS[0] += 1
    if hidden:
        assert f"另有{hidden}家供应商因您当前无权查看而未导出。" in text
    else:
        assert "因您当前无权查看而未导出" not in text
