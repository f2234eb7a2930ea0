"""Record a supplier search for the "search terms with no results" figure.

Called by the supplier search page and API after the engine answered (``directory_search``,
its only caller). It must stay cheap and must never break a search: one UPSERT (``INSERT … ON
CONFLICT … DO UPDATE``, which PostgreSQL and SQLite both speak) inside its own savepoint, and
any database error is logged and dropped.

The figure is read by staff as "what people look for that the registry lacks", so only what a
person plausibly typed into the directory counts:

- the first page of an unfiltered search: paging is not a new search, and a search narrowed by
  facets that finds nothing says the combination is empty, not that the term is missing;
- an empty query (browsing the directory) is not a search term;
- ``is_search_term`` drops junk: longer than ``TERM_RECORD_MAX_LENGTH``, URLs, domain names and
  e-mail addresses (scanners probe with ``evil.example``), markup and template syntax, control
  characters, and strings without a single letter or CJK character;
- each client address records at most ``TERMS_PER_CLIENT_PER_MINUTE`` terms a minute (a counter
  in the cache), so one script cannot fill the chart.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .models import TERM_MAX_LENGTH, SearchTerm

logger = logging.getLogger(__name__)
_SPACE = re.compile(r"\s+")

#: Longer "terms" are pasted text or probes, not something people look for; they are dropped,
#: not cut, so that no truncated pseudo-term reaches the chart.
TERM_RECORD_MAX_LENGTH = 50
TERMS_PER_CLIENT_PER_MINUTE = 10
_URL = re.compile(r"[a-z][a-z0-9+.\-]*://|^(?:www\.|javascript:|data:|mailto:|file:)")
_DOMAIN = re.compile(r"(?:^|\s|@)(?:[a-z0-9\-]+\.)+[a-z]{2,}(?::\d+)?(?:/\S*)?(?:\s|$)")
_MARKUP = re.compile(r"[<>{}\\`]|\.\./|&#?\w+;")

_UPSERT = (
    "INSERT INTO {table} (term, day, searches, zero_results) VALUES (%s, %s, 1, %s) "
    "ON CONFLICT (term, day) DO UPDATE SET "
    "searches = {table}.searches + 1, "
    "zero_results = {table}.zero_results + excluded.zero_results"
)


def normalise_term(query: str | None) -> str:
    """One spelling per term: full-width folded (NFKC), case folded, spaces collapsed."""
    text = unicodedata.normalize("NFKC", query or "")
    return _SPACE.sub(" ", text).strip().casefold()[:TERM_MAX_LENGTH].strip()


def is_search_term(term: str) -> bool:
    """Whether a normalised term is something a person looks for (see the module docstring)."""
    if not term or len(term) > TERM_RECORD_MAX_LENGTH:
        return False
    if any(unicodedata.category(char).startswith("C") for char in term):
        return False
    if _URL.search(term) or _DOMAIN.search(term) or _MARKUP.search(term):
        return False
    return any(unicodedata.category(char).startswith("L") for char in term)


def _within_rate(client: str) -> bool:
    """Count one term for ``client`` in this minute's cache counter; False past the limit.
    A cache outage records nothing rather than everything."""
    key = f"statistics:terms:{client}:{int(time.time() // 60)}"
    try:
        cache.add(key, 0, timeout=120)
        return cache.incr(key) <= TERMS_PER_CLIENT_PER_MINUTE
    except Exception:  # the cache is best effort here: never break the search
        logger.warning("Could not count search terms for %s", client, exc_info=True)
        return False


def record_search(
    query: str | None, total: int, page: int | str = 1, *, client: str, filtered: bool = False
) -> None:
    """Count one search for ``query`` today; ``total`` is how many hits it had, ``client`` the
    searcher's address (``portal.core.clients.client_address``), ``filtered`` whether facets
    narrowed it."""
    term = normalise_term(query)
    if filtered or str(page) not in ("1", "") or not is_search_term(term):
        return
    if not _within_rate(client):
        return
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                _UPSERT.format(table=table),
                [term, timezone.localdate(), 1 if total == 0 else 0],
            )
    except DatabaseError:
        logger.warning("Could not record the search term %r", term, exc_info=True)
