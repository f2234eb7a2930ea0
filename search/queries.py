"""What people type, made safe to search: text, phrases and paging, and the text query.

Parameters are validated here against allow-lists (the text must not carry engine syntax,
pages stay inside the engine's window); anything else raises ``QueryError`` with a message for
people, which pages show and the API turns into a 400. The searches themselves build on
``search.faceted``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from elasticsearch_dsl import Q

from .analysis import compound_parts, normalise_codes, segment
from .registry import SearchIndex

MAX_QUERY_LENGTH = 200
MAX_PAGE_SIZE = 100
MAX_WINDOW = 10_000

_ENGINE_SYNTAX = re.compile(r"[{}\[\]*?\\^~<>|]|(^|\s)[A-Za-z_]+\s*:|&&|\|\|")


class QueryError(ValueError):
    """A search parameter a person typed that cannot be searched; the message says why."""

    def __init__(self, message: str, field: str = "q") -> None:
        super().__init__(message)
        self.field = field


def clean_text(q: str | None) -> tuple[str, list[str]]:
    """(free text, exact phrases) of what the user typed, or QueryError."""
    q = (q or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryError(_("The query is too long (at most %d characters).") % MAX_QUERY_LENGTH)
    if _ENGINE_SYNTAX.search(q):
        raise QueryError(_("The query contains characters that cannot be searched."))
    if q.count('"') % 2 or q.count("“") != q.count("”"):
        raise QueryError(_("The query has an unclosed quotation mark."))
    normalised = q.replace("“", '"').replace("”", '"')
    phrases = [p.strip() for p in re.findall(r'"([^"]*)"', normalised) if p.strip()]
    text = re.sub(r'"[^"]*"', " ", normalised).strip()
    return text, phrases


def clean_paging(page: Any, page_size: Any) -> tuple[int, int]:
    try:
        page, page_size = int(page or 1), int(page_size or 20)
    except (TypeError, ValueError) as error:
        raise QueryError(_("Page and page size must be whole numbers."), "page") from error
    if page < 1:
        raise QueryError(_("The page number must be 1 or more."), "page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise QueryError(_("The page size must be between 1 and %d.") % MAX_PAGE_SIZE, "page_size")
    if page * page_size > MAX_WINDOW:
        raise QueryError(_("Results beyond the first %d cannot be paged to.") % MAX_WINDOW, "page")
    return page, page_size


#: Words that carry no meaning in any search (a search may drop more of its own).
STOP_WORDS = frozenset({"的", "和", "与", "及", "或", "等", "之", "了"})

#: How much more a match of the whole text as one phrase counts than its terms one by one.
WHOLE_PHRASE_BOOST = 3.0


@dataclass(frozen=True)
class Term:
    """One meaningful term of a query: a dictionary word, or a run of characters the dictionary
    does not know (an unknown name, a slip of the input method), kept together.

    It matches as itself in the segmented fields, or as all of its ``parts`` (the shorter words
    a compound is made of); and, when ``phrase``, as a phrase of the character fields. A lone
    character inside a longer typed term is no phrase, so that it never matches through a
    character a document happens to hold. A ``word`` (segmentation cut it whole) is found by
    the segmented fields wherever a document holds it as a word, so its phrase need only read
    the fields where segmentation has the least context (``term_phrase_fields``); a run of
    characters is a phrase of every character field."""

    text: str
    parts: tuple[str, ...]
    phrase: bool
    word: bool = True


def query_terms(text: str) -> list[Term]:
    """The terms of ``text``, in order, once each: each typed term cut into dictionary words,
    stop words dropped, runs of single characters joined again."""
    terms: dict[str, Term] = {}
    for typed in normalise_codes(text).split():
        for term in _typed_terms(typed):
            terms.setdefault(term.text.lower(), term)
    return list(terms.values())


def _typed_terms(typed: str) -> Iterator[Term]:
    run: list[str] = []
    for word in [*segment(typed).split(), ""]:  # the empty word closes the last run
        if len(word) == 1 and _is_cjk(word) and word not in STOP_WORDS:
            run.append(word)
            continue
        if len(run) > 1 or run == [typed]:
            yield Term("".join(run), tuple(run) if len(run) > 1 else (), True, word=False)
        elif run:
            yield Term(run[0], (), False, word=False)
        run = []
        if word and word not in STOP_WORDS:
            yield Term(word, compound_parts(word), True)


def partial_terms(text: str) -> list[Term]:
    """The terms of ``text`` a partial match may rest on: those of two or more characters (a
    lone character is no evidence of anything); none when the text has fewer than two terms,
    since a partial match of one term is the match itself."""
    terms = query_terms(text)
    if len(terms) < 2:
        return []
    return [term for term in terms if len(term.text) > 1]


def required_terms(count: int) -> int:
    """How many of ``count`` terms a hit must match: all of a short query; of a long one, the
    many ways firms describe one product word it differently, so one term may be missing from
    four or five, and three in ten from longer ones."""
    if count <= 2:
        return count
    if count <= 4:
        return count - 1
    return math.ceil(count * 0.7)


def text_query(
    text: str, phrases: list[str], indices: list[SearchIndex], *, partial: bool = False
) -> Q:
    """Each term of ``text`` as written in the character fields (``Term.word``) or as its
    words in the segmented ones (with synonyms), most terms required (``required_terms``);
    the whole text as one phrase scores more, names and titles most (the fields' boosts).
    Quoted ``phrases`` must each appear as written. ``lenient``: a field that one index maps
    differently (an enterprise's ``summary`` is stored, not searchable) is skipped there
    instead of failing that index's shard.

    ``partial``: any one term of two or more characters is enough (``partial_terms``), for
    the partial matches a short result list is filled up with, listed apart from it."""
    clauses = []
    terms = partial_terms(text) if partial else query_terms(text)
    if terms:
        clauses.append(
            Q(
                "bool",
                should=[_term_query(term, indices) for term in terms],
                minimum_should_match=1 if partial else required_terms(len(terms)),
            )
        )
    for phrase in phrases:
        clauses.append(_phrase(phrase, indices))
    if not clauses:
        return Q("match_all")
    boost = [_phrase(text, indices, boost=WHOLE_PHRASE_BOOST)] if len(terms) > 1 else []
    return Q("bool", must=clauses, should=boost)


def _term_query(term: Term, indices: list[SearchIndex]) -> Q:
    alternatives = [_words(term.text, indices)]
    if term.parts:
        alternatives.append(_words(" ".join(term.parts), indices))
    if term.phrase:
        fields = _term_phrase_fields(indices) if term.word else None
        alternatives.append(_phrase(term.text, indices, fields=fields))
    if len(alternatives) == 1:
        return alternatives[0]
    return Q("bool", should=alternatives, minimum_should_match=1)


def _words(words: str, indices: list[SearchIndex]) -> Q:
    return Q(
        "multi_match",
        query=words,
        type="most_fields",
        fields=_fields(indices, "word_fields"),
        operator="and",
        lenient=True,
    )


def _phrase(
    text: str, indices: list[SearchIndex], boost: float = 1.0, fields: list[str] | None = None
) -> Q:
    return Q(
        "multi_match",
        query=text,
        type="phrase",
        fields=fields or _fields(indices, "phrase_fields"),
        lenient=True,
        boost=boost,
    )


def _is_cjk(character: str) -> bool:
    return "\u3400" <= character <= "\u9fff" or "\uf900" <= character <= "\ufaff"


def _term_phrase_fields(indices: list[SearchIndex]) -> list[str]:
    return list(
        dict.fromkeys(
            name for index in indices for name in index.term_phrase_fields or index.phrase_fields
        )
    )


def _fields(indices: list[SearchIndex], kind: str) -> list[str]:
    return list(dict.fromkeys(name for index in indices for name in getattr(index, kind)))
