"""The enterprise profile (民参军企业) and the items it lists.

The ``Enterprise`` row and its related rows hold the *approved* content: what the directory,
search and the API show. An owner's edits live in an ``EnterpriseVersion`` (a snapshot) until a
reviewer approves them, so that the approved profile stays visible while a change is reviewed.
A profile that was never approved is seen only by its owners and reviewers.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classification.declaration import Classification, Classified
from classification.tiers import Tier
from portal.core.storage import private_storage

from ..uscc import validate_uscc
from .reference import Industry, QualificationType, Region


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    REVOKED = "revoked", _("Revoked")


class StaffSize(models.TextChoices):
    MICRO = "lt20", _("Fewer than 20")
    SMALL = "20-99", _("20–99")
    MEDIUM = "100-299", _("100–299")
    LARGE = "300-999", _("300–999")
    XLARGE = "1000+", _("1,000 or more")


class Ownership(models.TextChoices):
    STATE = "state", _("State-owned")
    PRIVATE = "private", _("Private")
    FOREIGN = "foreign", _("Foreign-invested")
    MIXED = "mixed", _("Mixed ownership")


class Source(models.TextChoices):
    REGISTERED = "registered", _("Registered by the enterprise")
    IMPORTED = "imported", _("Imported from an agency list")


def _validate_uscc_field(value: str) -> None:
    validate_uscc(value, known_area_codes=Region.objects.values_list("code", flat=True))


class Enterprise(Classified):
    """An enterprise profile. Only approved profiles are released (see ``classification``)."""

    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[_validate_uscc_field],
        error_messages={"unique": _("An enterprise with this credit code is already registered.")},
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital (10,000 CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    staff_size = models.CharField(
        _("staff size"), max_length=10, choices=StaffSize.choices, blank=True
    )
    ownership = models.CharField(
        _("ownership"), max_length=10, choices=Ownership.choices, blank=True
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="enterprises"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    industries = models.ManyToManyField(
        Industry, verbose_name=_("industries"), related_name="enterprises", blank=True
    )
    description = models.TextField(_("company profile"), blank=True)
    capabilities = models.TextField(_("capabilities"), blank=True)
    capability_tags = models.JSONField(_("capability tags"), default=list, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.REGISTERED
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owners"),
        related_name="enterprises",
        blank=True,
        help_text=_("Users who may edit this profile; members of a vetted enterprise."),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    classification = Classification(
        released=lambda: Q(status=Status.APPROVED),
        owners="owners",
        field_tiers={
            "contacts": Tier.VETTED,
            "qualification_documents": Tier.VETTED,
            "legal_representative": Tier.REGISTERED,
        },
        staff_roles=("reviewer",),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        permissions = [("review_enterprise", _("Can review enterprise profiles"))]
        indexes = [models.Index(fields=["status", "tier"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == Status.APPROVED

    def valid_qualifications(self, on: date | None = None):
        """Qualifications held on ``on`` (today by default): expired ones do not count."""
        on = on or timezone.localdate()
        return self.qualifications.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        )


class Qualification(models.Model):
    """A qualification (资质) the enterprise holds, with its scanned certificate."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="qualifications"
    )
    type = models.ForeignKey(
        QualificationType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=20, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, db_index=True)
    document = models.FileField(
        _("scanned certificate"), storage=private_storage, upload_to="qualifications/", blank=True
    )

    class Meta:
        ordering = ["type__sort_order", "valid_until"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self) -> str:
        return f"{self.type.name} {self.level}".strip()

    def is_valid(self, on: date | None = None) -> bool:
        return self.valid_between(self.valid_from, self.valid_until, on or timezone.localdate())

    @staticmethod
    def valid_between(valid_from: date | None, valid_until: date | None, on: date) -> bool:
        """Whether a validity period holds on ``on`` (open ends never end); the one rule, also
        for rows read without model instances (the search index builder)."""
        started = valid_from is None or valid_from <= on
        return started and (valid_until is None or valid_until >= on)


class _ProfileItem(models.Model):
    """Base of the lists on a profile: ordered, belonging to one enterprise."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class Product(_ProfileItem):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("product"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta(_ProfileItem.Meta):
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name


class Technology(_ProfileItem):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="technologies"
    )
    name = models.CharField(_("core technology"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta(_ProfileItem.Meta):
        verbose_name = _("core technology")
        verbose_name_plural = _("core technologies")

    def __str__(self) -> str:
        return self.name


class Patent(_ProfileItem):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="patents")
    number = models.CharField(_("patent number"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=200)
    is_defense = models.BooleanField(_("defence patent (国防专利)"), default=False)
    granted_on = models.DateField(_("granted on"), null=True, blank=True)

    class Meta(_ProfileItem.Meta):
        verbose_name = _("patent")
        verbose_name_plural = _("patents")

    def __str__(self) -> str:
        return self.title


class Case(_ProfileItem):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(_("project"), max_length=200)
    client = models.CharField(_("client"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta(_ProfileItem.Meta):
        verbose_name = _("project case")
        verbose_name_plural = _("project cases")

    def __str__(self) -> str:
        return self.title


class Contact(_ProfileItem):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("contact person"), max_length=50)
    job_title = models.CharField(_("job title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta(_ProfileItem.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name
