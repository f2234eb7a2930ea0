"""The release tiers (``docs/release.md``), in order: each tier's readers include the next
tier's."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    PUBLIC = "public", _("Public")
    REGISTERED = "registered", _("Registered")
    VETTED = "vetted", _("Vetted")
    TARGETED = "targeted", _("Targeted")


#: Tiers from the widest audience to the narrowest.
ORDER: tuple[str, ...] = (Tier.PUBLIC, Tier.REGISTERED, Tier.VETTED, Tier.TARGETED)


def rank(tier: str) -> int:
    """0 for public … 3 for targeted; unknown tiers rank as targeted (fail closed)."""
    try:
        return ORDER.index(tier)
    except ValueError:
        return len(ORDER) - 1


def tiers_up_to(clearance: str) -> list[str]:
    """The tiers a clearance reads without a grant, e.g. vetted -> public, registered, vetted."""
    return list(ORDER[: rank(clearance) + 1])
