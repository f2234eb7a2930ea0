"""What triggers a PDF build: publishing a paper (and, failing that, the first download)."""

from __future__ import annotations

from wagtail.signals import page_published

from .models import PaperPage


def queue_pdf_on_publish(sender, instance, revision=None, **kwargs) -> None:
    """Queue the new revision's PDF as soon as it is live, so that the first reader need not
    wait. ``request_pdf`` defers the task to after the commit."""
    from .cache import request_pdf

    request_pdf(instance, revision or instance.live_revision)


def connect() -> None:
    page_published.connect(
        queue_pdf_on_publish, sender=PaperPage, dispatch_uid="papers.queue_pdf_on_publish"
    )
