"""Fixtures for papers: short papers built through the real publish path, PDFs built by the
real task (Celery runs eagerly in tests), and users at each clearance."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.functional import empty

from portal.accounts import roles
from portal.core import storage
from portal.papers.demo import create_paper
from portal.papers.demo_text import Body
from portal.papers.models import PaperPage
from tests.browser.conftest import page  # noqa: F401 - headless Chromium, for test_admin_browser

TITLE = "广西北斗产业军民融合白皮书（测试）"
HEADINGS = ["总体情况", "北斗导航产业布局", "展望与建议"]


def short_blocks() -> list[dict]:
    """Three chapters with every kind of block, long enough to span several pages."""
    body = Body()
    body.text("前言：本书依据桂政办发〔2016〕112号编写。")
    body.chapter(HEADINGS[0])
    body.key_figures("主要数据", [("128", "家", "认证企业"), ("14", "个", "设区市")])
    body.text(*["建立数据库和数据共享机制、信息分级分类发布机制，及时发布供需信息。" * 6] * 8)
    body.footnote("供需对接平台按四级发布信息。", "公开、注册、认证、定向。")
    body.chapter(HEADINGS[1])
    body.table(
        "各市北斗企业数量", [["设区市", "企业数"], ["南宁市", 12], ["桂林市", 7]], "平台数据库"
    )
    body.chart(
        "bar",
        "各市北斗企业数量",
        [["设区市", "企业数"], ["南宁市", 12], ["桂林市", 7]],
        "家",
        "平台",
    )
    body.chart("line", "历年新增企业", [["年份", "新增"], ["2024", 3], ["2025", 8]], "家", "平台")
    body.chart("pie", "产业构成", [["方向", "企业数"], ["北斗", 5], ["石墨烯", 3]], "家", "平台")
    body.quote("适时发布地区军民融合白皮书蓝皮书。", "专栏6第20项")
    body.text(*["促进军民用技术成果双向转移，推动北斗导航产业向东盟延伸。" * 8] * 10)
    body.chapter(HEADINGS[2])
    body.text(*["遴选推介有关重点企业和优势技术进入绿色通道。" * 8] * 6)
    return body.blocks


@pytest.fixture
def make_paper(django_capture_on_commit_callbacks) -> Callable[..., PaperPage]:
    """Publish a paper; the publish signal's PDF build runs (eagerly) after the commit."""
    counter = iter(range(1, 1000))

    def build(blocks=None, *, build_pdf: bool = True, **fields) -> PaperPage:
        fields.setdefault("slug", f"paper-{next(counter)}")
        fields.setdefault("title", TITLE)
        with django_capture_on_commit_callbacks(execute=build_pdf):
            return create_paper(blocks if blocks is not None else short_blocks(), **fields)

    return build


@pytest.fixture
def paper(make_paper) -> PaperPage:
    return make_paper()


@pytest.fixture(autouse=True)
def _private_media(tmp_path, settings) -> Iterator[None]:
    """PDFs land in a throwaway folder: the private storage is lazy, so make it read again."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    storage._storage._wrapped = empty
    yield
    storage._storage._wrapped = empty


@pytest.fixture
def vetted_user(django_user_model):
    user = django_user_model.objects.create_user(
        "procurement-officer", "po@example.org", "Secret-pass-2026"
    )
    user.email_verified_at = timezone.now()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=roles.PROCUREMENT)[0])
    return user


@pytest.fixture
def registered_user(django_user_model):
    user = django_user_model.objects.create_user("reader", "reader@example.org", "Secret-2026-x")
    user.email_verified_at = timezone.now()
    user.save()
    return user


def pdftotext(path: Path, first: int | None = None, last: int | None = None) -> str:
    """Text of a PDF (poppler-utils, installed by `make test`)."""
    args = ["pdftotext"]  # reading order: -layout interleaves the contents' leaders
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run(
        [*args, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def squash(text: str) -> str:
    """Text without whitespace: covers wrap titles and letter-space headings."""
    return "".join(text.split())


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages"))
    )


def require_poppler() -> None:
    for tool in ("pdftotext", "pdffonts", "pdfinfo"):
        if shutil.which(tool) is None:  # pragma: no cover - environment problem
            pytest.fail(f"{tool} is missing: `make test` installs poppler-utils.")
