"""Permissions of the dialogues app, from the org predicates.

- Officials see the dialogues of their scope (own agency; a committee leader or inspector the
  agencies of their unit and below; Home Affairs and system administrators the province).
- The organising agency's handlers, head and People's Committee leaders schedule the dialogue,
  moderate and record questions and answers, and note commitments; its head or leader signs the
  minutes.
- A commitment's owner agency (its handlers and head) reports progress with evidence.
- Counts per commune: leaders, heads, Home Affairs, inspectors, system administrators.
"""

from __future__ import annotations

import rules

from danvan.org.predicates import (
    is_committee_leader,
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

in_scope = same_agency | leads_unit_of | province_wide

rules.add_perm("dialogues.view_dialogue", is_official & in_scope)
rules.add_perm("dialogues.add_dialogue", is_handler | is_head | is_committee_leader)
rules.add_perm(
    "dialogues.change_dialogue", (is_handler | is_head | is_committee_leader) & same_agency
)
rules.add_perm("dialogues.issue_minutes", (is_head | is_committee_leader) & same_agency)
rules.add_perm(
    "dialogues.report_commitment", (is_handler | is_head | is_committee_leader) & same_agency
)
rules.add_perm(
    "dialogues.view_counts",
    is_committee_leader | is_head | is_home_affairs | is_inspector | is_sysadmin,
)
