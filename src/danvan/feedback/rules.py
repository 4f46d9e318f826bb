"""Permissions of the feedback app, built from the org predicates.

Who does what with a feedback item of their own agency:

- front desk: reads, gives it to a handler, transfers it when it is not within competence;
- handler: reads, transfers, merges duplicates, drafts the answer;
- head of agency: all of that, approves (or returns) the answer, publishes it, keeps the agency's
  reply templates, sees the overdue list;
- committee leaders and inspectors: read what belongs to agencies of their unit and below;
  committee leaders keep the routing rules for their unit;
- Home Affairs and the system administrator: read everything (statistics); the administrator
  keeps every routing rule and the province-wide reply templates.
"""

from __future__ import annotations

from typing import Any

import rules

from danvan.org.predicates import (
    in_subordinate_unit,
    is_committee_leader,
    is_front_desk,
    is_handler,
    is_head,
    is_inspector,
    is_official,
    is_sysadmin,
    leads_unit_of,
    province_wide,
    same_agency,
)


@rules.predicate
def is_province_template(user: Any, obj: Any) -> bool:
    """A reply template shared by the whole province (no agency)."""
    return obj is not None and getattr(obj, "agency_id", 0) is None


view_feedback = same_agency | leads_unit_of | province_wide
rules.add_perm("feedback.view_feedback", is_official & view_feedback)
# Entering feedback that reached the agency on paper or by phone (object: the agency).
rules.add_perm("feedback.add_feedback", (is_head | is_front_desk | is_handler) & same_agency)
rules.add_perm("feedback.assign_feedback", (is_head | is_front_desk) & same_agency)
rules.add_perm("feedback.transfer_feedback", (is_head | is_front_desk | is_handler) & same_agency)
rules.add_perm("feedback.merge_feedback", (is_head | is_handler) & same_agency)
rules.add_perm("feedback.answer_feedback", (is_head | is_handler) & same_agency)
rules.add_perm("feedback.approve_feedback", is_head & same_agency)
rules.add_perm("feedback.publish_feedback", is_head & same_agency)

# Pages and lists without an object.
rules.add_perm("feedback.view_inbox", is_official)
rules.add_perm(
    "feedback.view_overdue", is_head | is_committee_leader | is_inspector | province_wide
)
rules.add_perm("feedback.view_stats", is_head | is_committee_leader | is_inspector | province_wide)
rules.add_perm("feedback.view_routingrule", is_sysadmin | is_committee_leader)
rules.add_perm("feedback.view_replytemplate", is_official)

# Objects: a routing rule belongs where its agency is; a reply template to its agency (or to the
# province, when it has none).
rules.add_perm(
    "feedback.change_routingrule", is_sysadmin | (is_committee_leader & in_subordinate_unit)
)
rules.add_perm(
    "feedback.change_replytemplate",
    is_sysadmin | (is_head & same_agency & ~is_province_template),
)
