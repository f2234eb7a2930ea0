"""What triggers indexing: saves and deletes of indexed models and of what they show.

Each handler only writes outbox rows (``indexing.record``) inside the caller's transaction;
nothing here talks to the engine, so a save never waits on, or fails with, the search engine.
Bulk writes (imports, demo data) bypass signals and call ``indexing.record`` themselves.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import indexing


def _enterprise_saved(sender, instance, **kwargs) -> None:
    indexing.record("enterprises", [instance.pk])


def _item_saved(sender, instance, **kwargs) -> None:
    indexing.record("enterprises", [instance.enterprise_id])


def _industries_changed(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        indexing.record("enterprises", [instance.pk])


def _access_changed(sender, object_ids, **kwargs) -> None:
    from .documents import DOCUMENTS  # noqa: F401 - the mapping below names the indices

    name = INDEX_OF_MODEL.get(sender._meta.label_lower)
    if name:
        indexing.record(name, object_ids)


#: Classifiable model -> the index that carries its tier and grants.
INDEX_OF_MODEL = {
    "enterprises.enterprise": "enterprises",
    "notices.noticepage": "notices",
    "papers.paperpage": "papers",
}


def _page_index(page) -> str | None:
    return INDEX_OF_MODEL.get(type(page)._meta.label_lower)


def _page_changed(sender, instance, **kwargs) -> None:
    """Published (also by ``publish_scheduled``), unpublished (also on expiry) or deleted."""
    name = _page_index(instance)
    if name:
        indexing.record(name, [instance.pk])


def _workflow_moved(sender, instance, **kwargs) -> None:
    """A workflow step began or ended: who acts on the page (indexed as principals) changed."""
    state = getattr(instance, "workflow_state", instance)
    page = getattr(state, "content_object", None)
    if page is not None:
        _page_changed(sender, page.specific)


def _review_changed(sender, instance, **kwargs) -> None:
    """A version submitted or decided, a claim made or decided: the reviewers' reach changed."""
    indexing.record("enterprises", [instance.enterprise_id])


def _page_moved(sender, instance, **kwargs) -> None:
    """A move changes the URLs of the page and of everything under it."""
    from wagtail.models import Page

    pages = Page.objects.descendant_of(instance, inclusive=True)
    for label, name in INDEX_OF_MODEL.items():
        if label.startswith("enterprises."):
            continue
        app_label, model = label.split(".")
        ids = pages.filter(
            content_type__app_label=app_label, content_type__model=model
        ).values_list("pk", flat=True)
        indexing.record(name, ids)


def _connect_pages() -> None:
    from wagtail import signals as wagtail_signals
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from portal.notices.models import NoticePage
    from portal.papers.models import PaperPage

    for model in (NoticePage, PaperPage):
        label = model.__name__
        page_published.connect(_page_changed, sender=model, dispatch_uid=f"search-{label}-pub")
        page_unpublished.connect(_page_changed, sender=model, dispatch_uid=f"search-{label}-unp")
        post_delete.connect(_page_changed, sender=model, dispatch_uid=f"search-{label}-del")
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


def connect() -> None:
    from classification.signals import access_changed
    from portal.enterprises.models import (
        Enterprise,
        EnterpriseClaim,
        EnterpriseVersion,
        Product,
        Qualification,
        Technology,
    )

    access_changed.connect(_access_changed, dispatch_uid="search-access-changed")
    post_save.connect(_enterprise_saved, sender=Enterprise, dispatch_uid="search-ent-save")
    for model in (EnterpriseVersion, EnterpriseClaim):
        post_save.connect(_review_changed, sender=model, dispatch_uid=f"search-{model.__name__}")
    post_delete.connect(_enterprise_saved, sender=Enterprise, dispatch_uid="search-ent-del")
    for model in (Product, Technology, Qualification):
        post_save.connect(_item_saved, sender=model, dispatch_uid=f"search-{model.__name__}-s")
        post_delete.connect(_item_saved, sender=model, dispatch_uid=f"search-{model.__name__}-d")
    m2m_changed.connect(
        _industries_changed, sender=Enterprise.industries.through, dispatch_uid="search-ent-ind"
    )
    _connect_pages()
