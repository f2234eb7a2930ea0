"""The supplier directory's facets: which index field each filters, which values are allowed,
and how a bucket key reads for people. Allowed values come from the reference tables, so a
filter value that does not exist is refused before the engine sees it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool = False


@functools.cache  # reference data changes only with a release (migrations)
def _industries() -> dict[str, str]:
    from portal.enterprises.models import Industry

    return dict(Industry.objects.values_list("code", "name"))


@functools.cache  # reference data changes only with a release (migrations)
def _regions() -> dict[str, str]:
    from portal.enterprises.models import Region

    return dict(Region.objects.values_list("code", "name"))


@functools.cache  # reference data changes only with a release (migrations)
def _qualifications() -> dict[str, str]:
    from portal.enterprises.models import QualificationType

    labels: dict[str, str] = {}
    for code, name, levels in QualificationType.objects.values_list("code", "name", "levels"):
        labels[code] = name
        for level in levels:
            labels[f"{code}:{level}"] = f"{name}（{level}）"
    return labels


def _choices(choices) -> Callable[[], dict[str, str]]:
    return lambda: {value: str(label) for value, label in choices}


def _sizes() -> dict[str, str]:
    from portal.enterprises.models import StaffSize

    return _choices(StaffSize.choices)()


def _ownerships() -> dict[str, str]:
    from portal.enterprises.models import Ownership

    return _choices(Ownership.choices)()


@dataclass(frozen=True)
class Facet:
    field: str
    labels: Callable[[], dict[str, str]]
    size: int = 50

    def validate(self, values: list[str]) -> None:
        from .queries import QueryError

        known = self.labels()
        unknown = [value for value in values if value not in known]
        if unknown:
            raise QueryError(_("Unknown filter value: %s") % "、".join(unknown[:3]), self.field)
        if len(values) > 20:
            raise QueryError(_("Too many values for one filter."), self.field)


FACETS: dict[str, Facet] = {
    "industry": Facet("industry", _industries),
    "region": Facet("region", _regions, size=150),
    "qualification": Facet("qualification", _qualifications),
    "size": Facet("staff_size", _sizes),
    "ownership": Facet("ownership", _ownerships),
}


def facet_labels(
    name: str, buckets: list[tuple[str, int]], selected: list[str]
) -> list[FacetValue]:
    """Buckets with labels; selected values stay listed even when their count is 0."""
    labels = FACETS[name].labels()
    counts = dict(buckets)
    for value in selected:
        counts.setdefault(value, 0)
    return [
        FacetValue(key, labels.get(key, key), count, key in selected)
        for key, count in counts.items()
        if key in labels
    ]
