"""API tokens (django-rest-knox): issued, listed and revoked here, and ended by what ends trust.

A token stands for its owner until it expires (``API_TOKEN_TTL_DAYS``), until the owner revokes
it, or until one of these happens to the owner, whichever way it is done (site pages, the Wagtail
admin, a shell): the password changes, the account is deactivated, or a group that is a role or
an ad-hoc access group is taken away. The receivers below watch the models rather than the views,
so that no path that changes a user can forget to end the tokens. Enterprises' owner groups are
left out: the admin's user form takes them away and gives them back on every save
(``admin_users._RoleGroupsOnly``), and ownership is decided afresh on every request anyway.

Knox stores only a hash of each secret; ``token_key``, the first characters of the secret, is
what owners see and revoke tokens by.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.utils import timezone
from knox.models import AuthToken

from .models import User


def live_tokens(user: User) -> QuerySet[AuthToken]:
    """The user's tokens that still authenticate, newest first."""
    return AuthToken.objects.filter(
        Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()), user=user
    ).order_by("-created")


@transaction.atomic
def issue(user: User) -> tuple[AuthToken, str]:
    """A new token and its secret, which is shown once and never stored.

    Beyond ``API_TOKENS_PER_USER`` live tokens the oldest end: a script that logs in on every run
    keeps working, and the rows knox reads on each request stay few.
    """
    token, secret = AuthToken.objects.create(user=user)
    surplus = live_tokens(user).values_list("digest", flat=True)[settings.API_TOKENS_PER_USER :]
    AuthToken.objects.filter(digest__in=list(surplus)).delete()
    return token, secret


def revoke(user: User, token_key: str) -> bool:
    """End one of ``user``'s tokens; False when the user has no token with that key."""
    deleted, _per_model = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return deleted > 0


def end_all(user_ids: Iterable[int]) -> None:
    """End every token of these users."""
    AuthToken.objects.filter(user_id__in=list(user_ids)).delete()


def _access_groups(group_ids: Iterable[int]) -> QuerySet[Group]:
    """Of these groups, the roles and ad-hoc groups: all but enterprises' owner groups."""
    return Group.objects.filter(pk__in=list(group_ids), enterprise__isnull=True)


def _on_user_save(sender, instance: User, raw: bool = False, update_fields=None, **kwargs) -> None:
    """A new password hash or a deactivation ends the user's tokens.

    Compared with the stored row, so that ``set_password`` + ``save``, the reset and change forms
    and the admin's forms are all caught. A hasher upgrade at login also changes the hash; it ends
    tokens as it ends the user's other sessions in Django.
    """
    if raw or instance._state.adding:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    stored_password = stored.first()
    if stored_password is None:
        return
    if stored_password != instance.password or not instance.is_active:
        end_all([instance.pk])


def _on_membership_change(
    sender, instance, action: str, reverse: bool, pk_set: set[int] | None, **kwargs
) -> None:
    """Taking a role or ad-hoc group away, from either side of the relation, ends tokens."""
    if action not in ("post_remove", "pre_clear"):
        return
    if reverse:  # ``group.user_set``: instance is the group, pk_set holds users
        if _access_groups([instance.pk]).exists():
            members = instance.user_set.values_list("pk", flat=True)
            end_all(pk_set if action == "post_remove" else members)
    else:  # ``user.groups``: instance is the user, pk_set holds groups
        groups = pk_set if action == "post_remove" else instance.groups.values_list("pk", flat=True)
        if _access_groups(groups).exists():
            end_all([instance.pk])


def _on_group_delete(sender, instance: Group, **kwargs) -> None:
    """Deleting a group removes its memberships without ``m2m_changed``: end them here."""
    if _access_groups([instance.pk]).exists():
        end_all(instance.user_set.values_list("pk", flat=True))


def connect() -> None:
    """Called from ``AccountsConfig.ready``."""
    pre_save.connect(_on_user_save, sender=User, dispatch_uid="api_tokens.user_save")
    m2m_changed.connect(
        _on_membership_change, sender=User.groups.through, dispatch_uid="api_tokens.membership"
    )
    pre_delete.connect(_on_group_delete, sender=Group, dispatch_uid="api_tokens.group_delete")
