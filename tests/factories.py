"""factory_boy factories shared by the suite: users with roles, enterprises with valid codes.

Credit codes are built with ``make_uscc``/``org_code_check_char`` so that every factory-made
enterprise passes the same GB 32100-2015 validation as a real one; reference rows (regions,
industries, qualification types) come from the data migration, never from factories.
"""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from portal.accounts.models import User
from portal.enterprises.models import (
    Contact,
    Enterprise,
    Industry,
    Product,
    Qualification,
    QualificationType,
    Region,
    Status,
)
from portal.enterprises.uscc import make_uscc, org_code_check_char

PASSWORD = "Beibu-Gulf-2026"


def uscc_for(n: int, area: str = "450103") -> str:
    """A valid credit code for the n-th test enterprise registered in ``area``."""
    body = f"MA{n:06d}"
    return make_uscc("91" + area + body + org_code_check_char(body))


class UserFactory(DjangoModelFactory):
    """A user with a verified e-mail; ``roles=["reviewer"]`` puts them in role groups."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    email_verified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
        if create:
            self.save()


def authenticator(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app, enrolled if they have none yet."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The code the app shows now, or the next step's when this one was used already:
    django-otp accepts each code once and tolerates one step of clock drift, so logging in
    twice within 30 seconds still works."""
    device.refresh_from_db()
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if clock.t() <= device.last_t:
        clock.drift += device.last_t + 1 - clock.t()
    return f"{clock.token():0{device.digits}d}"


def login_verified(client: Client, user: User) -> None:
    """``client.force_login`` for staff: the session also passed the second factor, as after
    the login's code step (staff without it are sent to verification)."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()


class EnterpriseFactory(DjangoModelFactory):
    """A live (approved by default) profile in 南宁市青秀区 with one industry and a contact."""

    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    uscc = factory.Sequence(lambda n: uscc_for(n + 1))
    name = factory.Sequence(lambda n: f"南宁北斗测试{n}科技有限公司")
    short_name = ""
    region = factory.LazyFunction(lambda: Region.objects.get(code="450103"))
    description = "专注北斗导航终端研发与生产。"
    status = Status.APPROVED
    approved_at = factory.LazyAttribute(
        lambda enterprise: timezone.now() if enterprise.status == Status.APPROVED else None
    )

    @factory.post_generation
    def industries(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create:
            self.industries.set(Industry.objects.filter(code__in=extracted or ["D0101"]))

    @factory.post_generation
    def owners(self, create: bool, extracted: list[User] | None, **kwargs) -> None:
        if create and extracted:
            self.add_owners(*extracted)

    @factory.post_generation
    def contact(self, create: bool, extracted: bool | None, **kwargs) -> None:
        if create and extracted is not False:
            Contact.objects.create(
                enterprise=self, name="李明", phone="0771-5551234", email="liming@example.cn"
            )


class QualificationFactory(DjangoModelFactory):
    """A secrecy qualification (保密资格二级) valid for two more years."""

    class Meta:
        model = Qualification

    enterprise = factory.SubFactory(EnterpriseFactory)
    type = factory.LazyFunction(lambda: QualificationType.objects.get(code="secrecy"))
    number = factory.Sequence(lambda n: f"桂BM2024{n:04d}")
    issuer = "广西壮族自治区国防科技工业办公室"
    level = "二级"
    valid_from = factory.LazyFunction(lambda: date.today() - timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: date.today() + timedelta(days=730))


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"北斗定位终端 BD-{n}")
    description = "支持短报文与高精度定位。"


def complete_profile(**changes: object) -> dict[str, object]:
    """The edits that make a wizard draft submittable (profile text, an industry, a contact)."""
    return {
        "description": "专注北斗导航终端研发与生产。",
        "industries": ["D0101"],
        "contacts": [{"name": "李明", "job_title": "总经理", "phone": "0771-5551234", "email": ""}],
        **changes,
    }


def submitted_enterprise(owner: User, n: int = 900, **changes: object) -> Enterprise:
    """A profile registered by ``owner`` through the workflow and submitted for review."""
    from portal.enterprises import workflow

    enterprise = workflow.create_enterprise(
        owner, uscc=uscc_for(n), name=f"广西测试{n}科技有限公司", region="450103"
    )
    workflow.save_draft(owner, enterprise, complete_profile(**changes))
    workflow.submit(owner, enterprise)
    enterprise.refresh_from_db()
    return enterprise


def release(item, tier: str, field_tiers: dict[str, str] | None = None):
    """Set ``item``'s release settings the one way the portal does: a classification officer
    through ``classification.changes`` (an item's own ``save`` never writes them)."""
    from classification import changes

    officer = UserFactory(username="release-officer", roles=["classification_officer"])
    return changes.set_tier(officer, item, tier, field_tiers)
