"""The predicates every permission is built from (django-rules).

Objects tell where they belong through :func:`agency_of`: an Agency itself, anything with an
``agency`` attribute, or anything with a ``scope_agency`` property.
"""

from __future__ import annotations

from typing import Any

import rules

from danvan.org.models import AdminUnit, Agency
from danvan.org.roles import Role
from danvan.org.selectors import official_of


def agency_of(obj: Any) -> Agency | None:
    if obj is None:
        return None
    if isinstance(obj, Agency):
        return obj
    scope = getattr(obj, "scope_agency", None)
    if isinstance(scope, Agency):
        return scope
    agency = getattr(obj, "agency", None)
    return agency if isinstance(agency, Agency) else None


def unit_of(obj: Any) -> AdminUnit | None:
    if isinstance(obj, AdminUnit):
        return obj
    agency = agency_of(obj)
    return agency.unit if agency else getattr(obj, "unit", None)


@rules.predicate
def is_official(user: Any) -> bool:
    return official_of(user) is not None


@rules.predicate
def is_citizen(user: Any) -> bool:
    """Signed in, and not an official."""
    return bool(getattr(user, "is_authenticated", False)) and official_of(user) is None


def has_role(*roles: str) -> rules.Predicate:
    names = "_or_".join(roles)

    @rules.predicate(name=f"has_role_{names}")
    def _has_role(user: Any) -> bool:
        official = official_of(user)
        return official is not None and official.has_role(*roles)

    return _has_role


@rules.predicate
def same_agency(user: Any, obj: Any) -> bool:
    official = official_of(user)
    agency = agency_of(obj)
    return official is not None and agency is not None and agency.pk == official.agency_id


@rules.predicate
def in_subordinate_unit(user: Any, obj: Any) -> bool:
    """The object's unit is the official's own unit or lies under it."""
    official = official_of(user)
    unit = unit_of(obj)
    return official is not None and unit is not None and unit.is_within(official.agency.unit)


is_front_desk = has_role(Role.FRONT_DESK)
is_handler = has_role(Role.HANDLER)
is_head = has_role(Role.HEAD)
is_committee_leader = has_role(Role.COMMITTEE_LEADER)
is_home_affairs = has_role(Role.HOME_AFFAIRS)
is_inspector = has_role(Role.INSPECTOR)
is_sysadmin = has_role(Role.SYSADMIN)

# Wide scopes used by many apps.
province_wide = is_home_affairs | is_sysadmin
leads_unit_of = (is_committee_leader | is_inspector) & in_subordinate_unit
head_of_agency = is_head & same_agency
