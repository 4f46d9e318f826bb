"""Reads of the org app. Scoped selectors take the user and apply what their roles may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from danvan.org.models import AdminUnit, Agency, Official, OfficialRole
from danvan.org.roles import Role

_CACHE_ATTR = "_danvan_official"
_MEMBERSHIPS_ATTR = "_danvan_memberships"


def memberships_of(user: Any) -> list[Official]:
    """The user's active memberships, with agency, unit, lead and roles (2 queries, cached)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _MEMBERSHIPS_ATTR, None)
    if cached is None:
        cached = list(
            Official.objects.filter(user_id=user.pk, is_active=True, agency__is_active=True)
            .select_related("agency__unit", "agency__mobilisation_lead__user")
            .prefetch_related(Prefetch("roles", queryset=OfficialRole.objects.order_by("role")))
            .order_by("pk")
        )
        setattr(user, _MEMBERSHIPS_ATTR, cached)
    return cached


def official_of(user: Any) -> Official | None:
    """The membership the user is acting in (chosen by the middleware, else the first)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, _CACHE_ATTR):
        return getattr(user, _CACHE_ATTR)
    memberships = memberships_of(user)
    official = memberships[0] if memberships else None
    setattr(user, _CACHE_ATTR, official)
    return official


def use_membership(user: Any, membership_id: int | None) -> Official | None:
    """Make ``membership_id`` (one of the user's) the one they act in for this request."""
    memberships = memberships_of(user)
    chosen = next((m for m in memberships if m.pk == membership_id), None)
    official = chosen or (memberships[0] if memberships else None)
    setattr(user, _CACHE_ATTR, official)
    return official


def roles_of(user: Any) -> frozenset[str]:
    official = official_of(user)
    return official.role_codes if official else frozenset()


def is_province_wide(user: Any) -> bool:
    """Home Affairs consolidators and system administrators see every agency of the province."""
    return bool(roles_of(user) & {Role.HOME_AFFAIRS, Role.SYSADMIN})


def agency_scope_q(user: Any, field: str = "agency") -> Q:
    """A filter on ``<field>`` (a FK to Agency) for what the user may see.

    - Home Affairs and system administrators: the whole province;
    - leaders of a People's Committee and inspectors: every agency in their unit and below;
    - other officials: their own agency;
    - anyone else: nothing.
    """
    official = official_of(user)
    if official is None:
        return Q(pk__in=[])
    prefix = f"{field}__" if field else ""
    roles = official.role_codes
    if roles & {Role.HOME_AFFAIRS, Role.SYSADMIN}:
        return Q()
    if roles & {Role.COMMITTEE_LEADER, Role.INSPECTOR}:
        return Q(**{f"{prefix}unit__path__startswith": official.agency.unit.path})
    return Q(**{f"{field}_id" if field else "pk": official.agency_id})


def agencies_for(user: Any) -> QuerySet[Agency]:
    """Agencies the user may see in the back office."""
    return (
        Agency.objects.filter(agency_scope_q(user, field=""))
        .select_related("unit", "parent", "mobilisation_lead__user")
        .order_by("unit__path", "name")
    )


def agency_directory() -> QuerySet[Agency]:
    """The public directory: active agencies with their mobilisation lead (public information)."""
    return (
        Agency.objects.filter(is_active=True)
        .select_related("unit", "parent", "mobilisation_lead__user")
        .order_by("unit__path", "kind", "name")
    )


def units_under(unit: AdminUnit, *, current_only: bool = False) -> QuerySet[AdminUnit]:
    qs = AdminUnit.objects.filter(path__startswith=unit.path)
    return qs.filter(valid_to__isnull=True) if current_only else qs


def officials_for(user: Any) -> QuerySet[Official]:
    return (
        Official.objects.filter(agency_scope_q(user, field="agency"))
        .select_related("user", "agency__unit")
        .prefetch_related("roles")
        .order_by("agency__name", "user__full_name")
    )
