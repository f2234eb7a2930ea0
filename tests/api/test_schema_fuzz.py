"""The OpenAPI schema is the contract: generated requests against every operation, anonymous and
with a token, answer as the schema says (status codes, content types, bodies) and never with a
server error. A fixed seed and a bounded number of examples keep the run repeatable and short."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.enterprises.models import Region
from portal.notices.models import Kind, NoticeIndexPage, NoticePage
from portal.papers.demo import create_paper
from portal.wsgi import application
from tests.factories import EnterpriseFactory, ProductFactory, QualificationFactory, UserFactory
from tests.papers.conftest import short_blocks
from tests.search_fixtures import search_index  # noqa: F401 - a private index prefix

from .conftest import FUZZ_CHECKS, FUZZ_OPERATIONS, FUZZ_REQUESTS

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ_CHECKS[:] = [check.__name__ for check in CHECKS]
PASSWORD = "Wuzhou-Bridge-2026"


@pytest.fixture
def world(request, db, django_capture_on_commit_callbacks) -> None:
    """Something for every list to answer with, so that bodies are checked, not only errors:
    full supplier profiles (indexed), a published notice and a paper."""
    owner = UserFactory(username="fuzzer", roles=["procurement"])
    owner.set_password(PASSWORD)
    owner.save()
    for n, capital in enumerate(("1000.00", "50.50"), start=1):
        enterprise = EnterpriseFactory(
            name=f"柳州测试{n}导航科技有限公司",
            registered_capital=Decimal(capital),
            founded_on=date(2010, 5, n),
            staff_size="20-99",
            ownership="private",
            owners=[owner] if n == 1 else None,
        )
        QualificationFactory(enterprise=enterprise)
        ProductFactory(enterprise=enterprise)
    index = NoticeIndexPage.objects.get(slug="notices")
    notice = NoticePage(
        title="北斗高精度定位终端采购需求",
        kind=Kind.DEMAND,
        summary="采购北斗三号高精度定位终端。",
        deadline=timezone.now() + timedelta(days=30),
        region=Region.objects.get(code="450100"),
        owner=owner,
        live=False,
    )
    index.add_child(instance=notice)
    notice.save_revision(user=owner).publish()
    with django_capture_on_commit_callbacks(execute=False):
        create_paper(short_blocks(), slug="fuzz-paper", title="广西军民融合发展白皮书")
    request.getfixturevalue("search_index")()  # drain the outbox into a private index


@pytest.fixture
def headers(request, world, client) -> Iterator[dict[str, str]]:
    """The caller's headers: none, or a token obtained through the API. Then the requests
    through the WSGI app keep the test's database connection, as Django's own test client does
    (the handler would close it after each request; the test client re-connects that on each
    of its own requests, so this comes after the token's)."""
    headers = {}
    if request.param == "token":
        answer = client.post(
            "/api/v1/auth/token/",
            {"username": "fuzzer", "password": PASSWORD},
            content_type="application/json",
        )
        headers = {"Authorization": f"Token {answer.json()['token']}"}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield headers
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("headers", ["anonymous", "token"], indirect=True)
@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, headers) -> None:
    FUZZ_REQUESTS[0] += 1
    FUZZ_OPERATIONS.add((case.operation.label, "token" if headers else "anonymous"))
    case.call_and_validate(headers=headers, checks=CHECKS)
