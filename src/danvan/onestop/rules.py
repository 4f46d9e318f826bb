"""Permissions of the one-stop shop, built from the org predicates.

The receiving agency's counter (front desk, or the head of the agency) receives, asks for a
supplement, refuses, hands results back and records withdrawals; the handling agency's
handlers and head handle, send back as insufficient, apologise and resolve; leaders see their
unit, Home Affairs and system administrators the whole province.
"""

from __future__ import annotations

from typing import Any

import rules

from danvan.org.predicates import (
    head_of_agency,
    in_subordinate_unit,
    is_committee_leader,
    is_front_desk,
    is_handler,
    is_head,
    is_home_affairs,
    is_inspector,
    is_official,
    is_sysadmin,
    leads_unit_of,
    province_wide,
    same_agency,
)
from danvan.org.selectors import official_of


@rules.predicate
def handles_dossier(user: Any, dossier: Any) -> bool:
    """The official works in the agency that is handling the dossier."""
    official = official_of(user)
    handling = getattr(dossier, "handling_agency_id", None)
    return official is not None and handling is not None and handling == official.agency_id


@rules.predicate
def procedure_at_own_level(user: Any, procedure: Any) -> bool:
    """A procedure every agency of a level carries out (no single agency), at the official's
    level (e.g. a commune procedure for an official of a commune People's Committee)."""
    official = official_of(user)
    if official is None or getattr(procedure, "agency_id", 0) is not None:
        return False
    return bool(official.agency.unit.level == getattr(procedure, "level", None))


counter_staff = (is_front_desk | is_head) & same_agency
handling_staff = (is_handler | is_head) & (handles_dossier | same_agency)
in_scope = same_agency | handles_dossier | leads_unit_of | province_wide

# dossiers
rules.add_perm("onestop.view_dossier", in_scope)
rules.add_perm("onestop.list_dossier", is_official)
rules.add_perm("onestop.receive_dossier", is_front_desk | is_head)
rules.add_perm("onestop.backdate_dossier", is_head)
rules.add_perm("onestop.request_supplement_dossier", counter_staff)
rules.add_perm("onestop.supplement_dossier", counter_staff)
rules.add_perm("onestop.refuse_dossier", counter_staff)
rules.add_perm(
    "onestop.forward_dossier",
    (is_front_desk | is_handler | is_head) & (same_agency | handles_dossier),
)
rules.add_perm("onestop.return_insufficient_dossier", (is_handler | is_head) & handles_dossier)
rules.add_perm("onestop.handle_dossier", handling_staff)
rules.add_perm("onestop.apologise_dossier", handling_staff)
rules.add_perm("onestop.resolve_dossier", handling_staff)
rules.add_perm("onestop.return_result_dossier", counter_staff)
rules.add_perm("onestop.withdraw_dossier", counter_staff)
rules.add_perm("onestop.tablet_rating_dossier", counter_staff)
rules.add_perm("onestop.print_dossier", in_scope)

# lists, statistics, registers (scoped by the selectors)
rules.add_perm(
    "onestop.view_statistics",
    is_head | is_committee_leader | is_home_affairs | is_inspector | is_sysadmin,
)
rules.add_perm(
    "onestop.view_late_dossiers", is_head | is_committee_leader | is_home_affairs | is_sysadmin
)
rules.add_perm("onestop.export_register", is_front_desk | is_head)

# the catalogue
rules.add_perm("onestop.import_procedure", is_sysadmin)
rules.add_perm("onestop.change_procedure", is_sysadmin | head_of_agency)
rules.add_perm(
    "onestop.review_procedure",
    is_sysadmin
    | (
        (is_head | is_committee_leader)
        & (same_agency | (is_committee_leader & in_subordinate_unit) | procedure_at_own_level)
    ),
)
rules.add_perm(
    "onestop.list_reviews", is_sysadmin | is_head | is_committee_leader | is_home_affairs
)
