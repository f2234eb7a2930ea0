"""The Wagtail admin in Chinese for every staff role: each page a role works on, rendered in
Chromium (the editor's block menus, Draftail and the table editor are drawn by script), shows
no English words but a short list of names.

What is read is what a person meets: the rendered text, and the placeholders, labels and
tooltips of the elements; what users typed (titles, names, addresses) is left out.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from portal.notices.models import NoticePage
from tests.browser.scene import Scene, build_scene, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = os.environ.get("PORTAL_SCREENSHOTS")

#: Words allowed to stay in Latin letters, with the reason.
PROPER_NOUNS = {
    "Wagtail": "the admin's own name, shown in its footer and logo title",
    "PDF": "the file format, written so in Chinese too",
    "API": "the programming interface, written so in Chinese too",
    "USCC": "the unified social credit code's usual abbreviation",
    "GJB": "the national military standards' code (国军标), e.g. GJB 9001C",
    "ISO": "international standards, e.g. ISO 9001",
    "Excel": "the spreadsheet format of imports and exports",
    "CSV": "the file format of the statistics downloads",
    "RSS": "the feed format",
    "Atom": "the feed format",
    "URL": "a web address, written so in Chinese too",
    "MB": "the unit of file sizes, written so in Chinese too",
    "English": "the language switch names the language in that language",
}

WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
#: Names written for machines, shown as examples of what to type: ``notices.noticepage:12``,
#: ``.xlsx``, ``http://domain.com/blog/[my-slug]/``.
IDENTIFIER = re.compile(r"https?://\S+|[\w.]*\.[A-Za-z_:]\w*(:\w+)?")

#: What a person sees: the rendered text, then the words elements say without showing them.
#: Select lists are left out: the account page's time zone and language pickers list names as
#: their places and languages write them (Africa/Abidjan, Deutsch).
READ_PAGE = """() => {
  const skip = 'script, style, template, noscript, select, textarea, [hidden]';
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest(skip) || !element.checkVisibility()) continue;
    parts.push(node.textContent);
  }
  // Draftail draws its placeholder as generated content.
  for (const block of document.querySelectorAll('.Draftail-block--empty')) {
    parts.push(getComputedStyle(block, '::before').content);
  }
  const attributes = ['placeholder', 'aria-label', 'title', 'alt', 'aria-description'];
  for (const element of document.querySelectorAll('body *')) {
    if (element.closest(skip)) continue;
    for (const name of attributes) {
      const value = element.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  return parts.join('\\n');
}"""


def english_lines(text: str, user_texts: list[str]) -> list[str]:
    """The lines of ``text`` that carry an English word, once user content is taken out."""
    for value in sorted(user_texts, key=len, reverse=True):
        text = text.replace(value, " ")
    text = IDENTIFIER.sub(" ", text)
    found = []
    for line in text.splitlines():
        words = [word for word in WORD.findall(line) if word not in PROPER_NOUNS]
        if words:
            found.append(line.strip())
    return sorted(set(found))


def admin_pages(scene: Scene) -> dict[str, list[str]]:
    """Per role, the admin pages they work on (docs/roles.md)."""
    notice, paper, submitted = scene.notice, scene.paper, scene.submitted
    common = ["/admin/", "/admin/pages/", "/admin/account/"]
    release = f"/admin/classification/item/notices/noticepage/{notice.pk}/"
    return {
        "procurement": [*common, f"/admin/pages/{notice.pk}/edit/"],
        "editor": [
            *common,
            f"/admin/pages/{notice.get_parent().pk}/",
            f"/admin/pages/{notice.pk}/edit/",
            f"/admin/pages/{paper.pk}/edit/",
            f"/admin/pages/add/notices/noticepage/{notice.get_parent().pk}/",
        ],
        "reviewer": [
            *common,
            "/admin/enterprises/review/",
            f"/admin/enterprises/review/{submitted.pk}/",
            "/admin/enterprises/review/all/",
            "/admin/enterprises/import/",
            "/admin/enterprises/claims/",
            "/statistics/",
        ],
        "classification_officer": [
            *common,
            "/admin/classification/",
            release,
            "/admin/classification/requests/",
            "/admin/classification/log/",
            f"/admin/pages/{paper.pk}/edit/",
        ],
        "publisher": [*common],
        "admin": [*common, "/admin/users/", "/admin/groups/", "/statistics/"],
    }


def test_every_staff_page_is_in_chinese(live_server, page) -> None:
    scene = build_scene()
    users = {**scene.staff, "admin": scene.superuser}
    english: dict[str, list[str]] = {}
    for role, paths in admin_pages(scene).items():
        sign_in(page, live_server, users[role])
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (role, path, response.status)
            page.wait_for_load_state("networkidle")
            if SHOTS:
                name = f"admin-{role}-{path.strip('/').replace('/', '-') or 'home'}.png"
                page.screenshot(path=str(Path(SHOTS) / name), full_page=True)
            if role == "editor" and path == "/admin/":
                assert page.get_by_text("隐私与访问").first.is_visible()  # recent edits
            lines = english_lines(page.evaluate(READ_PAGE), scene.user_texts())
            if lines:
                english[f"{role} {path}"] = lines
    assert not english, "\n".join(f"{key}: {lines}" for key, lines in english.items())


def test_add_form_editors_and_errors_are_in_chinese(live_server, page) -> None:
    """What the editor draws only on demand — the block menu, an empty paragraph's
    placeholder, the table editor with its right-click menu — and the errors of a save; and
    typing into an add form saves nothing (no autosave, so no stray draft)."""
    scene = build_scene()
    sign_in(page, live_server, scene.staff["editor"])
    index = scene.notice.get_parent()
    notices = NoticePage.objects.count()
    page.goto(f"{live_server.url}/admin/pages/add/notices/noticepage/{index.pk}/")
    page.locator("#id_title").fill(scene.notice.title)
    page.locator("#id_summary").fill("同名的第二条需求。")
    page.wait_for_timeout(1500)  # Wagtail's autosave would have saved a draft by now
    assert NoticePage.objects.count() == notices
    body = page.locator("[data-contentpath=body]")

    body.locator("button.c-sf-add-button").first.click()
    menu = page.get_by_role("listbox")
    assert menu.is_visible()
    seen = [page.evaluate(READ_PAGE)]
    menu.get_by_role("option", name="段落").click()
    empty = body.locator(".Draftail-block--empty").first
    placeholder = empty.evaluate("block => getComputedStyle(block, '::before').content")
    assert placeholder == '"输入内容，或输入“/”插入内容块"'
    seen.append(page.evaluate(READ_PAGE))

    body.locator("button.c-sf-add-button").last.click()
    page.get_by_role("listbox").get_by_role("option", name="表格").click()
    body.locator(".htCore td").first.click(button="right")
    assert page.locator(".htContextMenu").get_by_text("在上方插入行").is_visible()
    seen.append(page.evaluate(READ_PAGE))
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "admin-editor-table-menu.png"))
    page.keyboard.press("Escape")

    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    assert page.get_by_text("存在校验错误，页面未能创建。").is_visible()
    page.get_by_role("tab").filter(has_text="推荐").click()
    assert page.get_by_text("已被同一上级页面下的其他页面使用").is_visible()  # the slug
    assert NoticePage.objects.count() == notices
    seen.append(page.evaluate(READ_PAGE))
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "admin-editor-errors.png"))

    lines = english_lines("\n".join(seen), scene.user_texts())
    assert not lines, lines
