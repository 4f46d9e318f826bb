"""Reads of the plans app. Each derived state (late, overdue, rolled-up progress) is computed
here and nowhere else."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from danvan.org.models import Agency
from danvan.org.selectors import agency_scope_q
from danvan.plans.models import (
    Assignment,
    AssignmentStatus,
    PeriodicReport,
    Plan,
    ReportStatus,
    ReportTemplate,
    SubplanRequirement,
    Task,
)
from danvan.plans.periods import ReportingPeriod
from danvan.shell import registry

OPEN_STATUSES = (AssignmentStatus.NOT_STARTED, AssignmentStatus.IN_PROGRESS)
TWO = Decimal("0.01")


# --- plans and the roll-up of progress ---------------------------------------------------------
def plans_for(user: Any) -> QuerySet[Plan]:
    """Plans an official may read: public plans, plans issued in their scope, the plans those
    implement, and plans that require something of an agency in their scope."""
    scope = agency_scope_q(user, "agency")
    own = Plan.objects.filter(scope)
    required = SubplanRequirement.objects.filter(scope).values("plan_id")
    assigned = Assignment.objects.filter(scope).values("task__plan_id")
    return (
        Plan.objects.filter(
            Q(is_public=True)
            | Q(pk__in=own.values("pk"))
            | Q(pk__in=own.values("parent_id"))
            | Q(pk__in=required)
            | Q(pk__in=assigned)
        )
        .select_related("agency", "parent")
        .order_by("-issued_on")
    )


def public_plans() -> QuerySet[Plan]:
    return Plan.objects.filter(is_public=True).select_related("agency").order_by("-issued_on")


def task_progress(plan: Plan, agency_ids: list[int] | None = None) -> dict[int, Decimal]:
    """Progress of every task of ``plan`` (0-100): a task with assignments averages them; a task
    with sub-tasks is the weighted mean of its sub-tasks (weights from ``Task.weight``). Tasks
    with neither count as 0. Two queries."""
    tasks = list(Task.objects.filter(plan=plan).order_by("order"))
    assignments = Assignment.objects.filter(task__plan=plan).exclude(
        status=AssignmentStatus.CANCELLED
    )
    if agency_ids is not None:
        assignments = assignments.filter(agency_id__in=agency_ids)
    by_task: dict[int, list[int]] = defaultdict(list)
    for task_id, progress in assignments.values_list("task_id", "progress"):
        by_task[task_id].append(progress)
    children: dict[int | None, list[Task]] = defaultdict(list)
    for task in tasks:
        children[task.parent_id].append(task)
    result: dict[int, Decimal] = {}

    def compute(task: Task) -> Decimal:
        kids = children.get(task.pk, [])
        if kids:
            total_weight = sum((k.weight for k in kids), Decimal(0))
            values = [(compute(k), k.weight) for k in kids]
            value = (
                (sum((v * w for v, w in values), Decimal(0)) / total_weight)
                if total_weight
                else Decimal(0)
            )
        elif by_task.get(task.pk):
            value = Decimal(sum(by_task[task.pk])) / len(by_task[task.pk])
        else:
            value = Decimal(0)
        result[task.pk] = value.quantize(TWO, ROUND_HALF_UP)
        return value

    for root in children.get(None, []):
        compute(root)
    return result


def plan_progress(plan: Plan, agency_ids: list[int] | None = None) -> Decimal:
    """The weighted progress of the plan's task groups (sections II and III)."""
    progress = task_progress(plan, agency_ids)
    roots = list(Task.objects.filter(plan=plan, parent__isnull=True, kind__in=["group", "duty"]))
    weight = sum((t.weight for t in roots), Decimal(0))
    if not weight:
        return Decimal(0)
    return (sum((progress[t.pk] * t.weight for t in roots), Decimal(0)) / weight).quantize(
        TWO, ROUND_HALF_UP
    )


# --- implementation plans ----------------------------------------------------------------------
@dataclass(frozen=True)
class RequirementState:
    code: str  # on_time, late, pending, overdue
    label: str


def requirement_state(req: SubplanRequirement, today: date | None = None) -> RequirementState:
    today = today or timezone.localdate()
    if req.submitted_on is not None:
        if req.submitted_on <= req.due_on:
            return RequirementState("on_time", "Đã ban hành đúng hạn")
        return RequirementState("late", "Ban hành chậm")
    if today > req.due_on:
        return RequirementState("overdue", "Quá hạn, chưa ban hành")
    return RequirementState("pending", "Chưa đến hạn")


def requirements_for(user: Any, plan: Plan) -> QuerySet[SubplanRequirement]:
    return (
        SubplanRequirement.objects.filter(plan=plan)
        .filter(agency_scope_q(user, "agency") | Q(plan__agency__in=_agencies_q(user)))
        .select_related("agency", "submitted")
        .order_by("agency__name")
    )


def _agencies_q(user: Any) -> QuerySet[Agency]:
    return Agency.objects.filter(agency_scope_q(user, ""))


def late_subplans(plan: Plan, today: date | None = None) -> list[SubplanRequirement]:
    """Agencies that issued their plan late or have not issued it past the due date."""
    reqs = SubplanRequirement.objects.filter(plan=plan).select_related("agency", "submitted")
    return [r for r in reqs if requirement_state(r, today).code in ("late", "overdue")]


# --- assignments -------------------------------------------------------------------------------
def assignments_for(user: Any) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(agency_scope_q(user, "agency"))
        .select_related("task__plan", "agency")
        .order_by("due_on", "task__order")
    )


def is_overdue(assignment: Assignment, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        assignment.status in OPEN_STATUSES
        and assignment.due_on is not None
        and assignment.due_on < today
    )


def overdue_q(today: date | None = None) -> Q:
    """The filter form of :func:`is_overdue`."""
    return Q(status__in=OPEN_STATUSES, due_on__lt=today or timezone.localdate())


def overdue_assignments_for(user: Any, today: date | None = None) -> QuerySet[Assignment]:
    return assignments_for(user).filter(overdue_q(today))


# --- periodic reports ---------------------------------------------------------------------------
def reports_for(user: Any) -> QuerySet[PeriodicReport]:
    """An agency sees its own reports and leaders those of their unit; Home Affairs sees every
    submission and its own agency's drafts; the system administrator sees everything."""
    from danvan.org.roles import Role
    from danvan.org.selectors import official_of

    qs = PeriodicReport.objects.select_related("template", "agency__unit")
    official = official_of(user)
    if (
        official is not None
        and official.has_role(Role.HOME_AFFAIRS)
        and not official.has_role(Role.SYSADMIN)
    ):
        return qs.filter(
            Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.RETURNED])
            | Q(agency_id=official.agency_id)
        )
    return qs.filter(agency_scope_q(user, "agency"))


def report_due_at(template: ReportTemplate, period: ReportingPeriod, agency: Agency) -> datetime:
    """A report is due at the close of office hours on the ``template.due_working_days``-th
    working day after the period ends."""
    from danvan.core.calendar import TZ, get_calendar

    day = get_calendar().working_days_after(period.end, template.due_working_days)
    return datetime.combine(day, agency.office_hours().closing, TZ)


def is_late(report: PeriodicReport, now: datetime | None = None) -> bool:
    """Submitted after its due time, or not submitted and past it."""
    now = now or timezone.now()
    if report.submitted_at is not None:
        return report.submitted_at > report.due_at
    return now > report.due_at


@dataclass(frozen=True)
class SubmissionRow:
    agency: Agency
    report: PeriodicReport | None
    state: str  # submitted_on_time, submitted_late, in_progress, overdue, not_started

    @property
    def label(self) -> str:
        return {
            "submitted_on_time": "Đã gửi đúng hạn",
            "submitted_late": "Gửi chậm",
            "in_progress": "Đang soạn, chưa đến hạn",
            "overdue": "Quá hạn, chưa gửi",
            "not_started": "Chưa lập báo cáo",
        }[self.state]


def submissions(
    template: ReportTemplate, period: ReportingPeriod, now: datetime | None = None
) -> list[SubmissionRow]:
    """Every agency that must report for the period, with its report and its state (2 queries)."""
    now = now or timezone.now()
    reports = {
        r.agency_id: r
        for r in PeriodicReport.objects.filter(
            template=template, period_key=period.key
        ).select_related("agency")
    }
    rows = []
    due_without_report: datetime | None = None
    for agency in template.agencies.select_related("unit").order_by("unit__path", "name"):
        report = reports.get(agency.pk)
        if report is None:
            if due_without_report is None:
                due_without_report = report_due_at(template, period, agency)
            state = "overdue" if now > due_without_report else "not_started"
        elif report.status == ReportStatus.SUBMITTED:
            state = "submitted_late" if is_late(report, now) else "submitted_on_time"
        else:
            state = "overdue" if is_late(report, now) else "in_progress"
        rows.append(SubmissionRow(agency, report, state))
    return rows


def late_submitters(
    template: ReportTemplate, period: ReportingPeriod, now: datetime | None = None
) -> list[SubmissionRow]:
    """Agencies that submitted late, or have not submitted by the due time."""
    return [
        r for r in submissions(template, period, now) if r.state in ("submitted_late", "overdue")
    ]


def consolidate_figures(template: ReportTemplate, reports: list[PeriodicReport]) -> dict[str, Any]:
    """Totals (sum or average, as each indicator says) and each agency's figures."""
    per_agency: dict[str, dict[str, str | None]] = {}
    columns: dict[str, list[Decimal]] = defaultdict(list)
    for report in reports:
        values = {v.indicator: v for v in report.values.all()}
        row: dict[str, str | None] = {}
        for ident in template.indicators:
            v = values.get(ident)
            row[ident] = None if v is None or v.value is None else str(v.value)
            if v is not None and v.value is not None:
                columns[ident].append(v.value)
        per_agency[str(report.agency_id)] = row
    totals: dict[str, str | None] = {}
    for ident in template.indicators:
        vals = columns.get(ident, [])
        agg = registry.indicators.get(ident).aggregation if ident in registry.indicators else "sum"
        if not vals:
            totals[ident] = None
        elif agg == "avg":
            totals[ident] = str((sum(vals, Decimal(0)) / len(vals)).quantize(TWO, ROUND_HALF_UP))
        else:
            totals[ident] = str(sum(vals, Decimal(0)).quantize(TWO))
    return {
        "indicators": list(template.indicators),
        "totals": totals,
        "agencies": per_agency,
        "agency_names": {str(r.agency_id): r.agency.name for r in reports},
        "reports": {str(r.agency_id): r.pk for r in reports},
        "corrections": {
            str(r.agency_id): {
                v.indicator: v.correction_reason for v in r.values.all() if v.correction_reason
            }
            for r in reports
        },
    }


def report_detail(pk: int) -> PeriodicReport:
    return (
        PeriodicReport.objects.select_related("template", "agency__unit", "agency__parent")
        .prefetch_related("values", Prefetch("sections"))
        .get(pk=pk)
    )
