"""Permissions of the consultations app, from the org predicates.

- Officials see the consultations of their scope (own agency; a committee leader or inspector the
  agencies of their unit and below; Home Affairs and system administrators the province).
- The agency's handlers and head prepare the draft, open and close it, moderate the comments and
  answer them; the head (or a People's Committee leader of that agency) issues and publishes the
  synthesis report.
"""

from __future__ import annotations

import rules

from danvan.org.predicates import (
    is_committee_leader,
    is_handler,
    is_head,
    is_official,
    leads_unit_of,
    province_wide,
    same_agency,
)

in_scope = same_agency | leads_unit_of | province_wide
organiser = (is_handler | is_head | is_committee_leader) & same_agency
signer = (is_head | is_committee_leader) & same_agency

rules.add_perm("consultations.view_consultation", is_official & in_scope)
rules.add_perm("consultations.add_consultation", is_handler | is_head | is_committee_leader)
rules.add_perm("consultations.change_consultation", organiser)
rules.add_perm("consultations.moderate_comment", organiser)
rules.add_perm("consultations.respond_comment", organiser)
rules.add_perm("consultations.publish_consultation", signer)
