"""Saved-search parameters are checked against the search's own parameters."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from portal.alerts.criteria import CriteriaError, clean, describe, from_query, query_string
from portal.alerts.models import Kind
from portal.enterprises.models import Industry

pytestmark = pytest.mark.django_db


def test_supplier_filters_are_normalised():
    raw = {"industry": ["D01", "D01", " "], "region": "450100"}
    q, filters = clean(Kind.SUPPLIER, " 北斗 ", raw)
    assert (q, filters) == ("北斗", {"industry": ["D01"], "region": ["450100"]})


@pytest.mark.parametrize(
    ("q", "filters", "field"),
    [
        ("name:x", {}, "q"),
        ("x" * 201, {}, "q"),
        ('"open', {}, "q"),
        ("", {"industry": ["NOPE"]}, "industry"),
        ("", {"colour": ["red"]}, "colour"),
        ("", {"region": [1, 2]}, "region"),
        ("", ["industry"], "filters"),
        (5, {}, "q"),
    ],
)
def test_supplier_refusals_name_the_field(q, filters, field):
    with pytest.raises(CriteriaError) as error:
        clean(Kind.SUPPLIER, q, filters)
    assert error.value.fields.get(field)


def test_notice_filters():
    assert clean(Kind.NOTICE, "雷达", {"kind": "demand", "status": "open"}) == (
        "雷达",
        {"kind": "demand", "status": "open"},
    )
    with pytest.raises(CriteriaError) as error:
        clean(Kind.NOTICE, "x" * 101, {"kind": "wish", "region": "999999", "sort": "new"})
    assert set(error.value.fields) == {"q", "kind", "region", "sort"}
    with pytest.raises(CriteriaError) as error:
        clean("papers", "", {})
    assert set(error.value.fields) == {"kind"}


def test_query_round_trip():
    params = QueryDict("q=北斗&industry=D01&industry=D05&page=2&sort=updated")
    q, filters = clean(Kind.SUPPLIER, *from_query(Kind.SUPPLIER, params))
    assert filters == {"industry": ["D01", "D05"]}
    url = QueryDict(query_string(Kind.SUPPLIER, q, filters))
    again = clean(Kind.SUPPLIER, *from_query(Kind.SUPPLIER, url))
    assert again == (q, filters)
    names = dict(Industry.objects.values_list("code", "name"))
    assert [value for _label, value in describe(Kind.SUPPLIER, q, filters)] == [
        "北斗",
        f"{names['D01']}、{names['D05']}",
    ]
