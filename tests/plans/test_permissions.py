"""Permission matrix of the plans app: an agency sees and edits only its own reports, Home Affairs
sees every submission, leaders see their scope."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from danvan.org.models import Agency
from danvan.plans.models import (
    Assignment,
    PeriodicReport,
    Plan,
    ReportStatus,
    ReportTemplate,
    SubplanRequirement,
    Task,
)
from danvan.plans.periods import PeriodType, ReportingPeriod
from tests.permissions import (
    Matrix,
    assert_perm_matrix,
    cases,
    client_for,
    expected,
    http_allowed,
    http_refused,
)
from tests.world import World

OFFICIALS = [
    "front_desk",
    "handler",
    "head",
    "committee_leader",
    "home_affairs",
    "inspector",
    "sysadmin",
]
Y = ReportingPeriod(PeriodType.YEAR, 2025, 1)

RULES: Matrix = {
    "plans.manage_plan": {
        "committee_leader": (True, False),
        "home_affairs": (True, True),
        "sysadmin": (True, True),
    },
    "plans.submit_subplan": {"head": (True, False), "sysadmin": (True, True)},
    "plans.update_progress": {
        "handler": (True, False),
        "head": (True, False),
        "sysadmin": (True, True),
    },
    "plans.edit_report": {"handler": (True, False), "head": (True, False)},
    "plans.approve_report": {"head": (True, False)},
    "plans.submit_report": {"head": (True, False)},
    # a draft report: Home Affairs does not see other agencies' drafts
    "plans.view_report": {
        "front_desk": (True, False),
        "handler": (True, False),
        "head": (True, False),
        "committee_leader": (True, False),
        "home_affairs": (True, False),
        "inspector": (True, True),
        "sysadmin": (True, True),
    },
}
SUBMITTED: Matrix = {
    "plans.view_report": {
        "front_desk": (True, False),
        "handler": (True, False),
        "head": (True, False),
        "committee_leader": (True, False),
        "home_affairs": (True, True),
        "inspector": (True, True),
        "sysadmin": (True, True),
    },
    "plans.return_report": {"home_affairs": (True, True)},
}


@pytest.fixture
def objects(world: World, plan: Plan, template: ReportTemplate) -> dict[str, Any]:
    return {"plan": plan, "template": template}


def _maker(
    action: str,
    world: World,
    plan: Plan,
    template: ReportTemplate,
    status: str = ReportStatus.DRAFT,
):  # type: ignore[no-untyped-def]
    task = Task.objects.filter(plan=plan, kind="item").first()

    def make(agency: Agency) -> Any:
        if action == "plans.manage_plan":
            return Plan.objects.create(title="Kế hoạch", agency=agency)
        if action == "plans.submit_subplan":
            return SubplanRequirement.objects.get_or_create(
                plan=plan, agency=agency, defaults={"due_on": date(2014, 1, 1)}
            )[0]
        if action == "plans.update_progress":
            return Assignment.objects.get_or_create(task=task, agency=agency)[0]
        report, _ = PeriodicReport.objects.get_or_create(
            template=template,
            agency=agency,
            period_key=Y.key,
            defaults={
                "period_start": Y.start,
                "period_end": Y.end,
                "due_at": "2025-12-19T17:00:00+07:00",
                "status": status,
            },
        )
        return report

    return make


@pytest.mark.parametrize(("action", "role"), cases(RULES))
def test_rules(world: World, plan: Plan, template: ReportTemplate, action: str, role: str) -> None:
    assert_perm_matrix(world, RULES, action, role, _maker(action, world, plan, template))


@pytest.mark.parametrize(("action", "role"), cases(SUBMITTED))
def test_rules_on_submitted_reports(
    world: World, plan: Plan, template: ReportTemplate, action: str, role: str
) -> None:
    assert_perm_matrix(
        world,
        SUBMITTED,
        action,
        role,
        _maker(action, world, plan, template, ReportStatus.SUBMITTED),
    )


VIEWS: Matrix = {
    "report_detail_draft": RULES["plans.view_report"],
    "report_detail_submitted": SUBMITTED["plans.view_report"],
    "plan_list": dict.fromkeys(OFFICIALS, (True, True)),
    "dashboard": dict.fromkeys(
        ["head", "committee_leader", "home_affairs", "inspector", "sysadmin"], (True, True)
    ),
    "submissions": dict.fromkeys(["committee_leader", "home_affairs", "sysadmin"], (True, True)),
    "api_reports": dict.fromkeys(OFFICIALS, (True, True)),
}


@pytest.mark.parametrize(("action", "role"), cases(VIEWS))
def test_views(world: World, plan: Plan, template: ReportTemplate, action: str, role: str) -> None:
    own_ok, other_ok = expected(VIEWS, action, role)
    status = ReportStatus.SUBMITTED if action == "report_detail_submitted" else ReportStatus.DRAFT
    make = _maker("report", world, plan, template, status)
    for agency, ok in ((world.own(role), own_ok), (world.other, other_ok)):
        client = client_for(world, role)
        if action.startswith("report_detail"):
            r = client.get(reverse("plans:report-detail", args=[make(agency).pk]))
        elif action == "plan_list":
            r = client.get(reverse("plans:plan-list"))
        elif action == "dashboard":
            r = client.get(reverse("dashboard:dashboard"))
        elif action == "submissions":
            r = client.get(reverse("plans:submissions", args=[template.pk, Y.key]))
        else:
            r = client.get("/api/v1/plan-reports")
        if ok:
            assert http_allowed(r.status_code), (role, action, agency.code, r.status_code)
        else:
            assert http_refused(r.status_code), (role, action, agency.code, r.status_code)
