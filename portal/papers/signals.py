"""What follows a paper's publication: its PDF build (and, failing that, the first download
builds it), and a 推介目录's recommendations."""

from __future__ import annotations

from django.db.models.signals import pre_delete
from wagtail.signals import page_published, page_unpublished

from .models import PaperPage


def queue_pdf_on_publish(sender, instance, revision=None, **kwargs) -> None:
    """Queue the new revision's PDF as soon as it is live, so that the first reader need not
    wait. ``request_pdf`` defers the task to after the commit."""
    from .cache import request_pdf

    request_pdf(instance, revision or instance.live_revision)


def connect() -> None:
    from classification.signals import access_changed

    from . import featured

    page_published.connect(
        queue_pdf_on_publish, sender=PaperPage, dispatch_uid="papers.queue_pdf_on_publish"
    )
    # The 推介目录's recommendations follow its live content (the 推介 badge and facet).
    for signal, uid in ((page_published, "pub"), (page_unpublished, "unp")):
        signal.connect(
            featured.on_published, sender=PaperPage, dispatch_uid=f"papers.featured-{uid}"
        )
    access_changed.connect(
        featured.on_release_changed, sender=PaperPage, dispatch_uid="papers.featured-release"
    )
    pre_delete.connect(featured.on_deleting, sender=PaperPage, dispatch_uid="papers.featured-del")
