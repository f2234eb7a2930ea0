"""Readable notice addresses: the pinyin of the title, never percent-encoded Chinese.

``/notices/bei-dou-ding-wei-zhong-duan-cai-gou/`` can be read aloud, typed and pasted
into a chat without turning into ``%E5%8C%97…``. Slugs are unique under the notice index, and
the words the notices app routes itself under /notices/ are never handed out.
"""

from __future__ import annotations

from django.utils.text import slugify
from pypinyin import lazy_pinyin

#: Paths under /notices/ that ``portal.notices.urls`` serves itself.
RESERVED = frozenset({"feed", "responses", "respond", "follow", "interest"})
MAX_LENGTH = 60


def pinyin_slug(title: str) -> str:
    """``北斗终端 RTK 采购`` -> ``bei-dou-zhong-duan-rtk-cai-gou`` (at most 60 characters, cut
    at a word boundary)."""
    words = [slugify(word) for word in lazy_pinyin(title or "")]
    slug = ""
    for word in filter(None, words):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_LENGTH:
            break
        slug = candidate
    return slug[:MAX_LENGTH].strip("-") or "notice"


def unique_slug(title: str, parent, exclude_pk: int | None = None) -> str:
    """A pinyin slug free among ``parent``'s children: ``-2``, ``-3``… when taken."""
    base = pinyin_slug(title)
    taken = set(parent.get_children().exclude(pk=exclude_pk).values_list("slug", flat=True))
    taken |= RESERVED
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base[: MAX_LENGTH - len(str(n)) - 1]}-{n}"
    return slug
