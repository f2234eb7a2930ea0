"""What the statistics keep of their own: searches, counted per term and day.

The other figures are computed from the registry, notices and responses as they stand; search
terms leave no trace anywhere else, so the supplier search records each query here
(``recording.record_search``). One row per normalised term and day, counters only: no user, no
IP address, so the table says what people look for without saying who looked.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.builds import BuiltFile

#: Longer queries are cut: the search itself refuses more than 200 characters, and a term this
#: long is a pasted paragraph, not something to spot a gap in the registry with.
TERM_MAX_LENGTH = 100


class SearchTerm(models.Model):
    term = models.CharField(_("search term"), max_length=TERM_MAX_LENGTH)
    day = models.DateField(_("day"))
    searches = models.PositiveIntegerField(_("searches"), default=0)
    zero_results = models.PositiveIntegerField(_("searches without results"), default=0)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        ordering = ["-day", "term"]
        constraints = [
            # The UPSERT in ``recording`` conflicts on exactly these columns.
            models.UniqueConstraint(fields=["term", "day"], name="statistics_term_day_unique")
        ]
        indexes = [models.Index(fields=["day"], name="statistics_term_day_idx")]

    def __str__(self) -> str:
        return f"{self.term} ({self.day:%Y-%m-%d})"


class YearlyReport(BuiltFile):
    """The yearly monitoring report of one year, built from the dashboard in the background
    (``report_builds``). Its fingerprint is the year and the day it was counted on: the
    figures move as the registry does, so a report is rebuilt on the first request of a day."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)

    class Meta:
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")

    def __str__(self) -> str:
        return f"{self.year} ({self.status})"
