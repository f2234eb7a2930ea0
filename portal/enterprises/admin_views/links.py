"""Admin URLs the reviewers' pages link to, in one place."""

from __future__ import annotations

from django.urls import reverse


def review_url(enterprise_pk: int) -> str:
    return reverse("enterprises_review:review", args=[enterprise_pk])


def classification_url(enterprise_pk: int) -> str:
    """The classification officer's page for this profile (tiers, field tiers, grants).

    Built by ``classification/``'s admin; linked by path so that this app does not import it.
    """
    return (
        reverse("wagtailadmin_home")
        + f"classification/item/enterprises/enterprise/{enterprise_pk}/"
    )
