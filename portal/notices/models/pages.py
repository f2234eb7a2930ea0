"""Notices (供需信息) as Wagtail pages: an index and the notices under it.

A notice is classifiable (``classification.declaration``): its tier says who may know it
exists, and the contact, budget, detailed requirements and attachments carry the vetted tier
of their own by default. Its title, kind, region and deadline form its stub: an officer may
give the rest (the ``body`` field tier) a higher tier, and readers below it see the stub alone.
"Released" means live and not past its expiry (Wagtail's ``go_live_at``/``expire_at``); the
*deadline* is something else: after it a notice is closed (no longer in "open" lists, no new
responses) but stays readable at its tier.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from classification.declaration import Classification, Classified
from classification.models import GroupGrant, UserGrant
from classification.tiers import Tier
from classification.wagtail_policy import (
    ReleasePanel,
    workflow_step_actors,
    workflow_step_principals,
)

from ..blocks import NoticeBodyBlock
from ..forms import NoticePageForm


class Kind(models.TextChoices):
    DEMAND = "demand", _("Military demand")
    SUPPLY = "supply", _("Civilian supply")
    TRANSFER = "transfer", _("Technology transfer")
    POLICY = "policy", _("Policy notice")


#: The fields whose tier may sit above the notice's own (``docs/release.md``, "Field tiers");
#: ``body`` is everything but the stub (``STUB_FIELDS``).
SENSITIVE_FIELDS = ("body", "contact", "budget", "requirements", "attachments")
#: What a reader below the body's tier learns of a notice (``docs/release.md``, "Stubs").
STUB_FIELDS = ("title", "kind", "region", "deadline")


def released_notices() -> Q:
    """Live and not expired: Wagtail unpublishes expired pages on its schedule, and this
    keeps an expired page out even in the minutes before that job runs."""
    return Q(live=True) & (Q(expire_at__isnull=True) | Q(expire_at__gt=Now()))


def open_notices(now=None) -> Q:
    """Notices still taking responses: no deadline, or a deadline not yet passed."""
    return Q(deadline__isnull=True) | Q(deadline__gte=now or timezone.now())


class NoticeIndexPage(Page):
    """/notices/: the filtered, paginated list of the notices a visitor may see.

    The listing itself lives in ``portal.notices.listing`` so that the page, the feeds and the
    API filter the same way, each through the release policy.
    """

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["notices.NoticePage"]
    max_count = 1
    template = "notices/notice_index_page.html"

    class Meta:
        verbose_name = _("notice index")

    def get_context(self, request, *args, **kwargs):
        from ..listing import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(request))
        return context


class NoticePage(Classified, Page):
    """One supply-demand notice (军队需求, 民口供给, 技术转移, 政策通知)."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)
    summary = models.TextField(_("summary"), max_length=500)
    body = StreamField(NoticeBodyBlock(), verbose_name=_("body"), blank=True)
    industries = ParentalManyToManyField(
        "enterprises.Industry", verbose_name=_("industries"), related_name="notices", blank=True
    )
    region = models.ForeignKey(
        "enterprises.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    region_required = models.BooleanField(
        _("suppliers must be in this region"),
        default=False,
        help_text=_("Supplier matching then lists only enterprises registered in the region."),
    )
    budget_min = models.DecimalField(
        _("budget from (10,000 CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget_max = models.DecimalField(
        _("budget up to (10,000 CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateTimeField(
        _("response deadline"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("After this time the notice is closed: still readable, no new responses."),
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # Fail closed: a new notice is vetted until a classification officer decides otherwise.
    tier = models.CharField(
        _("release tier"), max_length=12, choices=Tier.choices, default=Tier.VETTED, db_index=True
    )

    classification = Classification(
        released=released_notices,
        owners="owner",
        acting=workflow_step_actors,
        acting_principals=workflow_step_principals,
        field_tiers={
            "contact": Tier.VETTED,
            "attachments": Tier.VETTED,
            "budget": Tier.VETTED,
            "requirements": Tier.VETTED,
        },
        stub=STUB_FIELDS,
        field_labels={
            "body": _("Body (all but title, kind, region and deadline)"),
            "contact": _("Contact"),
            "budget": _("Budget"),
            "requirements": _("Technical requirements"),
            "attachments": _("Attachments"),
        },
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("industries", widget=forms.CheckboxSelectMultiple),
                FieldPanel("region"),
                FieldPanel("region_required"),
                FieldRowPanel([FieldPanel("budget_min"), FieldPanel("budget_max")]),
                FieldPanel("deadline"),
            ],
            heading=_("Scope"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_phone"), FieldPanel("contact_email")],
            heading=_("Contact"),
        ),
        InlinePanel("required_qualifications", label=_("Required qualifications")),
        InlinePanel("attachments", label=_("Attachments")),
        ReleasePanel(),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.FilterField("kind"),
        index.FilterField("tier"),
    ]
    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types: list[str] = []
    base_form_class = NoticePageForm
    template = "notices/notice_page.html"

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        permissions = [("view_targeted", _("Can view a targeted notice (granted per notice)"))]
        constraints = [
            models.CheckConstraint(
                name="notices_budget_range",
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_min__lte=models.F("budget_max")),
            )
        ]

    def clean(self) -> None:
        super().clean()
        if (
            self.budget_min is not None
            and self.budget_max is not None
            and self.budget_min > self.budget_max
        ):
            raise ValidationError(
                {"budget_max": _("The upper budget must not be below the lower budget.")}
            )
        if self.tier not in Tier.values:
            raise ValidationError({"tier": _("Unknown release tier.")})
        unknown = set(self.field_tiers or {}) - set(SENSITIVE_FIELDS)
        bad = {v for v in (self.field_tiers or {}).values() if v not in Tier.values}
        if unknown or bad:
            raise ValidationError(
                {
                    "field_tiers": _(
                        "Field tiers name the fields %(fields)s and the tiers %(tiers)s."
                    )
                    % {"fields": ", ".join(SENSITIVE_FIELDS), "tiers": ", ".join(Tier.values)}
                }
            )

    @property
    def is_open(self) -> bool:
        return self.deadline is None or self.deadline >= timezone.now()

    @property
    def has_budget(self) -> bool:
        return self.budget_min is not None or self.budget_max is not None

    def serve(self, request, *args, **kwargs):
        """Serve only to users the release policy lets see this notice; 404 for the rest."""
        from classification import audit, policy

        if not policy.can_view(request.user, self):
            raise Http404("No such notice.")
        body_tier = policy.field_tier(self, "body")
        if body_tier in (Tier.VETTED, Tier.TARGETED) and not policy.stub_only(request.user, self):
            audit.record(request.user, self, "classification.notice.viewed", request)
        elif self.tier in (Tier.VETTED, Tier.TARGETED):
            audit.record(request.user, self, "classification.notice.stub_viewed", request)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from ..presentation import detail_context

        context = super().get_context(request, *args, **kwargs)
        # Admin previews are reached only through Wagtail's editor, which checks edit rights:
        # reviewers in the workflow see every field of what they approve.
        context.update(detail_context(self, request, full=getattr(request, "is_preview", False)))
        return context


class NoticeUserGrant(UserGrant):
    """Targeted access to one notice for one user (guardian's direct object permission)."""

    content_object = models.ForeignKey(
        NoticePage, on_delete=models.CASCADE, related_name="user_grants"
    )

    class Meta(UserGrant.Meta):
        verbose_name = _("targeted grant to a user")
        verbose_name_plural = _("targeted grants to users")


class NoticeGroupGrant(GroupGrant):
    """Targeted access to one notice for a group's members (guardian's direct permission)."""

    content_object = models.ForeignKey(
        NoticePage, on_delete=models.CASCADE, related_name="group_grants"
    )

    class Meta(GroupGrant.Meta):
        verbose_name = _("targeted grant to a group")
        verbose_name_plural = _("targeted grants to groups")


class NoticeQualification(Orderable):
    """A qualification a responding enterprise must hold, at a minimum level if it has levels."""

    notice = ParentalKey(
        NoticePage, on_delete=models.CASCADE, related_name="required_qualifications"
    )
    qualification_type = models.ForeignKey(
        "enterprises.QualificationType",
        verbose_name=_("qualification"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    minimum_level = models.CharField(
        _("minimum level"),
        max_length=30,
        blank=True,
        help_text=_("For graded qualifications, the lowest acceptable level, e.g. 二级."),
    )

    panels = [FieldPanel("qualification_type"), FieldPanel("minimum_level")]

    class Meta(Orderable.Meta):
        verbose_name = _("required qualification")

    def __str__(self) -> str:
        return f"{self.qualification_type} {self.minimum_level}".strip()

    def clean(self) -> None:
        super().clean()
        if self.minimum_level and self.qualification_type_id:
            levels = self.qualification_type.levels or []
            if self.minimum_level not in levels:
                raise ValidationError(
                    {
                        "minimum_level": _("Choose one of the levels of this qualification: %s")
                        % (" / ".join(levels) or _("it has no levels"))
                    }
                )


class NoticeAttachment(Orderable):
    """A Wagtail document attached to a notice; served only through the release policy."""

    notice = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        settings.WAGTAILDOCS_DOCUMENT_MODEL,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="notice_attachments",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.title or self.document.title
