"""How a model becomes classifiable: inherit ``Classified`` and declare, in one place, what
"released" means for it, who its owners are, who acts on its unreleased states and which fields
carry a higher tier.

The policy (``classification.policy``) reads these declarations; no model or view writes its own
visibility rule. The release settings themselves (``tier``, ``field_tiers``) have one writer,
``classification.changes``: ``Classified.save`` never writes them to an existing row, and page
revisions neither store nor restore them (see ``docs/release.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.models import (
    ClusterableModel,
    get_all_child_m2m_relations,
    get_all_child_relations,
)

from .tiers import Tier

#: The release settings of an item: written only by ``classification.changes``.
RELEASE_FIELDS = ("tier", "field_tiers")
#: The field tier covering everything of an item but its stub (``Classification.stub``).
BODY = "body"


@dataclass(frozen=True)
class Classification:
    """A classifiable model's declaration.

    ``released``: the filter for items past their drafts (approved, live, not expired); items
    outside it are seen only by their owners and by the people acting on them.
    ``owners``: a query path from the item to the users who always see it (authors, owners).
    ``owner_group``: the foreign key to the group whose members are the owners, when ownership
    is a group (an enterprise's owners form its group); grants to that group count only while
    the item is released.
    ``acting``: ``fn(model, user) -> Q | None``, the items ``user`` must act on now (the current
    step of a workflow: a publisher's approval, a reviewer's review); they see those items
    whatever their state or tier, and read all of their fields.
    ``acting_principals``: ``fn(model, ids) -> {id: {principal}}``, the same people named as the
    search index names them (``u:<id>``, ``g:<id>``), so that search finds what ``acting``
    shows; the index follows when a workflow moves.
    ``field_tiers``: default tier per sensitive field; an item may raise or lower each one in its
    own ``field_tiers``.
    ``field_labels``: a person's name for each sensitive field that is not a model field of that
    name (pages, e-mails and the release page show it).
    ``stub``: the fields known at the item's own tier when its body is released more narrowly
    (a notice's title, kind, region, deadline). Declaring a stub adds the field tier ``body``,
    by default the item's tier; every field outside the stub is read at the body's tier or
    above, so an officer may announce that an item exists before releasing what it says.
    """

    released: Callable[[], Q]
    owners: str | None = None
    owner_group: str | None = None
    acting: Callable[[type, Any], Q | None] | None = None
    acting_principals: Callable[[type, list[int]], dict[int, set[str]]] | None = None
    field_tiers: dict[str, str] = field(default_factory=dict)
    field_labels: dict[str, Any] = field(default_factory=dict)
    stub: tuple[str, ...] = ()

    def sensitive_names(self) -> tuple[str, ...]:
        """The field tiers an officer sets: the declared fields, and ``body`` with a stub."""
        return (*self.field_tiers, BODY) if self.stub else tuple(self.field_tiers)


@cache
def _content_fields(model: type[models.Model]) -> tuple[tuple[str, str], ...]:
    """(name, attname) of every concrete field an ordinary save writes: all but the key and
    the release fields."""
    return tuple(
        (f.name, f.attname)
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in RELEASE_FIELDS
    )


@cache
def _cluster_relations(model: type[models.Model]) -> tuple[str, ...]:
    """The child relations and parental many-to-many fields a modelcluster save commits only
    when they are named (a Wagtail page's inline panels, its parental many-to-many fields)."""
    if not issubclass(model, ClusterableModel):
        return ()
    return tuple(rel.get_accessor_name() for rel in get_all_child_relations(model)) + tuple(
        field.name for field in get_all_child_m2m_relations(model)
    )


class Classified(models.Model):
    """Mixin for classifiable models: the item's tier and its per-item field tiers.

    ``save`` writes the release fields when it inserts a row (a new item starts at its declared
    default, or at the tier it was created with) and never when it updates one: a page
    published from an old revision, an unpublish, a move or any stale instance leaves the tier
    an officer set as it is. ``classification.changes`` writes them with a queryset update.
    """

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

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert") and not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None:
                # Like Django's own save of a deferred instance: only the loaded fields.
                deferred = self.get_deferred_fields()
                kwargs["update_fields"] = [
                    name for name, attname in _content_fields(type(self)) if attname not in deferred
                ] + list(_cluster_relations(type(self)))
            else:
                kwargs["update_fields"] = [f for f in update_fields if f not in RELEASE_FIELDS]
        return super().save(*args, **kwargs)

    def tier_of_field(self, name: str) -> str:
        """The tier of one field of this item: its own override, the default, or the item's."""
        own = (self.field_tiers or {}).get(name)
        if own:
            return own
        return type(self).classification.field_tiers.get(name, self.tier)

    # Wagtail pages keep content history in revisions; release settings are not content.

    def serializable_data(self):
        """A revision's content: the page's fields without its release settings."""
        data = super().serializable_data()
        for name in RELEASE_FIELDS:
            data.pop(name, None)
        return data

    def with_content_json(self, content):
        """A page built from a revision carries the release settings in force, not old ones."""
        obj = super().with_content_json(content)
        obj.tier, obj.field_tiers = self.tier, self.field_tiers
        obj._state.adding = False
        return obj

    def permissions_for_user(self, user):
        """Wagtail's per-page permission tester, behind the release policy: a page the user
        may not see answers 404 in every admin view that asks (edit, history, preview…)."""
        from .wagtail_policy import ReleasePagePermissionTester

        return ReleasePagePermissionTester(user, self)
