"""The known industry names nearest to a name that is not in the alias table ("did you mean").

``normalise_industry`` never guesses; when it finds nothing, the person who wrote the name
needs a hint of what would be accepted. The hint must be explainable, so the measure is the
Dice coefficient of character bigrams: twice the bigrams two spellings share, divided by the
bigrams both have (智能制造 and 智能制造装备 share 智能, 能制, 制造: 2 × 3 / (3 + 5) = 0.75).
Every name and alias is compared; a direction scores as its best spelling, and is shown by its
own name, which is what the reader should write.
"""

from __future__ import annotations

from .aliases import load_industries, load_industry_aliases, normalise_text

#: Below this a spelling shares too little to be a plausible intent (one bigram of five).
MIN_SIMILARITY = 0.4
MAX_SUGGESTIONS = 3


def bigrams(text: str) -> set[str]:
    """Character bigrams of the folded text; a single character stands for itself."""
    folded = normalise_text(text)
    if len(folded) < 2:
        return {folded} if folded else set()
    return {folded[i : i + 2] for i in range(len(folded) - 1)}


def similarity(left: str, right: str) -> float:
    """Dice coefficient of the two texts' bigrams, from 0 (nothing shared) to 1 (same set)."""
    a, b = bigrams(left), bigrams(right)
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def nearest_industry_names(text: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Names of the at most ``limit`` directions whose spellings are nearest to ``text``.

    Best first; equal scores keep the reference order (D01 before D02). Empty if nothing
    reaches ``MIN_SIMILARITY``.
    """
    industries = load_industries()
    spellings = [(industry["name"], [industry["code"]]) for industry in industries]
    spellings += [(alias["text"], alias["codes"]) for alias in load_industry_aliases()]
    scores: dict[str, float] = {}
    for spelling, codes in spellings:
        score = similarity(text, spelling)
        for code in codes:
            scores[code] = max(scores.get(code, 0.0), score)
    order = {industry["code"]: position for position, industry in enumerate(industries)}
    close = [code for code, score in scores.items() if score >= MIN_SIMILARITY]
    close.sort(key=lambda code: (-scores[code], order[code]))
    names = {industry["code"]: industry["name"] for industry in industries}
    return [names[code] for code in close[:limit]]
