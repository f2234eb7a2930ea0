"""What a match list is, whichever side it comes from: a page of ranked rows with explanations.

The API returns ``as_dict()``; the pages render the same rows, so the two never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from search.queries import MAX_WINDOW

_MARK = re.compile(r"<mark>(.*?)</mark>")


@dataclass
class Match:
    """One ranked row: the item as the reader may see it, its score and why it matched."""

    item: dict[str, Any]
    score: float
    relevance: int  # 0-100, the score against the best of the list, for the score bar
    terms: list[str]
    qualifications: list[dict[str, Any]]
    snippet: list[str] = field(default_factory=list)

    @property
    def bar_step(self) -> int:
        """The score bar's width in steps of 5 %: the bar is drawn with one of 21 classes
        (``score__fill--0`` … ``--100``, static/css/matching.css) because the
        Content-Security-Policy refuses inline ``style`` attributes."""
        return 5 * round(self.relevance / 5)

    def as_dict(self, key: str) -> dict[str, Any]:
        return {
            key: self.item,
            "score": round(self.score, 4),
            "relevance": self.relevance,
            "explanation": {"terms": self.terms, "qualifications": self.qualifications},
        }


@dataclass
class MatchPage:
    """One page of a match list; ``key`` names the matched item ("enterprise" or "notice")."""

    key: str
    total: int
    page: int
    page_size: int
    results: list[Match]
    terms: list[str] = field(default_factory=list)  # the key terms the list was ranked on

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_WINDOW) // self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.total,
            "page": self.page,
            "pages": self.pages,
            "terms": self.terms,
            "results": [match.as_dict(self.key) for match in self.results],
        }


def marked(fragments: list[str]) -> list[str]:
    """The words between <mark> tags in highlight fragments, in order, once each."""
    found: list[str] = []
    for fragment in fragments:
        for word in _MARK.findall(fragment):
            word = word.strip().lower()
            if word and word not in found:
                found.append(word)
    return found


def relevance(score: float, best: float) -> int:
    if not best or best <= 0:
        return 0
    return max(1, min(100, round(100 * score / best)))
