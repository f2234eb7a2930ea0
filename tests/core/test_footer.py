"""The frame every page carries: a footer with 主办单位, contact and ICP备案 from the settings
(read from the environment in one place), the accessibility statement, and the favicon."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from portal.settings import base

ROOT = Path(__file__).resolve().parents[2]
FOOTER = {
    "SITE_ORGANIZER": "广西壮族自治区工业和信息化厅",
    "SITE_CONTACT_PHONE": "0771-2800000",
    "SITE_CONTACT_EMAIL": "junmin@gxgxt.example",
    "SITE_ICP_NUMBER": "桂ICP备12345678号-1",
}


@pytest.fixture
def footer_settings(settings):
    for key, value in FOOTER.items():
        setattr(settings, key, value)
    return settings


@pytest.mark.django_db
def test_the_footer_names_organizer_contact_and_icp_number(client, footer_settings) -> None:
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "主办单位：广西壮族自治区工业和信息化厅" in footer
    assert 'href="tel:0771-2800000"' in footer and 'href="mailto:junmin@gxgxt.example"' in footer
    assert re.search(r'href="https://beian.miit.gov.cn/"[^>]*>桂ICP备12345678号-1</a>', footer)
    assert f'href="{reverse("accessibility")}">无障碍声明</a>' in footer


@pytest.mark.django_db
def test_empty_settings_leave_their_items_out(client, settings) -> None:
    for key in FOOTER:
        setattr(settings, key, "")
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]
    assert (
        "主办单位" not in footer and "beian.miit.gov.cn" not in footer and "mailto:" not in footer
    )


def test_the_settings_come_from_the_environment_in_one_place() -> None:
    """Each is listed in ENVIRONMENT_VARIABLES (kept in step with docker/ by its own test) and
    read by base.py from the environment."""
    env = dict(FOOTER)
    code = "from portal.settings import base; print(base.SITE_ICP_NUMBER, base.SITE_ORGANIZER)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["桂ICP备12345678号-1", "广西壮族自治区工业和信息化厅"]
    assert set(FOOTER) <= set(base.ENVIRONMENT_VARIABLES)


@pytest.mark.django_db
def test_the_accessibility_statement_gives_the_contact(client, footer_settings) -> None:
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>无障碍声明</h1>" in html and "GB/T 37668-2019" in html
    assert "mailto:junmin@gxgxt.example" in html and "0771-2800000" in html
    assert client.post(reverse("accessibility")).status_code == 405


@pytest.mark.django_db
def test_every_page_links_the_svg_favicon(client) -> None:
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    svg = Path(finders.find("favicon.svg")).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and 'viewBox="0 0 64 64"' in svg
