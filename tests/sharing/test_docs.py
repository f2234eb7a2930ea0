"""The curl examples of docs/sharing.md, run as written against a live portal."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from portal.enterprises.models import Enterprise
from portal.sharing import clients
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DOC = Path(__file__).resolve().parents[2] / "docs" / "sharing.md"


def connecting_examples() -> list[str]:
    """The ``curl`` command blocks of the "Connecting" section, in order."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Connecting", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [block.strip() for block in blocks if block.strip().startswith("curl ")]


def run(command: str, **variables: str) -> dict:
    environment = {**os.environ, **variables}
    # The documented command, run through a shell as a reader would paste it.
    done = subprocess.run(
        ["/bin/sh", "-c", command], env=environment, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_documented_commands_connect_load_and_follow_changes(live_server):
    first = EnterpriseFactory(name="文档示例科技有限公司")
    client, secret = clients.register(
        "国防科工办", "广西国防科工办", "vetted", "enterprises:read,enterprises:push"
    )
    token_call, first_load, incremental, pushing = connecting_examples()
    known = {"PORTAL": live_server.url, "CLIENT_ID": client.client_id, "CLIENT_SECRET": secret}

    token = run(token_call, **known)
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600
    known["TOKEN"] = token["access_token"]

    loaded = run(first_load, **known)
    assert first.uscc in {row["uscc"] for row in loaded["results"]}
    assert loaded["has_more"] is False

    changed = Enterprise.objects.get(pk=first.pk)
    changed.name = "文档示例科技股份有限公司"
    changed.save()
    later = run(incremental, **known, CURSOR=loaded["next_cursor"])
    assert [(row["uscc"], row["record"]["name"]) for row in later["results"]] == [
        (first.uscc, "文档示例科技股份有限公司")
    ]

    pushed = run(pushing, **known)
    assert (pushed["proposed"], pushed["refused"]) == (1, 0)
    waiting = Enterprise.objects.get(uscc=pushed["results"][0]["uscc"])
    assert waiting.versions.get().state == "submitted"
