"""/sitemap.xml lists the supplier profiles an anonymous visitor may open, and no other."""

from __future__ import annotations

import pytest
from django.urls import reverse

from classification.tiers import Tier
from portal.enterprises.models import Status
from tests.factories import EnterpriseFactory, release

pytestmark = pytest.mark.django_db


def test_public_profiles_are_listed_and_nothing_above_public(client) -> None:
    public = EnterpriseFactory(name="南宁公开供应商有限公司")
    vetted = EnterpriseFactory(name="认证级供应商有限公司")
    release(vetted, Tier.VETTED)
    targeted = EnterpriseFactory(name="定向级供应商有限公司")
    release(targeted, Tier.TARGETED)
    draft = EnterpriseFactory(name="草稿供应商有限公司", status=Status.DRAFT)
    revoked = EnterpriseFactory(name="已撤销供应商有限公司", status=Status.REVOKED)

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert f"{reverse('enterprises:profile', args=[public.pk])}</loc>" in xml
    for hidden in (vetted, targeted, draft, revoked):
        assert f"{reverse('enterprises:profile', args=[hidden.pk])}</loc>" not in xml, hidden
    # Each listed profile opens for the anonymous visitor the sitemap is written for.
    assert client.get(reverse("enterprises:profile", args=[public.pk])).status_code == 200


def test_a_signed_in_officer_does_not_widen_the_sitemap(client, django_user_model) -> None:
    vetted = EnterpriseFactory()
    release(vetted, Tier.VETTED)
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "x"))
    xml = client.get("/sitemap.xml").content.decode()
    assert f"{reverse('enterprises:profile', args=[vetted.pk])}</loc>" not in xml
