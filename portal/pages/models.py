"""General Wagtail pages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The portal's front page: a lead text, the latest open notices, key figures, the newest
    papers and the entry points to each service (``front.py`` gathers the lists).

    Any list of notices, papers or suppliers shown on it goes through the
    release policy, never a ``.live()`` query of its own.
    """

    lead = models.CharField(_("lead"), max_length=300, blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .front import context_for

        context = super().get_context(request, *args, **kwargs)
        context.update(context_for(request.user))
        return context
