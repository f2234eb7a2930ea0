"""The key terms of a notice and of an enterprise profile, cut by the search service's analysis.

Matching has to speak the index's language: ``search.analysis.segment`` is what fills the
``*_words`` fields, so the same function cuts the notice here and a term of the notice is a
term of the index. Where a word stands says how much it tells about the demand (the title
names the thing wanted; the body is mostly procedure), so each place weighs differently, and
words that every notice uses (采购, 需求, 要求 …) are dropped: they would match every supplier.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from search.analysis import segment

#: Words that say "this is a notice" (or "this is a defence supplier"), not what it is about:
#: each would make nearly every profile a candidate (measured: 掌握 alone matched all 100,000
#: seeded profiles, doubling the match latency) while adding nothing to the ranking.
_STOPWORDS = """
采购 需求 要求 项目 提供 支持 具备 具有 满足 相关 以上 以下 单位 企业 公司
有限公司 我们 本次 需要 进行 能够 可以 以及 或者 并且 其中 包括 主要 一批
面向 部队 用于 应用 服务 技术要求 技术 产品 系统 设备 数量 交付 时间 地点
合同 报价 响应 截止 联系 联系人 电话 附件 公告 通知 工作 负责 承担 优先
优于 不少 不低于 不超过 台套 万元 以内 左右 方面 能力 开展 完成 实现 通过
掌握 方向 分批 核心 领域 专注 成立 位于 国防 军队 军用 军方 驻桂 配套 研制 研发
生产 制造 批量 定制 用户 现有 新型 若干 一套 规格 型号
"""
STOPWORDS = frozenset(_STOPWORDS.split())

_NUMBERISH = re.compile(r"^[\d.,%+\-]+[a-zA-Z]{0,3}$")

#: Weight of a word by where it occurs in a notice.
PLACE_WEIGHTS = {"title": 3.0, "industries": 2.0, "summary": 2.0, "body": 1.0}

MAX_TERMS = 24


@dataclass(frozen=True)
class Term:
    word: str
    weight: float


def words(text: str) -> list[str]:
    """The content words of ``text``: segmented like the index documents (search mode, so
    高精度定位 also gives 定位 and 精度), minus stop words and numbers."""
    out = []
    for word in segment(text, for_index=True).split():
        word = word.lower()
        if len(word) < 2 or word in STOPWORDS or _NUMBERISH.match(word):
            continue
        out.append(word)
    return out


def key_terms(places: dict[str, str], limit: int = MAX_TERMS) -> list[Term]:
    """The ``limit`` heaviest words over the given places (``PLACE_WEIGHTS`` keys -> text).

    A word's weight is the sum over its occurrences of its place's weight, damped (square
    root of the count per place) so that a long body repeating a word does not drown the title.
    """
    weights: Counter[str] = Counter()
    for place, text in places.items():
        counts = Counter(words(text))
        for word, count in counts.items():
            weights[word] += PLACE_WEIGHTS.get(place, 1.0) * count**0.5
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [Term(word, round(weight, 3)) for word, weight in ranked]


def body_text(body, include_requirements: bool = True) -> str:
    """Plain text of a notice's StreamField body (paragraphs, requirement lists, table cells).

    ``include_requirements`` is False for a reader who may not read the ``requirements``
    field: its words must not steer (or show up in the explanation of) their matches.
    """
    from django.utils.html import strip_tags

    parts: list[str] = []
    for block in body:
        if block.block_type == "paragraph":
            parts.append(strip_tags(str(block.value.source)))
        elif block.block_type == "requirements":
            if include_requirements:
                parts.append(block.value.get("heading") or "")
                parts.extend(str(item) for item in block.value.get("items") or [])
        elif block.block_type == "table":
            parts.append(block.value.get("caption") or "")
            table = block.value.get("table") or {}
            for row in table.get("data") or []:
                parts.extend(str(cell) for cell in row if cell)
    return "\n".join(part for part in parts if part)


def notice_places(notice, include_requirements: bool = True) -> dict[str, str]:
    """The text of a notice by place, for ``key_terms``."""
    return {
        "title": notice.title,
        "industries": " ".join(industry.name for industry in notice.industries.all()),
        "summary": notice.summary or "",
        "body": body_text(notice.body, include_requirements),
    }
