"""Permissions of the plans app.

- Plans are read by every official; the province's leaders, Home Affairs and the system
  administrator manage them (require implementation plans, assign tasks).
- An agency records its own implementation plan (its head), reports progress on its own
  assignments (handlers and head), drafts its own periodic reports (handlers and head); the head
  approves and submits.
- Leaders of a People's Committee see the reports of their unit and below; Home Affairs sees every
  submission, returns incomplete ones and consolidates.
"""

from __future__ import annotations

from typing import Any

import rules

from danvan.org.predicates import (
    head_of_agency,
    is_committee_leader,
    is_handler,
    is_head,
    is_home_affairs,
    is_official,
    is_sysadmin,
    leads_unit_of,
    same_agency,
)
from danvan.plans.models import ReportStatus


@rules.predicate
def is_submitted(user: Any, obj: Any) -> bool:
    return getattr(obj, "status", None) in (ReportStatus.SUBMITTED, ReportStatus.RETURNED)


agency_staff = same_agency & (is_handler | is_head)

rules.add_perm("plans.view_plan", is_official)
rules.add_perm(
    "plans.manage_plan", (is_committee_leader & leads_unit_of) | is_home_affairs | is_sysadmin
)
rules.add_perm("plans.submit_subplan", head_of_agency | is_sysadmin)
rules.add_perm("plans.update_progress", agency_staff | is_sysadmin)
rules.add_perm(
    "plans.view_report",
    same_agency | leads_unit_of | (is_home_affairs & is_submitted) | is_sysadmin,
)
rules.add_perm("plans.edit_report", agency_staff)
rules.add_perm("plans.approve_report", head_of_agency)
rules.add_perm("plans.submit_report", head_of_agency)
rules.add_perm("plans.return_report", is_home_affairs)
rules.add_perm("plans.consolidate", is_home_affairs)
rules.add_perm("plans.view_submissions", is_home_affairs | is_committee_leader | is_sysadmin)
