"""Permissions of the petitions app, built from the org predicates.

Who sees what:
- officials of the agency handling a petition (front desk, handlers, head, committee leader) see
  it; committee leaders and inspectors also see the petitions of agencies in their unit and below
  (the provincial Inspectorate: the whole province). Home Affairs and system administrators see
  statistics only, never a petition.
- the denouncer's identity of a *protected* petition is shown only to the officials assigned to
  receive or resolve it and to the head of its agency — never to other officials of the agency,
  to leaders of superior units, to the Inspectorate or to administrators.
"""

from __future__ import annotations

from typing import Any

import rules

from danvan.org.predicates import (
    head_of_agency,
    is_committee_leader,
    is_front_desk,
    is_handler,
    is_head,
    is_home_affairs,
    is_inspector,
    is_official,
    is_sysadmin,
    leads_unit_of,
    same_agency,
)
from danvan.org.selectors import official_of

_ASSIGNED_CACHE = "_petitions_assigned_users"


def assigned_user_ids(obj: Any, duties: tuple[str, ...]) -> set[int]:
    """Users assigned to ``obj`` (a Petition) for one of ``duties`` (cached on the object)."""
    from danvan.petitions.models import Assignment

    if getattr(obj, "pk", None) is None:
        return set()
    cache: dict[tuple[str, ...], set[int]] = getattr(obj, _ASSIGNED_CACHE, None) or {}
    if duties not in cache:
        cache[duties] = set(
            Assignment.objects.filter(petition_id=obj.pk, duty__in=duties, active=True).values_list(
                "official__user_id", flat=True
            )
        )
        setattr(obj, _ASSIGNED_CACHE, cache)
    return cache[duties]


def forget_assignments(obj: Any) -> None:
    if hasattr(obj, _ASSIGNED_CACHE):
        delattr(obj, _ASSIGNED_CACHE)


@rules.predicate
def is_assigned_to_handle(user: Any, obj: Any) -> bool:
    """Assigned to receive or resolve the case (and still an official of its agency)."""
    from danvan.petitions.models import SEES_IDENTITY

    official = official_of(user)
    if official is None or getattr(obj, "agency_id", None) != official.agency_id:
        return False
    return user.pk in assigned_user_ids(obj, tuple(SEES_IDENTITY))


@rules.predicate
def is_protected(user: Any, obj: Any) -> bool:
    return bool(getattr(obj, "protected", False))


@rules.predicate
def received_it(user: Any, obj: Any) -> bool:
    """The official who received a reception entry."""
    official = official_of(user)
    return (
        official is not None
        and getattr(obj, "receiver_id", None) == user.pk
        and getattr(obj, "agency_id", None) == official.agency_id
    )


agency_staff = (is_front_desk | is_handler | is_head | is_committee_leader) & same_agency
in_scope = agency_staff | leads_unit_of
handlers_here = (is_handler | is_head) & same_agency

# Petitions ---------------------------------------------------------------------------------
rules.add_perm("petitions.view_petition", in_scope)
rules.add_perm("petitions.add_petition", (is_front_desk | is_handler | is_head) & same_agency)
# classify, check conditions and competence, accept, guide, transfer, store, link duplicates
rules.add_perm("petitions.handle_petition", handlers_here)
rules.add_perm("petitions.assign_petition", head_of_agency)
rules.add_perm("petitions.verify_petition", handlers_here | (is_inspector & leads_unit_of))
rules.add_perm("petitions.extend_petition", head_of_agency)
rules.add_perm("petitions.resolve_petition", handlers_here)
rules.add_perm("petitions.reopen_petition", head_of_agency | (is_committee_leader & leads_unit_of))
rules.add_perm(
    "petitions.reveal_identity",
    (is_protected & (is_assigned_to_handle | head_of_agency)) | (~is_protected & in_scope),
)

# Lists, statistics, exports (no object) ------------------------------------------------------
rules.add_perm("petitions.view_overdue", is_handler | is_head | is_committee_leader | is_inspector)
rules.add_perm(
    "petitions.view_statistics",
    is_head | is_committee_leader | is_home_affairs | is_inspector,
)
rules.add_perm("petitions.export_petitions", is_head | is_committee_leader | is_inspector)
rules.add_perm(
    "petitions.view_register",
    is_front_desk | is_handler | is_head | is_committee_leader | is_inspector,
)

# Reception register and schedule --------------------------------------------------------------
rules.add_perm("petitions.view_receptionentry", in_scope)
rules.add_perm(
    "petitions.add_receptionentry",
    (is_front_desk | is_handler | is_head | is_committee_leader) & same_agency,
)
rules.add_perm(
    "petitions.reveal_receptionentry",
    (is_protected & (received_it | head_of_agency)) | (~is_protected & in_scope),
)
rules.add_perm("petitions.view_receptionday", is_official)
rules.add_perm(
    "petitions.change_receptionday", (is_front_desk | is_head | is_committee_leader) & same_agency
)
rules.add_perm("petitions.change_petitionsettings", head_of_agency | is_sysadmin)
