"""Record a supplier search for the "search terms with no results" figure.

Called by the supplier search page and API after the engine answered. It must stay cheap and
must never break a search: one UPSERT (``INSERT … ON CONFLICT … DO UPDATE``, which PostgreSQL
and SQLite both speak) inside its own savepoint, and any database error is logged and dropped.
Only the first page of a query counts, so paging through results is not counted as new
searches; an empty query (browsing the directory) is not a search term.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .models import TERM_MAX_LENGTH, SearchTerm

logger = logging.getLogger(__name__)
_SPACE = re.compile(r"\s+")

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


def record_search(query: str | None, total: int, page: int | str = 1) -> None:
    """Count one search for ``query`` today; ``total`` is how many hits it had."""
    term = normalise_term(query)
    if not term or str(page) not in ("1", ""):
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
