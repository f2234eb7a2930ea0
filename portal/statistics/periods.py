"""The period a statistics view or report covers: whole days, start and end included.

Flows (approvals, notices, responses, searches) are counted inside the period; the registry's
make-up (industry, region, qualification) is taken as it stood at the period's end, or today if
the period has not ended yet. Times are compared in the portal's time zone (Asia/Shanghai), so a
notice published at 00:30 on 1 January counts in January, as people there would count it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

#: Longer spans make monthly charts unreadable and queries slow for no use.
MAX_DAYS = 5 * 366


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period cannot end before it starts.")
        if (self.end - self.start).days > MAX_DAYS:
            raise ValueError("A period spans at most five years.")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def start_at(self) -> datetime:
        """The first instant of the period, aware, in the portal's time zone."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self) -> datetime:
        """The first instant after the period (exclusive bound, so no second is lost)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def as_at(self) -> date:
        """The day the registry's make-up is taken on: the period's end, at most today."""
        return min(self.end, timezone.localdate())

    @property
    def as_at_end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.as_at + timedelta(days=1), time.min))

    def months(self) -> list[date]:
        """The first day of every month the period touches, in order."""
        months, current = [], self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = (current + timedelta(days=32)).replace(day=1)
        return months

    @property
    def key(self) -> str:
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


def month_label(value: date) -> str:
    return f"{value:%Y-%m}"
