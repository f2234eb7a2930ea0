"""The indexing outbox: what changed, written in the same transaction as the change.

A row says "document <index>/<object_id> must be brought in line with the database". There is
at most one row per document: recording it again only renews its ``stamp``. The drain claims
rows (``claimed_until``), sends them outside the claiming transaction and deletes a row only
if its stamp is still the one it claimed, so a change recorded while its document was on the
way is sent again; an engine outage delays the index but never loses an update.
"""

from __future__ import annotations

from django.db import models


class OutboxEntry(models.Model):
    index = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    #: Renewed by every record of this document; the drain deletes only the stamp it sent.
    stamp = models.UUIDField()
    #: Set while a drain sends the row; a drain that died lets it lapse and another takes it.
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["index", "object_id"], name="search_outbox_one_row")
        ]

    def __str__(self) -> str:
        return f"{self.index}/{self.object_id}"


class IndexBuild(models.Model):
    """A physical index being built by ``search_index --rebuild``.

    While a build runs, the drain writes to it as well as to the alias, so that changes made
    during the rebuild are in the new index when the alias swaps.
    """

    index = models.CharField(max_length=40)
    physical_name = models.CharField(max_length=120, unique=True)
    started_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.physical_name
