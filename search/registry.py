"""The registry of search indices: the apps declare what they index, the service does the rest.

Each app that puts something in the engine declares one ``SearchIndex`` in its own
``search_indexes.py`` and registers it in its ``AppConfig.ready``. The declaration is the only
place that names the index; the outbox drain, the rebuild, the check and repair, the signals
and the site search loop over the registry. So ``search/`` imports no content app, and adding
an index touches the app that owns it and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from elasticsearch_dsl import Document

from . import engine

#: (object id, document source) pairs; a missing id means "delete that document".
Documents = Iterator[tuple[int, dict[str, Any]]]


@dataclass(frozen=True)
class Watch:
    """A model whose saves and deletes change documents of an index.

    ``ids`` maps a saved or deleted instance to the ids of the documents it changes (the
    instance's own pk by default). ``m2m``: the model is a many-to-many ``through`` table; its
    ``m2m_changed`` signal, not ``post_save``, says the relation changed.
    """

    model: type[Model]
    ids: Callable[[Any], Iterable[int]] = lambda instance: [instance.pk]
    m2m: bool = False
    deletes: bool = True


@dataclass(eq=False)
class SearchIndex:
    """One logical index: the alias ``<prefix>-<name>`` and everything needed to fill it.

    - ``document``: the strict elasticsearch-dsl mapping.
    - ``model``: the classifiable model whose tier and grants each document carries; a change
      of its release settings re-records its documents.
    - ``indexable``: the one definition of what may be in the index (released items only),
      annotated with ``updated_at`` so that ``check`` can compare index and database.
    - ``build``: ``build(ids)`` yields the documents of ``ids`` that are indexable (all of them
      for ``None``); an id it does not yield is deleted from the index.
    - ``watches``: the models whose changes touch documents; ``pages``: the model is a Wagtail
      page, so publication, unpublication, moves and workflow steps touch it too.
    - For the site search: ``hit_type`` (the ``type`` parameter and the key of each hit),
      ``present`` (a hit as the dict pages and the API render), the text fields with their
      boosts (``phrase_fields``: the character fields a quoted or whole text matches as a
      phrase of; ``term_phrase_fields``: those a dictionary word of the query also matches as
      written, where segmentation may have cut it otherwise, if not all of them (empty:
      ``phrase_fields``);
      ``word_fields``: the segmented ``*_words`` fields it matches as words of;
      ``bigram_fields``: the character fields a lenient lookup such as did-you-mean reads),
      the highlighted fields and the source fields a hit never returns.
    """

    name: str
    document: type[Document]
    model: type[Model]
    indexable: Callable[[], QuerySet]
    build: Callable[[Iterable[int] | None], Documents]
    hit_type: str
    present: Callable[[Any], dict[str, Any]]
    bigram_fields: tuple[str, ...]
    word_fields: tuple[str, ...]
    phrase_fields: tuple[str, ...]
    highlight_whole: tuple[str, ...] = ()
    highlight_fragments: tuple[str, ...] = ()
    hidden_source: tuple[str, ...] = ("*_words", "grants", "timed_grants")
    term_phrase_fields: tuple[str, ...] = ()
    watches: tuple[Watch, ...] = ()
    pages: bool = False

    @property
    def alias(self) -> str:
        """The alias searches and writes go to (the physical index behind it changes on a
        rebuild)."""
        return engine.index_name(self.name)

    def holds(self, physical_or_alias: str) -> bool:
        """Whether an index name answering a search (``hit.meta.index``) belongs here."""
        return physical_or_alias == self.alias or physical_or_alias.startswith(self.alias + "-")

    def __str__(self) -> str:
        return self.name


_INDICES: dict[str, SearchIndex] = {}


def register(index: SearchIndex) -> SearchIndex:
    """Add ``index`` to the service and connect its watches (called from ``AppConfig.ready``)."""
    from . import signals

    known = _INDICES.get(index.name)
    if known is index:
        return index
    if known is not None:
        raise ValueError(f"two search indices are called {index.name!r}")
    _INDICES[index.name] = index
    signals.watch(index)
    return index


def indices() -> list[SearchIndex]:
    """Every registered index, in registration order (the apps' order in INSTALLED_APPS)."""
    return list(_INDICES.values())


def get(name: str | SearchIndex) -> SearchIndex:
    """The index called ``name`` (a name typed on the command line or in a test)."""
    if isinstance(name, SearchIndex):
        return name
    try:
        return _INDICES[name]
    except KeyError:
        raise KeyError(f"no search index called {name!r}; known: {sorted(_INDICES)}") from None


def for_model(model: type[Model]) -> SearchIndex | None:
    """The index whose documents carry the release settings of ``model``'s items."""
    label = model._meta.label_lower
    for index in _INDICES.values():
        if index.model._meta.label_lower == label:
            return index
    return None


def for_hit_type(hit_type: str) -> SearchIndex:
    for index in _INDICES.values():
        if index.hit_type == hit_type:
            return index
    raise KeyError(hit_type)


def holding(physical_or_alias: str) -> SearchIndex:
    """The index a search hit came from."""
    for index in _INDICES.values():
        if index.holds(physical_or_alias):
            return index
    raise ValueError(f"a hit from an unknown index: {physical_or_alias}")


def names() -> list[str]:
    """The names of the registered indices (command-line choices, tests)."""
    return list(_INDICES)


def alias(name: str | SearchIndex) -> str:
    """The alias of the index called ``name``."""
    return get(name).alias
