"""One faceted search under the release policy: the base every search of the portal builds on.

A ``FacetedSearch`` names the indices it reads, its facets, sorts and highlights; the base
assembles the engine request the same way for all of them:

- the release policy's engine filter (``policy.search_filter``) comes first, as a filter
  clause of the query, so hits, totals, facet counts and suggestions only cover what the
  reader may see;
- every parameter is checked against allow-lists before the engine sees it (``QueryError``);
- facets count "post-filter" style: choosing a value of one facet narrows the hits and the
  other facets' counts, never that facet's own;
- one page of hits, with highlights and the source fields the indices allow out.

A search over a large index may count its facets apart (``facet_sample``): the hits and
the exact total in one request, the facet counts in a second one sent with it (the engine
answers both side by side), which stops counting after so many matching documents per shard
and scales its counts up to the whole result (``Results.facets_estimated``, pages show 约).
Counting every value of every facet over a million matches was most of the slowest
searches' time; the total and the hits stay exact.

Supplier search, notice search, the site search and matching are subclasses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from elasticsearch_dsl import A, Q, Search
from elasticsearch_dsl.response import Response

from classification import policy
from portal.core.counting import rounded

from . import engine, registry
from .queries import MAX_WINDOW, QueryError, clean_paging, clean_text, text_query
from .registry import SearchIndex

#: How hits are marked in highlights (the encoder escapes everything else).
MARK = {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"]}


@dataclass(frozen=True)
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Facet:
    """A filter people choose values of, and the counts shown beside each value.

    ``labels`` gives the allowed values and how each reads (values outside it are refused and
    never listed). ``list_all``: list every known value in its order, counted or not (a short
    fixed list such as notice kinds); otherwise the counted values, most first. ``options``:
    values defined by a query each (open/closed), counted with a ``filters`` aggregation.
    """

    field: str
    labels: Callable[[], dict[str, str]]
    size: int = 50
    list_all: bool = False
    max_values: int = 20
    options: Callable[[], dict[str, Q]] | None = None
    #: A filter of the chosen values other than "the field holds one of them".
    narrow: Callable[[list[str]], Q | None] | None = None
    #: What a refused value is told (default: it names the unknown values).
    unknown_message: Any = ""

    def validate(self, values: list[str]) -> None:
        known = self.labels()
        unknown = [value for value in values if value not in known]
        if unknown:
            message = self.unknown_message or _("Unknown filter value: %s") % "、".join(unknown[:3])
            raise QueryError(str(message), self.field)
        if len(values) > self.max_values:
            message = self.unknown_message or _("Too many values for one filter.")
            raise QueryError(str(message), self.field)

    def clause(self, values: list[str]) -> Q | None:
        """The filter of the chosen ``values`` (None: nothing to narrow)."""
        if self.narrow is not None:
            return self.narrow(values)
        if self.options is not None:
            options = self.options()
            return Q("bool", should=[options[value] for value in values], minimum_should_match=1)
        return Q("terms", **{self.field: values})

    def aggregation(self) -> A:
        if self.options is not None:
            return A("filters", filters=self.options())
        return A("terms", field=self.field, size=self.size)

    def values(self, buckets: Any, selected: list[str]) -> list[FacetValue]:
        """The facet's rows from its aggregation's raw ``buckets`` (the engine's JSON: a list,
        or for ``options`` a dict by option): labelled, chosen ones kept even at 0."""
        labels = self.labels()
        if self.options is not None:
            counts = {key: buckets[key]["doc_count"] for key in labels}
        else:
            counts = {bucket["key"]: bucket["doc_count"] for bucket in buckets}
        keys = list(labels) if self.list_all or self.options else list(counts)
        keys += [value for value in selected if value not in keys]
        return [
            FacetValue(key, labels[key], counts.get(key, 0), key in selected)
            for key in keys
            if key in labels
        ]


@dataclass
class Hit:
    """One hit: which index it came from, its id, score, allowed source fields, highlights."""

    index: SearchIndex
    id: int
    score: float | None
    source: dict[str, Any]
    highlight: dict[str, list[str]]
    inner_hits: dict[str, Any] = field(default_factory=dict)

    @property
    def type(self) -> str:
        return self.index.hit_type

    def present(self) -> dict[str, Any]:
        """The hit as its index presents it (pages, the API, alerts)."""
        return self.index.present(self)


@dataclass
class Results:
    total: int
    page: int
    page_size: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    #: The best score of the whole result list (matching shows relevance against it).
    max_score: float | None = None
    #: Filters the search read from the text (``{facet, key, label, text}``), if it reads any.
    understood: list[dict[str, str]] = field(default_factory=list)
    #: Per chosen facet: how many hits there would be without that facet's choice.
    relaxed: dict[str, int] = field(default_factory=dict)
    #: What the user may have meant when nothing matched ("" when nothing better is known).
    did_you_mean: str = ""
    #: Hits that match only part of the text, listed after a short result list and not
    #: counted in ``total`` (searches that fill a short list up set them).
    partial: list[Hit] = field(default_factory=list)
    #: The facet counts are estimates from the first matches (``FacetedSearch.facet_sample``).
    facets_estimated: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_WINDOW) // self.page_size))

    def as_dict(self, present: Callable[[Hit], dict[str, Any]] | None = None) -> dict[str, Any]:
        """The one shape the API returns and the pages render."""
        present = present or Hit.present
        return {
            "count": self.total,
            "page": self.page,
            "pages": self.pages,
            "results": [present(hit) for hit in self.hits],
            "facets": {
                name: [
                    {"key": v.key, "label": v.label, "count": v.count, "selected": v.selected}
                    for v in values
                ]
                for name, values in self.facets.items()
            },
            "facets_estimated": self.facets_estimated,
        }


class FacetedSearch:
    """A search of ``indices`` for ``user``; subclasses set the class attributes and may
    override ``query``, ``filters``, ``sort_keys`` and ``highlight``."""

    indices: ClassVar[tuple[SearchIndex, ...]] = ()
    facets: ClassVar[dict[str, Facet]] = {}
    sorts: ClassVar[tuple[str, ...]] = ("relevance",)
    #: Highlight fragments per field (None: the engine's default).
    fragments: ClassVar[int | None] = None
    fragment_size: ClassVar[int] = 80
    #: Empty values of a filter are ignored (an empty form field) rather than refused.
    ignore_blank: ClassVar[bool] = False

    def __init__(
        self,
        user,
        q: str | None = "",
        filters: dict[str, list[str]] | None = None,
        sort: str = "relevance",
        page: Any = 1,
        page_size: Any = 20,
    ) -> None:
        self.user = user
        self.text, self.phrases = clean_text(q)
        self.page, self.page_size = clean_paging(page, page_size)
        if sort not in self.sorts:
            raise QueryError(_("Unknown sort order."), "sort")
        self.sort = sort
        self.chosen = self.clean_filters(filters or {})

    @property
    def has_text(self) -> bool:
        return bool(self.text or self.phrases)

    def clean_filters(self, filters: dict[str, list[str]]) -> dict[str, list[str]]:
        cleaned = {
            name: [value for value in values if value or not self.ignore_blank]
            for name, values in filters.items()
        }
        cleaned = {name: values for name, values in cleaned.items() if values}
        for name, values in cleaned.items():
            if name not in self.facets:
                raise QueryError(_("Unknown filter."), name)
            self.facets[name].validate(values)
        return cleaned

    # --- what subclasses shape -----------------------------------------------------------

    def query(self) -> Q:
        """The scoring query: the text over the indices' declared fields."""
        return text_query(self.text, self.phrases, list(self.indices))

    def unscored(self) -> Q:
        """What ``query`` matches, without what only scores: the facet counts filter on it.
        A subclass that adds scoring functions leaves them out here, so the facets' request
        holds no clock (``now``) and the engine may cache it."""
        return self.query()

    def filters(self) -> list[Q]:
        """Filters besides the policy's (which always comes first)."""
        return []

    def sort_keys(self) -> list[Any]:
        return ["_score"]

    def highlight(self, s: Search) -> Search:
        whole = dict.fromkeys(f for index in self.indices for f in index.highlight_whole)
        parts = dict.fromkeys(f for index in self.indices for f in index.highlight_fragments)
        s = s.highlight_options(**MARK)
        if whole:
            s = s.highlight(*whole, number_of_fragments=0)
        if parts:
            options: dict[str, Any] = {"fragment_size": self.fragment_size}
            if self.fragments is not None:
                options["number_of_fragments"] = self.fragments
            s = s.highlight(*parts, **options)
        return s

    def facet_sample(self) -> int | None:
        """Matching documents per shard the facets are counted over at most, the counts of a
        larger result being scaled up from them; None: counted exactly, in the hits' request.
        """
        return None

    def hidden_source(self) -> list[str]:
        return list(dict.fromkeys(f for index in self.indices for f in index.hidden_source))

    def extend(self, s: Search) -> Search:
        """Last changes to the request (extra aggregations, source fields)."""
        return s

    def facet_values(self, response: Response) -> dict[str, list[FacetValue]]:
        # The raw JSON, not elasticsearch-dsl's bucket objects: a directory page has some 300
        # buckets, and wrapping each was most of the service's own time per search.
        aggregations = response.to_dict().get("aggregations", {})  # none: a search without facets
        return {
            name: facet.values(aggregations[name]["values"]["buckets"], self.chosen.get(name, []))
            for name, facet in self.facets.items()
        }

    # --- the assembly, the same for every search -------------------------------------------

    def _matching(self, scored: bool = True) -> Q:
        """What a document must match, before the facets' choices: the text and the filters,
        the policy's first."""
        return Q(
            "bool",
            must=[self.query() if scored else self.unscored()],
            filter=[Q(policy.search_filter(self.user)), *self.filters()],
        )

    def _selected(self) -> dict[str, Q]:
        """Each chosen facet's filter clause."""
        return {
            name: clause
            for name, values in self.chosen.items()
            if (clause := self.facets[name].clause(values)) is not None
        }

    def _facet_aggregations(
        self, s: Search, selected: dict[str, Q], names: list[str], counts: bool = True
    ) -> None:
        """Per facet of ``names``, a filter of the other facets' choices (its doc count: the
        hits without this facet's own choice) and, with ``counts``, its values' counts."""
        for name in names:
            others = [clause for other, clause in selected.items() if other != name]
            bucket = s.aggs.bucket(name, "filter", filter=Q("bool", filter=others))
            if counts:
                bucket.bucket("values", self.facets[name].aggregation())

    def request(self, facets: bool = True) -> Search:
        """The engine request; without ``facets``, hits only (no aggregations). With a
        ``facet_sample`` the facets are counted by ``facets_request`` instead, and this one
        counts only the hits without each chosen facet's choice."""
        s = Search(index=[index.alias for index in self.indices]).query(self._matching())
        selected = self._selected()
        if selected:
            s = s.post_filter(Q("bool", filter=list(selected.values())))
        if facets and self.facet_sample() is None:
            self._facet_aggregations(s, selected, list(self.facets))
        elif facets:
            chosen = [name for name in self.chosen if name in self.facets]
            self._facet_aggregations(s, selected, chosen, counts=False)
        s = s.sort(*self.sort_keys())
        s = self.highlight(s).source(excludes=self.hidden_source())
        start = (self.page - 1) * self.page_size
        s = s.extra(track_total_hits=True)[start : start + self.page_size]
        return self.extend(s)

    def facets_request(self, sample: int) -> Search:
        """The facet counts alone, over the first ``sample`` matches of each shard: no hits,
        no scores, no total (the hits' request has it)."""
        s = Search(index=[index.alias for index in self.indices])
        s = s.query(Q("bool", filter=[self._matching(scored=False)]))
        self._facet_aggregations(s, self._selected(), list(self.facets))
        return s.extra(size=0, track_total_hits=False, terminate_after=sample)

    def execute(self) -> Results:
        sample = self.facet_sample()
        if sample is None:
            response = counted = engine.search(self.request())
        else:
            response, counted = engine.msearch([self.request(), self.facets_request(sample)])
        answer = response.to_dict()
        raw = answer["hits"]
        total = raw["total"]["value"]
        # A facet's aggregation counts under every choice but its own: the hits without it.
        relaxed = {
            name: answer["aggregations"][name]["doc_count"]
            for name in self.chosen
            if name in self.facets
        }
        facets = self.facet_values(counted)
        tally = counted.to_dict()
        estimated = sample is not None and bool(tally.get("terminated_early"))
        if estimated:
            facets = self._scaled(
                facets, tally["aggregations"], {name: relaxed.get(name, total) for name in facets}
            )
        return Results(
            total=total,
            page=self.page,
            page_size=self.page_size,
            hits=hits_of(raw["hits"]),
            facets=facets,
            max_score=raw.get("max_score"),
            relaxed=relaxed,
            facets_estimated=estimated,
        )

    def _scaled(
        self,
        facets: dict[str, list[FacetValue]],
        sampled_aggregations: dict[str, Any],
        population: dict[str, int],
    ) -> dict[str, list[FacetValue]]:
        """Counts from the first matches scaled to the whole result: each facet by how many
        hits it counts over (exact, from the hits' request) against how many of them the
        sample held (``sampled_aggregations``, the counts' raw JSON), rounded to two
        significant figures (they are shown as estimates)."""
        scaled = {}
        for name, values in facets.items():
            sampled = sampled_aggregations[name]["doc_count"]
            factor = population[name] / sampled if sampled else 0.0
            scaled[name] = [
                FacetValue(v.key, v.label, _estimate(v.count * factor), v.selected) for v in values
            ]
        return scaled


def _estimate(value: float) -> int:
    """An estimated count to two significant figures (12,345 → 12,000), as the directory's
    estimated totals read; never 0 for a value that was counted at least once."""
    return max(rounded(round(value)), 1) if value > 0 else 0


def hits_of(raw_hits: list[dict[str, Any]]) -> list[Hit]:
    """The hits of an engine answer, each with the index it came from."""
    return [
        Hit(
            index=registry.holding(hit["_index"]),
            id=int(hit["_id"]),
            score=hit.get("_score"),
            source=hit.get("_source", {}),
            highlight=hit.get("highlight", {}),
            inner_hits=hit.get("inner_hits", {}),
        )
        for hit in raw_hits
    ]
