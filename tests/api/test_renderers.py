"""The API's JSON renderer writes the JSON DRF's own renderer writes, only faster: whatever a
view returns (dates, lazy translations, decimals, numeric keys, line separators), the same
bytes, and for any JSON value the same value (orjson writes 1e-07 as 1e-7)."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
import zoneinfo

import pytest
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer

from portal.api.renderers import PortalJSONRenderer

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

ANSWERS = [
    {"count": 3, "results": [{"name": "广西北斗导航有限公司", "score": 1.5, "featured": True}]},
    {"at": datetime.datetime(2026, 12, 6, 8, 30, 0, 123456, tzinfo=datetime.UTC)},
    {"at": datetime.datetime(2026, 12, 6, 16, 30, tzinfo=SHANGHAI)},
    {"at": datetime.datetime(2026, 12, 6, 16, 30)},
    {"day": datetime.date(2026, 12, 6), "time": datetime.time(9, 5, 1, 250)},
    {"label": gettext_lazy("Region"), "amount": decimal.Decimal("12.50")},
    {"id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {1: "numeric key", "nested": {2: [None, False, 0.1]}},
    {"text": "第一行\u2028第二行\u2029结束", "quote": '"<mark>北斗</mark>"'},
    {"big": 2**70},
    [],
    "",
]


@pytest.mark.parametrize("answer", ANSWERS, ids=range(len(ANSWERS)))
def test_the_same_bytes_as_drf(answer):
    assert PortalJSONRenderer().render(answer) == JSONRenderer().render(answer)


def test_an_indented_answer_is_drfs():
    answer = {"results": [{"name": "北斗"}], "count": 1}
    accepted = "application/json; indent=4"
    rendered = PortalJSONRenderer().render(answer, accepted, {})
    assert rendered == JSONRenderer().render(answer, accepted, {})
    assert b'\n    "results"' in rendered


def test_no_answer_is_an_empty_body():
    assert PortalJSONRenderer().render(None) == b""


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_any_json_value_renders_as_drf_renders_it(value):
    answer = {"value": value}  # a bare None is no answer at all (an empty body)
    ours, drfs = PortalJSONRenderer().render(answer), JSONRenderer().render(answer)
    assert json.loads(ours) == json.loads(drfs)


def test_a_tiny_float_is_the_same_number():
    assert PortalJSONRenderer().render({"score": 1e-7}) == b'{"score":1e-7}'
    assert json.loads(JSONRenderer().render({"score": 1e-7})) == {"score": 1e-7}
