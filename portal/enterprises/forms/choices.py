"""Select options read from the reference tables (never hard-coded lists in forms)."""

from __future__ import annotations

from ..models import Industry, QualificationType, Region


def region_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Cities and their counties, grouped by city: a city itself is a valid choice too."""
    regions = list(Region.objects.exclude(level=Region.Level.PROVINCE).order_by("code"))
    groups: dict[str, list[tuple[str, str]]] = {}
    names: dict[str, str] = {}
    for region in regions:
        if region.level == Region.Level.CITY:
            names[region.code] = region.name
            groups.setdefault(region.code, []).insert(0, (region.code, region.name))
        else:
            groups.setdefault(region.parent_id or f"{region.code[:4]}00", []).append(
                (region.code, region.name)
            )
    return [(names.get(city, city), options) for city, options in groups.items()]


def industry_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Directions as groups; each group offers the direction itself and its sub-directions."""
    tops = Industry.objects.filter(parent__isnull=True).prefetch_related("children")
    return [
        (top.name, [(top.code, top.name)] + [(c.code, c.name) for c in top.children.all()])
        for top in tops
    ]


def qualification_type_choices() -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in QualificationType.objects.all()]


def qualification_levels() -> dict[str, list[str]]:
    """Type code -> its levels; the level select offers only these (client and server side)."""
    return {t.code: list(t.levels) for t in QualificationType.objects.all()}
