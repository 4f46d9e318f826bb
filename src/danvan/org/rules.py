"""Permissions of the org app (and of the core screens, which know no roles themselves)."""

from __future__ import annotations

import rules

from danvan.org.predicates import (
    head_of_agency,
    is_committee_leader,
    is_head,
    is_home_affairs,
    is_inspector,
    is_official,
    is_sysadmin,
    leads_unit_of,
    province_wide,
    same_agency,
)

# Agencies: every official reads the directory; a head edits their own agency's details and
# names its mobilisation lead; a committee leader does so for agencies of their unit and below.
rules.add_perm("org.view_agency", is_official)
rules.add_perm(
    "org.change_agency", is_sysadmin | head_of_agency | (is_committee_leader & leads_unit_of)
)
rules.add_perm(
    "org.set_lead_agency", is_sysadmin | head_of_agency | (is_committee_leader & leads_unit_of)
)
rules.add_perm("org.view_official", is_sysadmin | same_agency | leads_unit_of | province_wide)
rules.add_perm("org.export_agencies", is_sysadmin | is_home_affairs | is_committee_leader | is_head)

# Core screens.
rules.add_perm("core.view_auditrecord", is_sysadmin | is_inspector)
rules.add_perm("core.use_calculator", is_official)
rules.add_perm("core.change_calendar", is_sysadmin)
rules.add_perm("core.change_deadlinerule", is_sysadmin)
rules.add_perm("core.view_outbox", is_sysadmin)
