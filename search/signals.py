"""What triggers indexing: saves and deletes of what the registered indices watch.

Each handler only writes outbox rows (``indexing.record``) inside the caller's transaction;
nothing here talks to the engine, so a save never waits on, or fails with, the search engine.
Bulk writers (the importer, a re-approval writing a profile's lists) hold the item signals
with ``indexing.recording_once`` and record the profile once.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import indexing, registry


def watch(index: registry.SearchIndex) -> None:
    """Connect the signals of ``index``'s watches (``registry.register`` calls this)."""
    for watched in index.watches:
        uid = f"search-{index.name}-{watched.model._meta.label_lower}"
        if watched.m2m:

            def changed(sender, instance, action, watched=watched, **kwargs) -> None:
                if action in ("post_add", "post_remove", "post_clear"):
                    indexing.record(index, watched.ids(instance))

            m2m_changed.connect(changed, sender=watched.model, weak=False, dispatch_uid=uid)
            continue

        def saved(sender, instance, watched=watched, **kwargs) -> None:
            indexing.record(index, watched.ids(instance))

        post_save.connect(saved, sender=watched.model, weak=False, dispatch_uid=uid + "-save")
        if watched.deletes:
            post_delete.connect(saved, sender=watched.model, weak=False, dispatch_uid=uid + "-del")
    if index.pages:
        from wagtail.signals import page_published, page_unpublished

        uid = f"search-{index.name}-page"
        for signal, suffix in ((page_published, "pub"), (page_unpublished, "unp")):
            signal.connect(_page_changed, sender=index.model, dispatch_uid=f"{uid}-{suffix}")
        post_delete.connect(_page_changed, sender=index.model, dispatch_uid=f"{uid}-del")


def _page_changed(sender, instance, **kwargs) -> None:
    """Published (also by ``publish_scheduled``), unpublished (also on expiry) or deleted."""
    index = registry.for_model(type(instance))
    if index is not None:
        indexing.record(index, [instance.pk])


def _access_changed(sender, object_ids, **kwargs) -> None:
    """Tier, field tiers or grants changed: the documents carry them."""
    index = registry.for_model(sender)
    if index is not None:
        indexing.record(index, object_ids)


def _workflow_moved(sender, instance, **kwargs) -> None:
    """A workflow step began or ended: who acts on the page (indexed as principals) changed."""
    state = getattr(instance, "workflow_state", instance)
    page = getattr(state, "content_object", None)
    if page is not None:
        _page_changed(sender, page.specific)


def _page_moved(sender, instance, **kwargs) -> None:
    """A move changes the URLs of the page and of everything under it."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    pages = Page.objects.descendant_of(instance, inclusive=True)
    for index in registry.indices():
        if index.pages:
            kind = ContentType.objects.get_for_model(index.model)
            indexing.record(index, pages.filter(content_type=kind).values_list("pk", flat=True))


def connect() -> None:
    """The signals every page index shares (workflow steps, moves) and release changes."""
    from wagtail import signals as wagtail_signals
    from wagtail.signals import post_page_move

    from classification.signals import access_changed

    access_changed.connect(_access_changed, dispatch_uid="search-access-changed")
    post_page_move.connect(_page_moved, dispatch_uid="search-page-moved")
    for name in (
        "task_submitted",
        "task_approved",
        "task_rejected",
        "task_cancelled",
        "workflow_submitted",
        "workflow_approved",
        "workflow_rejected",
        "workflow_cancelled",
    ):
        getattr(wagtail_signals, name).connect(_workflow_moved, dispatch_uid=f"search-{name}")
