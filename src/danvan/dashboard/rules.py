"""Who sees the leaders' dashboard: heads of agency (their agency), leaders of People's
Committees and inspectors (their unit and below), Home Affairs and administrators (province)."""

import rules

from danvan.org.predicates import (
    is_committee_leader,
    is_head,
    is_home_affairs,
    is_inspector,
    is_sysadmin,
)

rules.add_perm(
    "dashboard.view_dashboard",
    is_head | is_committee_leader | is_home_affairs | is_inspector | is_sysadmin,
)
