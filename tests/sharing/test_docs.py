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


def connecting_examples() -> dict[str, str]:
    """The ``curl`` command blocks of the "Connecting" section, by what they call."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Connecting", 1)[1].split("\n## ", 1)[0]
    blocks = [b.strip() for b in re.findall(r"```sh\n(.*?)```", section, re.S)]
    blocks = [block for block in blocks if block.startswith("curl ")]
    kinds = {
        "token": "/o/token/",
        "snapshot": "/snapshot/",
        "incremental": "since=",
        "push": "/push/",
        "first_load": "changes/?limit",
    }
    found = {kind: [b for b in blocks if marker in b] for kind, marker in kinds.items()}
    assert all(len(hits) == 1 for hits in found.values()), found
    assert len(blocks) == len(kinds), "an example the test does not run"
    return {kind: hits[0] for kind, hits in found.items()}


def run(command: str, **variables: str) -> dict:
    """Run a documented command; its output as JSON (JSON Lines: the list of lines)."""
    environment = {**os.environ, **variables}
    # The documented command, run through a shell as a reader would paste it.
    done = subprocess.run(
        ["/bin/sh", "-c", command], env=environment, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    if "/snapshot/" in command:
        return {"lines": [json.loads(line) for line in done.stdout.splitlines()]}
    return json.loads(done.stdout)


def test_the_documented_commands_connect_load_and_follow_changes(live_server):
    first = EnterpriseFactory(name="文档示例科技有限公司")
    client, secret = clients.register(
        "国防科工办", "广西国防科工办", "vetted", "enterprises:read,enterprises:push"
    )
    examples = connecting_examples()
    known = {"PORTAL": live_server.url, "CLIENT_ID": client.client_id, "CLIENT_SECRET": secret}

    token = run(examples["token"], **known)
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600
    known["TOKEN"] = token["access_token"]

    snapshot = run(examples["snapshot"], **known)["lines"]
    assert snapshot[0]["uscc"] == first.uscc and snapshot[-1]["count"] == 1
    loaded = run(examples["first_load"], **known)
    assert first.uscc in {row["uscc"] for row in loaded["results"]}
    assert loaded["has_more"] is False

    changed = Enterprise.objects.get(pk=first.pk)
    changed.name = "文档示例科技股份有限公司"
    changed.save()
    later = run(examples["incremental"], **known, CURSOR=loaded["next_cursor"])
    assert [(row["uscc"], row["record"]["name"]) for row in later["results"]] == [
        (first.uscc, "文档示例科技股份有限公司")
    ]

    pushed = run(examples["push"], **known)
    assert (pushed["proposed"], pushed["refused"]) == (1, 0)
    waiting = Enterprise.objects.get(uscc=pushed["results"][0]["uscc"])
    assert waiting.versions.get().state == "submitted"
