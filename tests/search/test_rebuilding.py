"""The "rebuilding" banner: a full rebuild raises a cached flag that the search pages read,
and lowers it when the alias has swapped (or the rebuild failed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from search import indexing, loading, rebuilding
from search.models import IndexBuild

pytestmark = pytest.mark.django_db

BANNER = "rebuild-banner"


def test_the_flag_is_up_exactly_while_a_rebuild_loads(search_index, monkeypatch) -> None:
    seen = []
    real_load = loading.load

    def watching(*args, **kwargs):
        seen.append(rebuilding.rebuilding())
        seen.append(BANNER in Client().get("/suppliers/").content.decode())
        return real_load(*args, **kwargs)

    monkeypatch.setattr(loading, "load", watching)
    assert rebuilding.rebuilding() == []
    assert BANNER not in Client().get("/suppliers/").content.decode()

    indexing.rebuild("enterprises")

    assert seen == [["enterprises"], True]
    assert rebuilding.rebuilding() == []
    assert BANNER not in Client().get("/suppliers/").content.decode()


def test_a_failed_rebuild_lowers_the_flag(search_index, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("the engine refused the documents")

    monkeypatch.setattr(loading, "load", broken)
    with pytest.raises(RuntimeError):
        indexing.rebuild("enterprises")
    assert rebuilding.rebuilding() == []


def test_the_flag_is_read_from_the_cache_not_per_request(django_assert_num_queries) -> None:
    IndexBuild.objects.create(index="notices", physical_name="x-notices-1")
    assert rebuilding.rebuilding() == ["notices"]
    rebuilding.changed()
    with django_assert_num_queries(0):
        assert rebuilding.rebuilding() == ["notices"]


def test_an_abandoned_build_row_raises_no_banner() -> None:
    build = IndexBuild.objects.create(index="notices", physical_name="x-notices-2")
    old = timezone.now() - rebuilding.ABANDONED_AFTER - timedelta(minutes=1)
    IndexBuild.objects.filter(pk=build.pk).update(started_at=old)
    rebuilding.changed()
    assert rebuilding.rebuilding() == []
