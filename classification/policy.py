"""The release policy: who may see which classifiable item. Every surface asks here.

A user's *clearance* is the widest tier they read without a grant (``docs/release.md``):
anonymous -> public; a verified e-mail -> registered; an owner of an approved enterprise, a
procurement officer, a reviewer or an editor -> vetted; a classification officer or a superuser
-> targeted, i.e. everything, unreleased items included. Targeted items are read through
grants — django-guardian object permissions ``<app>.view_targeted`` in the model's direct
user and group tables — to the user or to one of their groups (an approved enterprise's owners
are the members of its group), while they have not expired.

Unreleased items (drafts, items under review, expired or revoked ones) are not a tier: their
owners see them, and so do the people acting on their current workflow step (the model's
``Classification.acting``). Those people also see a released item they must act on.

``visible`` is one SQL filter (no Python loop), so that pages, counts and facets agree. What a
user is (clearance, groups, enterprises) is cached on the user object, which Django builds anew
for every request: a revoked vetting or an expired grant counts from the very next request.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.db.models.functions import Now
from django.http import Http404
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from portal.accounts import roles

from .declaration import BODY, Classification
from .tiers import ORDER, Tier, rank, tiers_up_to

_CACHE = "_classification_policy"
#: Roles whose members read vetted items (besides owners of approved enterprises).
VETTED_ROLES = frozenset({roles.PROCUREMENT, roles.REVIEWER, roles.EDITOR, roles.AGENCY})
#: The object permission a grant is (``<app>.view_targeted``).
CODENAME = "view_targeted"


def _cache(user) -> dict[str, Any]:
    cache_ = getattr(user, _CACHE, None)
    if cache_ is None:
        cache_ = {}
        setattr(user, _CACHE, cache_)
    return cache_


def forget(user) -> None:
    """Drop what this user object remembers (for code that keeps one user across changes)."""
    for attr in (_CACHE, "_role_names", "_release_visible_pages"):
        if hasattr(user, attr):
            delattr(user, attr)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_officer(user) -> bool:
    """Classification officers and superusers: they see every item and manage tiers/grants."""
    return _signed_in(user) and (
        user.is_superuser or roles.CLASSIFICATION_OFFICER in roles.role_names(user)
    )


def declaration(model) -> Classification:
    decl = getattr(model, "classification", None)
    if not isinstance(decl, Classification):
        raise TypeError(f"{model.__name__} is not classifiable (no Classification declared)")
    return decl


@cache
def classified_models() -> tuple[type[Model], ...]:
    """Every concrete classifiable model of the installed apps."""
    from django.apps import apps

    from .declaration import Classified

    return tuple(m for m in apps.get_models() if issubclass(m, Classified) and not m._meta.abstract)


@cache
def grant_tables(model) -> tuple[type[Model], type[Model]]:
    """The (user, group) grant tables of ``model``: guardian's direct object-permission
    models, found by guardian from their ``content_object`` foreign keys."""
    from .models import GroupGrant, UserGrant

    user_table, group_table = get_user_obj_perms_model(model), get_group_obj_perms_model(model)
    if not (issubclass(user_table, UserGrant) and issubclass(group_table, GroupGrant)):
        raise TypeError(f"{model.__name__} declares no UserGrant and GroupGrant tables")
    return user_table, group_table


def targeted_permission(model) -> Permission:
    """The ``view_targeted`` permission of ``model`` (declared in its ``Meta.permissions``)."""
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(model), codename=CODENAME
    )


def in_force() -> Q:
    """Grants (``view_targeted`` rows) that have not expired, compared with the database's
    clock."""
    return Q(permission__codename=CODENAME) & (
        Q(valid_until__isnull=True) | Q(valid_until__gt=Now())
    )


def enterprise_ids(user) -> list[int]:
    """The approved enterprises ``user`` owns: what makes them a vetted enterprise user."""
    if not _signed_in(user):
        return []
    cache_ = _cache(user)
    if "enterprises" not in cache_:
        from portal.enterprises.models import Enterprise

        released = Enterprise.classification.released()
        cache_["enterprises"] = list(
            Enterprise.objects.filter(released, group__user=user).values_list("pk", flat=True)
        )
    return cache_["enterprises"]


def group_ids(user) -> list[int]:
    """Every group ``user`` belongs to (roles, ad-hoc groups, enterprises' owner groups)."""
    if not _signed_in(user):
        return []
    cache_ = _cache(user)
    if "groups" not in cache_:
        cache_["groups"] = list(user.groups.values_list("pk", flat=True))
    return cache_["groups"]


def grant_group_ids(user) -> list[int]:
    """The groups whose grants reach ``user``: all their groups except the owner groups of
    unreleased items (a draft or revoked enterprise's owners hold none of its grants)."""
    if not _signed_in(user):
        return []
    cache_ = _cache(user)
    if "grant_groups" not in cache_:
        groups = group_ids(user)
        dormant: set[int] = set()
        for model in classified_models():
            decl = declaration(model)
            if decl.owner_group and groups:
                unreleased = model._default_manager.exclude(decl.released()).filter(
                    **{f"{decl.owner_group}__in": groups}
                )
                dormant.update(unreleased.values_list(decl.owner_group, flat=True))
        cache_["grant_groups"] = [pk for pk in groups if pk not in dormant]
    return cache_["grant_groups"]


def clearance(user) -> str:
    """The widest tier ``user`` reads without a grant (a ``Tier`` value)."""
    if not _signed_in(user):
        return Tier.PUBLIC
    cache_ = _cache(user)
    if "clearance" not in cache_:
        if is_officer(user):
            value = Tier.TARGETED
        elif roles.role_names(user) & VETTED_ROLES or enterprise_ids(user):
            value = Tier.VETTED
        elif user.email_verified_at is not None:
            value = Tier.REGISTERED
        else:
            value = Tier.PUBLIC
        cache_["clearance"] = value
    return cache_["clearance"]


def principals(user) -> list[str]:
    """The principal ids that grants name, as the search index stores them: u:, g:."""
    if not _signed_in(user):
        return []
    return [f"u:{user.pk}"] + [f"g:{pk}" for pk in grant_group_ids(user)]


def granted_ids(model, user) -> Q:
    """A filter on ``pk``: the ``model`` items granted to ``user`` right now (SQL ``now()``)."""
    user_table, group_table = grant_tables(model)
    mine = user_table.objects.filter(in_force(), user_id=user.pk).values("content_object_id")
    condition = Q(pk__in=mine)
    groups = grant_group_ids(user)
    if groups:
        theirs = group_table.objects.filter(in_force(), group_id__in=groups)
        condition |= Q(pk__in=theirs.values("content_object_id"))
    return condition


def owned_pks(model, user) -> list:
    """The ids of the user's own items of ``model`` (few: profiles, notices they wrote),
    fetched once per request so that the visibility query carries no second subplan."""
    decl = declaration(model)
    if not decl.owners or not _signed_in(user):
        return []
    cache_ = _cache(user)
    key = ("owned", model._meta.label_lower)
    if key not in cache_:
        owned = model._default_manager.filter(**{decl.owners: user})
        cache_[key] = list(owned.values_list("pk", flat=True).distinct())
    return cache_[key]


def acting_on(model, user) -> Q | None:
    """The items of ``model`` that ``user`` acts on at their current workflow step."""
    decl = declaration(model)
    if decl.acting is None or not _signed_in(user):
        return None
    return decl.acting(model, user)


def visible(queryset: QuerySet, user) -> QuerySet:
    """``queryset`` narrowed, in SQL, to the items ``user`` may see.

    Released items at a tier the user reads or granted to them, plus their own items and the
    items they act on at their current workflow step. Officers and superusers see everything.
    """
    model = queryset.model
    decl = declaration(model)
    released = decl.released()
    if not _signed_in(user):
        return queryset.filter(released, tier=Tier.PUBLIC)
    if is_officer(user):
        return queryset
    readable = tiers_up_to(clearance(user))
    above = [tier for tier in ORDER if tier not in readable]
    # The grant branch is limited to tiers above the clearance: PostgreSQL then probes the
    # hashed grant sets only for those rows.
    condition = released & (Q(tier__in=readable) | (Q(tier__in=above) & granted_ids(model, user)))
    owned = owned_pks(model, user)
    if owned:
        condition |= Q(pk__in=owned)
    acting = acting_on(model, user)
    if acting is not None:
        condition |= acting
    return queryset.filter(condition)


def visible_up_to(queryset: QuerySet, user, ceiling: str) -> QuerySet:
    """``visible``, and never above ``ceiling`` whatever grants ``user`` holds: for readers
    with a fixed ceiling, such as an agency's service account (never targeted items)."""
    return visible(queryset, user).filter(tier__in=tiers_up_to(ceiling))


def _read_at_tier(model, user) -> Q:
    """The first branch of ``visible``'s condition: released, at a tier ``user`` reads. Most
    items a signed-in person opens are in it, and a query with it alone plans and runs in a
    fraction of the whole condition's time (no grant, ownership or workflow subqueries), so
    the checks of one item try it first and fall back to the whole condition."""
    return declaration(model).released() & Q(tier__in=tiers_up_to(clearance(user)))


def can_view(user, obj: Model) -> bool:
    """Whether ``user`` may see ``obj`` (``visible``'s condition, for one row)."""
    if obj is None or obj.pk is None:
        return False
    if is_officer(user):
        return True
    one = type(obj)._default_manager.filter(pk=obj.pk)
    if _signed_in(user) and one.filter(_read_at_tier(type(obj), user)).exists():
        return True
    return visible(one, user).exists()


def get_visible_or_404(queryset: QuerySet, user, **lookup) -> Model:
    """The one item matching ``lookup`` that ``user`` may see, or 404: never 403, so that a
    restricted item's existence is not confirmed."""
    model = queryset.model
    try:
        if _signed_in(user) and not is_officer(user):
            try:  # the common case first (see ``_read_at_tier``)
                return queryset.filter(_read_at_tier(model, user)).get(**lookup)
            except model.DoesNotExist:
                pass
        return visible(queryset, user).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError, OverflowError) as error:
        raise Http404("No such item.") from error


def acts_on(user, obj: Model) -> bool:
    """Whether ``user`` acts on ``obj`` at its current workflow step (a reviewer on a profile
    waiting for review or claimed, an approver on a page at their task), or is an officer:
    the people who may read what only that step shows (a claim's letter, a draft's scans)."""
    if is_officer(user):
        return True
    acting = acting_on(type(obj), user)
    return acting is not None and type(obj)._default_manager.filter(acting, pk=obj.pk).exists()


def _reads_all_fields(user, obj: Model) -> bool:
    """Owners, grantees, officers and the people acting on an item read all of its fields."""
    if not _signed_in(user):
        return False
    if is_officer(user):
        return True
    model = type(obj)
    key = ("item", model._meta.label_lower, obj.pk)
    cache_ = _cache(user)
    if key not in cache_:
        if obj.pk in owned_pks(model, user):
            cache_[key] = True
        else:
            condition = granted_ids(model, user)
            acting = acting_on(model, user)
            if acting is not None:
                condition |= acting
            cache_[key] = model._default_manager.filter(condition, pk=obj.pk).exists()
    return cache_[key]


def _higher(first: str, second: str) -> str:
    return second if rank(second) > rank(first) else first


def field_tier(obj: Model, name: str) -> str:
    """A field's effective tier: never below its item's tier, and for an item with a stub,
    never below its body's tier unless the field is part of the stub."""
    floor = obj.tier
    decl = declaration(type(obj))
    if decl.stub and name != BODY and name not in decl.stub:
        floor = _higher(floor, obj.tier_of_field(BODY))
    return _higher(floor, obj.tier_of_field(name))


def stub_only(user, obj: Model) -> bool:
    """Whether ``user`` (who sees ``obj``) reads only its stub: its body is above them."""
    return bool(declaration(type(obj)).stub) and not field_visible(user, obj, BODY)


def body_readable(model, user) -> Q | None:
    """Among the ``model`` items ``user`` sees, those whose body they read, in SQL (None: all
    of them). Lists filter by body fields (industries, summary text) only within it, so that a
    stub is never found by what it withholds."""
    if not declaration(model).stub or is_officer(user):
        return None
    readable = [tier for tier in tiers_up_to(clearance(user)) if tier != Tier.TARGETED]
    # No body tier of its own: the body is at the item's tier, which the user reads.
    condition = Q(**{f"field_tiers__{BODY}__isnull": True}) | Q(
        **{f"field_tiers__{BODY}__in": readable}
    )
    if not _signed_in(user):
        return condition
    condition |= granted_ids(model, user)
    owned = owned_pks(model, user)
    if owned:
        condition |= Q(pk__in=owned)
    acting = acting_on(model, user)
    if acting is not None:
        condition |= acting
    return condition


def field_visible(user, obj: Model, field_name: str) -> bool:
    """Whether ``user`` reads ``field_name`` of ``obj`` (assuming they may see ``obj``)."""
    needed = rank(field_tier(obj, field_name))
    if needed <= rank(clearance(user)) and needed < rank(Tier.TARGETED):
        return True
    return _reads_all_fields(user, obj)


def search_filter(user) -> dict[str, Any]:
    """The engine-side filter clause matching what ``visible`` matches among released items.

    Each indexed document carries ``tier``, ``grants`` (principals without an end: owners and
    open-ended grants) and ``timed_grants`` (principal + end), built by ``index_principals``. A
    user matches a document at a tier they read, or through one of their principals — a timed
    one only while its end lies in the future, compared by the engine at query time, so an
    expired grant stops counting at once, before any re-index.
    """
    if is_officer(user):
        return {"match_all": {}}
    should: list[dict[str, Any]] = [{"terms": {"tier": tiers_up_to(clearance(user))}}]
    mine = principals(user)
    if mine:
        should.append({"terms": {"grants": mine}})
        should.append(
            {
                "nested": {
                    "path": "timed_grants",
                    "query": {
                        "bool": {
                            "filter": [
                                {"terms": {"timed_grants.principal": mine}},
                                {"range": {"timed_grants.until": {"gt": "now"}}},
                            ]
                        }
                    },
                }
            }
        )
    return {"bool": {"should": should, "minimum_should_match": 1}}


def among(field_name: str, ids: list[int]) -> Q:
    """``field_name`` among ``ids``: a range when the sorted ids fill most of it (a full
    build's chunk, where 500 parameters cost more than the rows they select), else a list.
    Rows in the range but not among ``ids`` are the caller's to leave out."""
    if ids and ids == sorted(ids) and ids[-1] - ids[0] < 2 * len(ids):
        return Q(**{f"{field_name}__gte": ids[0], f"{field_name}__lte": ids[-1]})
    return Q(**{f"{field_name}__in": ids})


def index_principals(model, ids) -> dict[int, dict[str, list]]:
    """For the search index, per item id: ``grants`` (principals that read it beyond its tier
    with no end: open-ended grants, the item's owners and the people acting on its current
    workflow step) and ``timed_grants`` (principal and end of each grant in force that expires).
    """
    ids = list(ids)
    if not ids:
        return {}
    chosen = set(ids)

    lasting: dict[int, set[str]] = defaultdict(set)
    timed: dict[int, dict[str, Any]] = defaultdict(dict)
    user_table, group_table = grant_tables(model)
    for table, prefix, column in ((user_table, "u", "user_id"), (group_table, "g", "group_id")):
        rows = table.objects.filter(among("content_object_id", ids), in_force()).values_list(
            "content_object_id", column, "valid_until"
        )
        for object_id, principal_id, until in rows:
            if object_id not in chosen:
                continue
            principal = f"{prefix}:{principal_id}"
            if until is None:
                lasting[object_id].add(principal)
            else:
                # Two grants to one principal: the later end wins.
                known = timed[object_id].get(principal)
                timed[object_id][principal] = max(until, known) if known else until
    decl = declaration(model)
    if decl.owner_group:
        owners = model._default_manager.filter(
            among("pk", ids), **{f"{decl.owner_group}__isnull": False}
        )
        for object_id, group_id in owners.values_list("pk", decl.owner_group):
            if object_id in chosen:
                lasting[object_id].add(f"g:{group_id}")
    elif decl.owners:
        path = f"{decl.owners}__pk"
        owners = model._default_manager.filter(among("pk", ids), **{f"{path}__isnull": False})
        for object_id, user_id in owners.values_list("pk", path):
            if object_id in chosen:
                lasting[object_id].add(f"u:{user_id}")
    if decl.acting_principals is not None:
        for object_id, acting in decl.acting_principals(model, ids).items():
            if object_id in chosen:
                lasting[object_id].update(acting)
    result: dict[int, dict[str, list]] = {}
    for object_id in set(lasting) | set(timed):
        result[object_id] = {
            "grants": sorted(lasting.get(object_id, ())),
            "timed_grants": [
                {"principal": principal, "until": until}
                for principal, until in sorted(timed.get(object_id, {}).items())
                if principal not in lasting.get(object_id, ())
            ],
        }
    return result


__all__ = [
    "ORDER",
    "acts_on",
    "among",
    "body_readable",
    "can_view",
    "clearance",
    "field_tier",
    "field_visible",
    "forget",
    "get_visible_or_404",
    "index_principals",
    "is_officer",
    "principals",
    "search_filter",
    "stub_only",
    "visible",
    "visible_up_to",
]
