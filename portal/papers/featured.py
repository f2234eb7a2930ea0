"""The yearly 推介目录 and the registry: keeping ``enterprises.Recommendation`` in step.

A directory is a paper of kind "featured"; its ``featured`` blocks name enterprises by credit
code. When such a paper is published, withdrawn, deleted or its release changes, its rows are
rewritten from its live content and the profiles named before and after are re-indexed, so
that the 推介 badge and facet follow the published directory, never a draft.
"""

from __future__ import annotations

from django.db import transaction

from portal.enterprises.models import Enterprise, Recommendation

from .models import PaperKind, PaperPage


def entries(paper: PaperPage) -> list[dict[str, str]]:
    """The recommendations the paper's (live) content makes, in order."""
    found = []
    for block in paper.body:
        if block.block_type != "featured":
            continue
        for entry in block.value["entries"]:
            found.append(
                {
                    "category": block.value["category"],
                    "uscc": entry["uscc"],
                    "technology": entry["technology"] or "",
                    "reason": entry["reason"],
                }
            )
    return found


@transaction.atomic
def sync(paper: PaperPage) -> None:
    """Rewrite the paper's recommendations from its live content; re-index who changed."""
    from portal.enterprises.search_indexes import SUPPLIERS
    from search import indexing

    before = set(Recommendation.objects.filter(paper=paper).values_list("enterprise_id", flat=True))
    Recommendation.objects.filter(paper=paper).delete()
    rows = []
    if paper.live and paper.kind == PaperKind.FEATURED:
        wanted = entries(paper)
        ids = dict(
            Enterprise.objects.filter(uscc__in=[e["uscc"] for e in wanted]).values_list(
                "uscc", "pk"
            )
        )
        rows = [
            Recommendation(
                enterprise_id=ids[e["uscc"]],
                paper=paper,
                category=e["category"],
                technology=e["technology"],
                reason=e["reason"],
            )
            for e in wanted
            if e["uscc"] in ids
        ]
        Recommendation.objects.bulk_create(rows)
    indexing.record(SUPPLIERS, before | {row.enterprise_id for row in rows})


def on_published(sender, instance, **kwargs) -> None:
    sync(instance.specific if hasattr(instance, "specific") else instance)


def on_release_changed(sender, object_ids, **kwargs) -> None:
    """A directory's tier decides whether its badge is public: re-index its enterprises."""
    from portal.enterprises.search_indexes import SUPPLIERS
    from search import indexing

    ids = Recommendation.objects.filter(paper_id__in=object_ids).values_list(
        "enterprise_id", flat=True
    )
    indexing.record(SUPPLIERS, set(ids))


def on_deleting(sender, instance, **kwargs) -> None:
    """A directory deleted: its rows go with it, so re-index the enterprises it named first."""
    from portal.enterprises.search_indexes import SUPPLIERS
    from search import indexing

    ids = Recommendation.objects.filter(paper_id=instance.pk).values_list(
        "enterprise_id", flat=True
    )
    indexing.record(SUPPLIERS, set(ids))
