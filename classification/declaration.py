"""How a model becomes classifiable: inherit ``Classified`` and declare, in one place, what
"released" means for it, who its owners are and which fields carry a higher tier.

The policy (``classification.policy``) reads these declarations; no model or view writes its own
visibility rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .tiers import Tier


@dataclass(frozen=True)
class Classification:
    """A classifiable model's declaration.

    ``released``: the filter for items past their drafts (approved, live, not expired); items
    outside it are seen only by their owners and staff.
    ``owners``: a query path from the item to the users who always see it (authors, owners).
    ``field_tiers``: default tier per sensitive field; an item may raise or lower each one in its
    own ``field_tiers``.
    ``staff_roles``: role groups (``portal.accounts.roles``) whose members work on these items
    and so also see the unreleased ones (reviewers see draft profiles, editors draft notices).
    """

    released: Callable[[], Q]
    owners: str | None = None
    field_tiers: dict[str, str] = field(default_factory=dict)
    staff_roles: tuple[str, ...] = ()


class Classified(models.Model):
    """Mixin for classifiable models: the item's tier and its per-item field tiers."""

    tier = models.CharField(
        _("release tier"), max_length=12, choices=Tier.choices, default=Tier.PUBLIC, db_index=True
    )
    field_tiers = models.JSONField(
        _("field tiers"),
        default=dict,
        blank=True,
        help_text=_("Field name -> tier, overriding the defaults for this item."),
    )

    #: Each concrete model sets this.
    classification: Classification

    class Meta:
        abstract = True

    def tier_of_field(self, name: str) -> str:
        """The tier of one field of this item: its own override, the default, or the item's."""
        own = (self.field_tiers or {}).get(name)
        if own:
            return own
        return type(self).classification.field_tiers.get(name, self.tier)
