"""PostgreSQL restarts under a running portal: 503 with a clear message meanwhile, never a
500 or a stack trace, and the same pages answer again afterwards without restarting the portal.

The portal runs as production serves it (gunicorn, a worker that keeps its database connection
for 60 s) against a PostgreSQL cluster of this test's own, a copy of the suite's migrated
database. ``pg_ctl stop -m immediate`` drops every connection at once, as a crash would.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from . import services

# django_db: the suite's database must exist, to be copied (the test itself reads nothing).
pytestmark = [
    pytest.mark.xdist_group("faults"),  # one process starts the fault services
    pytest.mark.engine,
    pytest.mark.django_db,
]

MESSAGE = "数据库暂时不可用，请稍后再试"
PAGES = ["/", "/notices/"]
API = ["/api/v1/notices/", "/api/v1/papers/"]
#: The supplier search reads the engine only (for a visitor): it keeps answering, and merely
#: skips recording the search term.
SEARCH = [f"/suppliers/?q={quote('北斗')}", f"/api/v1/suppliers/?q={quote('北斗')}"]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


def get(url: str, **extra: str) -> Answer:
    headers = {"Accept-Language": "zh-hans", **extra}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the test's own server
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return Answer(response.status, dict(response.headers), response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read().decode())


@pytest.fixture(scope="module")
def private_postgres(django_db_setup, django_db_blocker) -> Iterator[services.Postgres]:
    # Not under pytest's temporary folder: user postgres may not enter that one.
    folder = Path(tempfile.mkdtemp(prefix="portal-faults-postgres-"))
    cluster = services.Postgres(folder)
    try:
        cluster.init()
        cluster.start()
        with django_db_blocker.unblock():
            cluster.copy_database(connection.settings_dict, "faults_test")
        yield cluster
    finally:  # on a failed set-up too: no cluster outlives the test
        cluster.stop(check=False)
        shutil.rmtree(folder)


@pytest.fixture(scope="module")
def portal(private_postgres, fault_prefix: str, private_redis, fault_dir: Path) -> Iterator[str]:
    port = services.free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        # As production keeps it: the connection outlives requests, and must be replaced.
        "DATABASE_URL": private_postgres.url("faults_test", conn_max_age="60"),
        "SEARCH_INDEX_PREFIX": fault_prefix,
        "CELERY_BROKER_URL": private_redis.url(0),
    }
    server = services.gunicorn(env, fault_dir / "logs" / "gunicorn.log", port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_database_restart_answers_503_then_recovers(portal, private_postgres):
    for path in PAGES + API + SEARCH:
        assert get(portal + path).status == 200, path

    private_postgres.stop(mode="immediate")
    try:
        for path in PAGES:
            answer = get(portal + path)
            assert answer.status == 503, path
            assert MESSAGE in answer.body
            assert 'class="site-header"' in answer.body and 'class="site-footer"' in answer.body
            assert "Traceback" not in answer.body and "OperationalError" not in answer.body
            assert answer.headers["Retry-After"] == "30"
        for path in API:
            answer = get(portal + path)
            assert answer.status == 503, path
            assert json.loads(answer.body) == {
                "error": {"code": "unavailable", "message": f"{MESSAGE}。", "fields": {}}
            }
        # A signed-in visitor's session is read in a middleware, before any view runs; an API
        # token is looked up before the view's own code.
        answer = get(portal + "/", Cookie="sessionid=" + "x" * 32)
        assert answer.status == 503 and MESSAGE in answer.body
        answer = get(portal + "/api/v1/me/", Authorization="Token " + "x" * 40)
        assert answer.status == 503 and json.loads(answer.body)["error"]["code"] == "unavailable"
        for path in SEARCH:
            assert get(portal + path).status == 200, path
        health = get(portal + "/healthz")
        assert health.status == 503 and "database" in json.loads(health.body)["down"]
    finally:
        private_postgres.start()

    for path in PAGES + API + SEARCH:  # the same portal process, reconnected
        assert get(portal + path).status == 200, path
