"""Registering, rotating and revoking agencies' clients (the admin and the command call these).

The client secret is shown once, when it is made: django-oauth-toolkit stores only its hash.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import AccessToken, Application

from portal.accounts import roles

from .models import SCOPES, Ceiling, SharingClient


def _secret() -> str:
    return secrets.token_urlsafe(36)


def clean_scopes(scopes: list[str] | str) -> str:
    """The scopes as stored (space-separated, known ones only), or a clear error."""
    names = scopes.replace(",", " ").split() if isinstance(scopes, str) else list(scopes)
    unknown = [name for name in names if name not in SCOPES]
    if unknown:
        raise ValidationError(
            _("Unknown scope %(names)s; known scopes: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(SCOPES)}
        )
    if not names:
        raise ValidationError(_("Give at least one scope."))
    return " ".join(dict.fromkeys(names))


def apply_ceiling(client: SharingClient) -> None:
    """The service account reads what a person of the client's ceiling reads: a verified
    e-mail for registered, the agency role (a vetted clearance) for vetted."""
    user = client.service_user
    group, _created = Group.objects.get_or_create(name=roles.AGENCY)
    if client.ceiling == Ceiling.VETTED:
        user.groups.add(group)
    else:
        user.groups.remove(group)


@transaction.atomic
def register(
    name: str,
    agency: str,
    ceiling: str,
    scopes: list[str] | str,
    expires_on: date | None = None,
    terms: str = "",
) -> tuple[SharingClient, str]:
    """A new client and its secret (shown now, never again)."""
    if ceiling not in Ceiling.values:
        raise ValidationError(
            _("The tier ceiling must be one of: %(tiers)s.") % {"tiers": ", ".join(Ceiling.values)}
        )
    if SharingClient.objects.filter(name=name).exists():
        raise ValidationError(_("A client named %(name)s already exists.") % {"name": name})
    stored_scopes = clean_scopes(scopes)
    secret = _secret()
    application = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    user = get_user_model().objects.create(
        username=f"agency-{application.client_id[:24]}",
        email="",
        email_verified_at=timezone.now(),
        first_name=name[:150],
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    client = SharingClient.objects.create(
        application=application,
        name=name,
        agency=agency,
        ceiling=ceiling,
        scopes=stored_scopes,
        expires_on=expires_on,
        terms=terms,
        service_user=user,
    )
    application.user = user
    application.save(update_fields=["user"])
    apply_ceiling(client)
    return client, secret


@transaction.atomic
def rotate(client: SharingClient) -> str:
    """A new secret; the old one stops working at once. Tokens already issued run out."""
    secret = _secret()
    application = client.application
    application.client_secret = secret
    application.save(update_fields=["client_secret"])
    return secret


@transaction.atomic
def revoke(client: SharingClient) -> None:
    """The client gets no new token and its tokens fail on their next request."""
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at", "updated_at"])
    AccessToken.objects.filter(application=client.application).delete()
