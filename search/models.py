"""The indexing outbox: what changed, written in the same transaction as the change.

A row says "document <index>/<object_id> must be brought in line with the database". The drain
task reads rows, sends one bulk request and deletes the rows only after the engine acknowledged
them, so an engine outage delays the index but never loses an update.
"""

from __future__ import annotations

from django.db import models


class OutboxEntry(models.Model):
    index = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["index", "object_id"])]

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
