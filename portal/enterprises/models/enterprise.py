"""The enterprise profile (民参军企业) and the items it lists.

The ``Enterprise`` row and its related rows hold the *approved* content: what the directory,
search and the API show. An owner's edits live in an ``EnterpriseVersion`` (a snapshot) until a
reviewer approves them, so that the approved profile stays visible while a change is reviewed.
A profile that was never approved is seen only by its owners and reviewers.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classification.declaration import Classification, Classified
from classification.models import GroupGrant, UserGrant
from portal.core.storage import private_storage

from ..fields import FIELD_LABELS, FIELD_TIERS
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


def under_review(model, user):
    """What a reviewer acts on now: profiles with a version waiting for review and profiles
    with a pending claim (``Classification.acting``)."""
    from ..workflow import is_reviewer
    from .claim import ClaimState, EnterpriseClaim
    from .version import EnterpriseVersion, VersionState

    if not is_reviewer(user):
        return None
    submitted = EnterpriseVersion.objects.filter(state=VersionState.SUBMITTED)
    claimed = EnterpriseClaim.objects.filter(state=ClaimState.PENDING)
    return Q(pk__in=submitted.values("enterprise_id")) | Q(pk__in=claimed.values("enterprise_id"))


def reviewers_of(model, ids: list[int]) -> dict[int, set[str]]:
    """The reviewers of the profiles among ``ids`` that wait for review, as the search index
    names them (``Classification.acting_principals``): the reviewer group, and anyone holding
    the review permission by hand."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from portal.accounts import roles

    from .claim import ClaimState, EnterpriseClaim
    from .version import EnterpriseVersion, VersionState

    # Unordered on both sides: SQLite (the embedded default) refuses ORDER BY inside a UNION.
    waiting = set(
        EnterpriseVersion.objects.filter(enterprise_id__in=ids, state=VersionState.SUBMITTED)
        .order_by()
        .values_list("enterprise_id", flat=True)
        .union(
            EnterpriseClaim.objects.filter(enterprise_id__in=ids, state=ClaimState.PENDING)
            .order_by()
            .values_list("enterprise_id", flat=True)
        )
    )
    if not waiting:
        return {}
    permission = Permission.objects.filter(
        codename="review_enterprise", content_type__app_label="enterprises"
    )
    holders = get_user_model().objects.filter(
        Q(user_permissions__in=permission) | Q(groups__permissions__in=permission)
    )
    group = Group.objects.filter(name=roles.REVIEWER).values_list("pk", flat=True)
    reviewers = {f"g:{pk}" for pk in group}
    others = holders.exclude(groups__name=roles.REVIEWER).values_list("pk", flat=True)
    reviewers |= {f"u:{pk}" for pk in others.distinct()}
    return {pk: reviewers for pk in waiting}


def _validate_uscc_field(value: str) -> None:
    validate_uscc(value, known_area_codes=Region.objects.values_list("code", flat=True))


class Enterprise(Classified):
    """An enterprise profile. Only approved profiles are released (see ``classification``)."""

    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[_validate_uscc_field],
        error_messages={"unique": _("This credit code cannot be used for a new registration.")},
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
    group = models.OneToOneField(
        Group,
        verbose_name=_("owners' group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="enterprise",
        help_text=_("Its members own the profile; grants to it reach them while it is approved."),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    #: The yearly re-confirmation (年度信息确认): set by an approval and by the owner's
    #: confirmation; ``confirmation`` says when a profile is due and overdue.
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, db_index=True)
    confirmation_reminded_at = models.DateTimeField(
        _("confirmation reminder sent at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    classification = Classification(
        released=lambda: Q(status=Status.APPROVED),
        owners="group__user",
        owner_group="group",
        acting=under_review,
        acting_principals=reviewers_of,
        field_tiers=FIELD_TIERS,
        field_labels=FIELD_LABELS,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        permissions = [
            ("review_enterprise", _("Can review enterprise profiles")),
            ("view_targeted", _("Can view a targeted enterprise (granted per profile)")),
        ]
        indexes = [
            models.Index(fields=["status", "tier"]),
            # The directory's order (name, then id as the tie-break): its first page is read
            # from the index instead of sorting every visible profile.
            models.Index(fields=["name", "id"], name="enterprise_directory_order"),
        ]

    def __str__(self) -> str:
        return self.name

    # Ownership is the membership of the enterprise's group, stored once (auth's user groups).

    @property
    def owners(self) -> models.QuerySet:
        """The users who own this profile: the members of its group."""
        from django.contrib.auth import get_user_model

        # By the enterprise, not by a remembered group id: an instance loaded before its group
        # was made still answers for the owners added since.
        return get_user_model().objects.filter(groups__enterprise=self.pk)

    def owner_group(self) -> Group:
        """The group of this profile's owners, made on first need (imported profiles have
        none until someone claims them or an officer grants the enterprise access)."""
        if self.group_id is None:
            from classification.signals import access_changed

            group, _created = Group.objects.get_or_create(name=f"enterprise:{self.uscc}")
            Enterprise.objects.filter(pk=self.pk, group__isnull=True).update(group=group)
            self.group_id = Enterprise.objects.values_list("group_id", flat=True).get(pk=self.pk)
            # The search index names the owners by this group: the profile needs re-indexing.
            access_changed.send(sender=Enterprise, object_ids=[self.pk])
        return Group.objects.get(pk=self.group_id)

    def add_owners(self, *users) -> None:
        group = self.owner_group()
        for user in users:
            user.groups.add(group)

    def remove_owner(self, user) -> None:
        group = Group.objects.filter(enterprise=self.pk).first()
        if group is not None:
            user.groups.remove(group)

    @property
    def is_approved(self) -> bool:
        return self.status == Status.APPROVED


class EnterpriseUserGrant(UserGrant):
    """Targeted access to one profile for one user (guardian's direct object permission)."""

    content_object = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="user_grants"
    )

    class Meta(UserGrant.Meta):
        verbose_name = _("targeted grant to a user")
        verbose_name_plural = _("targeted grants to users")


class EnterpriseGroupGrant(GroupGrant):
    """Targeted access to one profile for a group's members (guardian's direct permission)."""

    content_object = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="group_grants"
    )

    class Meta(GroupGrant.Meta):
        verbose_name = _("targeted grant to a group")
        verbose_name_plural = _("targeted grants to groups")


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
