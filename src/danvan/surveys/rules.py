"""Permissions of the surveys app, built from the org predicates.

- Questionnaires are province-wide templates: the Department of Home Affairs (which organises
  SIPAS) and system administrators write them; every official reads them.
- A campaign belongs to its organising agency (``campaign.agency``): Home Affairs and system
  administrators run any; the head of the organising agency and the People's Committee leader of
  its unit run their own.
- Results are read per surveyed agency: its head, the leaders and inspectors of its unit and above,
  Home Affairs and system administrators, and the head of the agency that organised the campaign.
  Front-desk officials and handlers — the people being rated — do not read the results (they are
  public once the organiser publishes them).
- Counter work for one's own agency: paper entry (front desk, handler, head), counter kiosks
  (front desk, head), one-time invitations (front desk, handler, head).
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
    is_official,
    is_sysadmin,
    leads_unit_of,
    province_wide,
    same_agency,
)
from danvan.org.selectors import official_of


@rules.predicate
def heads_organiser(user: Any, obj: Any) -> bool:
    """The head of the agency that organised the campaign the object belongs to."""
    official = official_of(user)
    campaign = getattr(obj, "campaign", None)
    return (
        official is not None
        and campaign is not None
        and official.has_role("head")
        and campaign.agency_id == official.agency_id
    )


@rules.predicate
def participates(user: Any, campaign: Any) -> bool:
    """The official's agency is surveyed in the campaign."""
    official = official_of(user)
    if official is None or campaign is None or not hasattr(campaign, "participants"):
        return False
    return any(p.agency_id == official.agency_id for p in campaign.participants.all())


counter_staff = is_front_desk | is_handler | is_head

rules.add_perm("surveys.view_questionnaire", is_official)
rules.add_perm("surveys.manage_questionnaire", is_home_affairs | is_sysadmin)

rules.add_perm(
    "surveys.add_campaign", is_home_affairs | is_sysadmin | is_head | is_committee_leader
)
change_campaign = province_wide | head_of_agency | (is_committee_leader & in_subordinate_unit)
rules.add_perm("surveys.change_campaign", change_campaign)
rules.add_perm(
    "surveys.view_campaign",
    change_campaign | leads_unit_of | (is_official & same_agency) | participates,
)

view_results = province_wide | head_of_agency | leads_unit_of | heads_organiser
rules.add_perm("surveys.view_results", view_results)
rules.add_perm("surveys.export_results", view_results)
rules.add_perm("surveys.view_results_all", province_wide)

rules.add_perm("surveys.enter_paper", (counter_staff & same_agency) | is_home_affairs)
rules.add_perm("surveys.void_response", head_of_agency | is_home_affairs)
rules.add_perm("surveys.manage_kiosk", ((is_front_desk | is_head) & same_agency) | is_sysadmin)
rules.add_perm("surveys.invite", (counter_staff & same_agency) | is_sysadmin)
