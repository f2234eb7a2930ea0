"""The yearly report built from the dashboard: asked for there, built by the Celery task with
progress, downloaded there; refused years and readers get clear answers."""

from __future__ import annotations

import pytest
from django.test import TestCase
from django.urls import reverse

from portal.statistics import report_builds
from portal.statistics.models import YearlyReport
from tests.factories import UserFactory, login_verified
from tests.papers.conftest import pdftotext, require_poppler, squash

JSON = {"HTTP_ACCEPT": "application/json"}


def test_the_dashboard_offers_the_report_and_the_build_reports_progress(
    client, world, officer, tmp_path, monkeypatch
) -> None:
    require_poppler()
    login_verified(client, officer)
    dashboard = client.get("/statistics/", {"year": 2025}).content.decode()
    build_url = reverse("statistics:report_build", args=[2025])
    assert f'action="{build_url}"' in dashboard and 'id="report-progress"' in dashboard
    status_url = reverse("statistics:report_status", args=[2025])
    assert client.get(status_url).json()["state"] == "none"

    seen: list[tuple[str, int]] = []
    real = report_builds.builds.report

    def watching(row, stage, progress):
        seen.append((stage, progress))
        real(row, stage, progress)

    monkeypatch.setattr(report_builds.builds, "report", watching)
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        answer = client.post(build_url, **JSON)
    assert answer.status_code == 200 and answer.json()["state"] == "queued"
    assert len(callbacks) == 1
    stages = [stage for stage, _progress in seen]
    assert stages[0] == "collecting" and "layout" in stages and stages[-1] == "writing"
    percents = [progress for _stage, progress in seen]
    assert percents == sorted(percents) and len(set(percents)) > 10  # a bar that moves

    status = client.get(status_url).json()
    assert status["state"] == "ready" and status["progress"] == 100
    assert status["download_url"] == reverse("statistics:report", args=[2025])
    response = client.get(status["download_url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    assert "2025年度统计监测报告" in squash(pdftotext(path))
    assert YearlyReport.objects.get(year=2025).pages >= 10


def test_the_same_day_reuses_the_report(client, world, officer) -> None:
    login_verified(client, officer)
    build_url = reverse("statistics:report_build", args=[2025])
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(build_url, **JSON)
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        again = client.post(build_url, **JSON)
    assert callbacks == [] and again.json()["state"] == "ready"
    # A report counted on an earlier day is counted again.
    YearlyReport.objects.update(fingerprint="2025:2000-01-01")
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        waiting = client.get(reverse("statistics:report", args=[2025]))
    assert waiting.status_code == 202 and len(callbacks) == 1
    html = waiting.content.decode()
    assert "<progress" in html and 'http-equiv="refresh"' not in html


@pytest.mark.django_db
def test_a_refused_year_is_a_clear_400(client, officer) -> None:
    login_verified(client, officer)
    response = client.post(reverse("statistics:report_build", args=[1999]), **JSON)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"]["year"] and "2000" in error["message"]
    assert not YearlyReport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "procurement", "editor"])
def test_others_get_404(client, who) -> None:
    if who != "anonymous":
        client.force_login(UserFactory(username=f"r-{who}", roles=[who]))
    for name in ("report", "report_status"):
        assert client.get(reverse(f"statistics:{name}", args=[2025])).status_code == 404
    assert client.post(reverse("statistics:report_build", args=[2025])).status_code == 404
    assert not YearlyReport.objects.exists()
