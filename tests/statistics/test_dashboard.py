"""The dashboard, its CSV exports and API: staff only (404 for everyone else)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.statistics.exports import figure_csv
from portal.statistics.figures import Figure
from tests.factories import UserFactory, login_verified

DASHBOARD = "/statistics/"
PERIOD = {"year": 2025}


@pytest.fixture
def staff(db):
    return UserFactory(username="stats-staff", is_staff=True)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "registered", "procurement", "editor", "enterprise"])
def test_others_get_404(client, who) -> None:
    if who != "anonymous":
        roles = [] if who == "registered" else [who]
        client.force_login(UserFactory(username=f"u-{who}", roles=roles))
    assert client.get(DASHBOARD).status_code == 404
    assert client.get("/statistics/industry.csv").status_code == 404
    assert client.get("/api/v1/statistics/industry/").status_code == 404
    assert client.get("/api/v1/statistics/").status_code == 404


@pytest.mark.parametrize("who", ["staff", "reviewer", "officer"])
def test_staff_reviewers_and_officers_see_the_dashboard(client, world, request, who) -> None:
    login_verified(client, request.getfixturevalue(who))
    response = client.get(DASHBOARD, PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    for key in (
        "industry",
        "region",
        "qualification",
        "approvals",
        "notices",
        "responses",
        "terms",
    ):
        assert f'id="figure-{key}"' in html
        assert f"/statistics/{key}.csv?start=2025-01-01&amp;end=2025-12-31" in html
    assert "vendor/echarts/echarts.min.js" in html
    assert "<svg" in html and "<table" in html  # drawn without JavaScript, and as a table


def test_dashboard_shows_only_what_the_viewer_may_see(client, world, reviewer, officer) -> None:
    login_verified(client, reviewer)
    assert "某型雷达部件定向需求" not in client.get(DASHBOARD, PERIOD).content.decode()
    login_verified(client, officer)
    assert "某型雷达部件定向需求" in client.get(DASHBOARD, PERIOD).content.decode()


def test_bad_period_is_a_clear_error(client, officer) -> None:
    login_verified(client, officer)
    response = client.get(DASHBOARD, {"start": "2025-05-01", "end": "2025-01-01"})
    assert response.status_code == 400
    assert "form-errors" in response.content.decode()
    response = client.get("/statistics/region.csv", {"start": "2025-05-01"})
    assert response.status_code == 400
    assert client.get("/statistics/nonsense.csv").status_code == 404


def test_csv_export_is_utf8_with_bom(client, world, officer) -> None:
    login_verified(client, officer)
    response = client.get("/statistics/region.csv", PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "statistics-region-20250101-20251231.csv" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 16  # header, 14 cities, autonomous-region level
    assert lines[1] == "南宁市,2"
    assert lines[2] == "柳州市,1"


def test_csv_neutralises_formulas() -> None:
    figure = Figure("terms", "t", "hbar", ["Search term", "n"], [["=HYPERLINK(1)", 1], ["-2", 2]])
    assert figure_csv(figure).splitlines() == ["Search term,n", "'=HYPERLINK(1),1", "'-2,2"]


def test_api_returns_a_figure(client, world, officer) -> None:
    login_verified(client, officer)
    listing = client.get("/api/v1/statistics/").json()
    assert [item["key"] for item in listing["results"]][:2] == ["industry", "region"]
    body = client.get("/api/v1/statistics/responses/", PERIOD).json()
    assert body["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert [row[3] for row in body["rows"]] == [2, 1, 0, 0]
    bad = client.get("/api/v1/statistics/responses/", {"start": "2025-01-01"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid"


def test_admin_menu_item_only_for_statistics_readers(client, reviewer) -> None:
    login_verified(client, reviewer)
    assert reverse("statistics:dashboard") in client.get("/admin/").content.decode()
    login_verified(client, UserFactory(username="stats-editor", roles=["editor"]))
    assert reverse("statistics:dashboard") not in client.get("/admin/").content.decode()


def test_without_parameters_the_current_year_is_shown(client, officer) -> None:
    from django.utils import timezone

    login_verified(client, officer)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    year = timezone.localdate().year
    assert response.context["period"].start.isoformat() == f"{year}-01-01"
    assert f'<option value="{year}" selected>' in response.content.decode()
