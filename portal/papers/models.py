"""白皮书/蓝皮书: papers as Wagtail pages, and their PDFs cached per revision.

A paper is classifiable like a notice: its tier decides who may know it exists, and the
``pdf`` field tier lets an officer keep the PDF narrower than the page. Every read goes through
``classification.policy``; ``serve`` answers 404 to a user the policy does not let in.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, Revision
from wagtail.search import index

from classification import audit, policy
from classification.declaration import Classification, Classified
from classification.models import GroupGrant, UserGrant
from classification.tiers import Tier
from classification.wagtail_policy import (
    ReleasePanel,
    workflow_step_actors,
    workflow_step_principals,
)
from portal.core.storage import private_storage

from .blocks import PaperStreamBlock

PAPERS_PER_PAGE = 12


class PaperKind(models.TextChoices):
    WHITE = "white", _("White paper")
    BLUE = "blue", _("Blue paper")
    #: 重点企业和优势技术推介目录: its ``featured`` blocks recommend enterprises (推介 badge).
    FEATURED = "featured", _("Featured directory")


class PaperIndexPage(Page):
    """The list of papers at /papers/: what the visitor may see, newest first, paginated."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["papers.PaperPage"]
    max_count = 1

    class Meta:
        verbose_name = _("paper index")

    def papers_for(self, user):
        """The live papers under this index that ``user`` may see (the policy decides)."""
        papers = PaperPage.objects.child_of(self).live()
        return policy.visible(papers, user).order_by("-issue_date", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        kind = request.GET.get("kind", "")
        papers = self.papers_for(request.user)
        if kind in PaperKind.values:
            papers = papers.filter(kind=kind)
        paginator = Paginator(papers, PAPERS_PER_PAGE)
        context["page_obj"] = paginator.get_page(request.GET.get("page"))
        context["kind"] = kind
        context["kinds"] = PaperKind.choices
        return context


class PaperPage(Classified, Page):
    """A white or blue paper built from blocks (chapters, text, tables, charts, figures…).

    The same blocks render the web page (chapter navigation, ECharts) and the PDF (WeasyPrint,
    built by ``tasks.build_paper_pdf`` and cached per revision in ``PaperPdf``).
    """

    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=120)
    issue_date = models.DateField(_("issue date"))
    kind = models.CharField(
        _("kind"), max_length=8, choices=PaperKind.choices, default=PaperKind.WHITE
    )
    summary = models.TextField(_("summary"), max_length=1000)
    body = StreamField(PaperStreamBlock(), verbose_name=_("body"))

    classification = Classification(
        released=lambda: Q(live=True),
        owners="owner",
        acting=workflow_step_actors,
        acting_principals=workflow_step_principals,
        # The PDF goes wherever the paper goes (a field never reads below its item's tier);
        # an officer may raise it for one paper in its own field_tiers.
        field_tiers={"pdf": Tier.PUBLIC},
        field_labels={"pdf": "PDF"},
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"),
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("issuing_body"), FieldPanel("issue_date")],
            heading=_("Publication"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        # On the content tab, as on notices: editors see the tier beside what it releases.
        ReleasePanel(),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("tier"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["papers.PaperIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        permissions = [("view_targeted", _("Can view a targeted paper (granted per paper)"))]

    def pdf_url(self) -> str:
        return reverse("papers:pdf", args=[self.pk])

    def serve(self, request, *args, **kwargs):
        """Wagtail serves live pages to anyone; the release policy narrows that first."""
        if not policy.can_view(request.user, self):
            raise Http404("No such paper.")
        audit.record_view(request.user, self, request, action="classification.paper.viewed")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .outline import outline

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = outline(self)
        context["show_pdf"] = policy.field_visible(request.user, self, "pdf")
        return context


class PaperUserGrant(UserGrant):
    """Targeted access to one paper for one user (guardian's direct object permission)."""

    content_object = models.ForeignKey(
        PaperPage, on_delete=models.CASCADE, related_name="user_grants"
    )

    class Meta(UserGrant.Meta):
        verbose_name = _("targeted grant to a user")
        verbose_name_plural = _("targeted grants to users")


class PaperGroupGrant(GroupGrant):
    """Targeted access to one paper for a group's members (guardian's direct permission)."""

    content_object = models.ForeignKey(
        PaperPage, on_delete=models.CASCADE, related_name="group_grants"
    )

    class Meta(GroupGrant.Meta):
        verbose_name = _("targeted grant to a group")
        verbose_name_plural = _("targeted grants to groups")


class PdfStatus(models.TextChoices):
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class PaperPdf(models.Model):
    """The PDF of one revision of a paper. Built once, served many times; a new revision gets
    a new row, so a download never shows text that differs from the page it was made from."""

    page = models.ForeignKey(
        PaperPage, verbose_name=_("paper"), on_delete=models.CASCADE, related_name="pdfs"
    )
    revision = models.ForeignKey(
        Revision, verbose_name=_("revision"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.BUILDING
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to="papers/pdf/", blank=True)
    # "pages" alone is also Wagtail's plural of page; the context keeps the two apart.
    pages = models.PositiveIntegerField(pgettext_lazy("PDF", "pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)

    class Meta:
        verbose_name = _("paper PDF")
        verbose_name_plural = _("paper PDFs")
        constraints = [
            models.UniqueConstraint(fields=["page", "revision"], name="papers_pdf_one_per_revision")
        ]

    def __str__(self) -> str:
        return f"{self.page_id}@{self.revision_id} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return self.status == PdfStatus.READY and bool(self.file)
