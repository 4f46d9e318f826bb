"""The plans app's API: read plans, tasks, progress and report figures; officials update progress
and approve and submit their agency's reports."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from danvan.core.errors import PermissionDeniedError
from danvan.org.models import User
from danvan.plans import selectors, services
from danvan.plans.models import Plan, Task

router = Router(tags=["Kế hoạch, báo cáo (plans, reports)"])


def _official(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_perm("plans.view_plan"):
        raise PermissionDeniedError("Chỉ cán bộ mới dùng được chức năng này.")
    return user


class PlanOut(Schema):
    id: int
    symbol: str
    title: str
    issued_on: date | None
    agency: str
    parent_id: int | None
    progress: Decimal


class TaskOut(Schema):
    id: int
    code: str
    kind: str
    title: str
    parent_id: int | None
    weight: Decimal
    progress: Decimal


class PlanDetailOut(PlanOut):
    tasks: list[TaskOut]


class AssignmentOut(Schema):
    id: int
    task: str
    agency: str
    due_on: date | None
    status: str
    progress: int
    overdue: bool


class ProgressIn(Schema):
    status: str = Field(description="not_started | in_progress | done | cancelled")
    progress: int | None = Field(None, ge=0, le=100)
    note: str = Field(min_length=1)


class ValueOut(Schema):
    indicator: str
    live_value: Decimal | None
    value: Decimal | None
    correction_reason: str


class ReportOut(Schema):
    id: int
    agency: str = Field(alias="agency.code")
    template: str = Field(alias="template.name")
    period: str = Field(alias="period_key")
    status: str
    due_at: datetime
    submitted_at: datetime | None
    symbol: str
    values: list[ValueOut]


@router.get("/plans", response=list[PlanOut], summary="Kế hoạch trong phạm vi")
def plan_list(request: HttpRequest) -> list[dict]:
    user = _official(request)
    return [_plan(p) for p in selectors.plans_for(user)[:200]]


def _plan(p: Plan) -> dict:
    return {
        "id": p.pk,
        "symbol": p.symbol,
        "title": p.title,
        "issued_on": p.issued_on,
        "agency": p.agency.name,
        "parent_id": p.parent_id,
        "progress": selectors.plan_progress(p),
    }


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="Kế hoạch, nhiệm vụ và tiến độ")
def plan_detail(request: HttpRequest, plan_id: int) -> dict:
    user = _official(request)
    plan = get_object_or_404(selectors.plans_for(user), pk=plan_id)
    progress = selectors.task_progress(plan)
    return {
        **_plan(plan),
        "tasks": [
            {
                "id": t.pk,
                "code": t.code,
                "kind": t.kind,
                "title": t.title,
                "parent_id": t.parent_id,
                "weight": t.weight,
                "progress": progress.get(t.pk, Decimal(0)),
            }
            for t in Task.objects.filter(plan=plan).order_by("order")
        ],
    }


@router.get(
    "/plan-assignments", response=list[AssignmentOut], summary="Nhiệm vụ được giao (trong phạm vi)"
)
def assignments(request: HttpRequest, overdue: bool = False) -> list[dict]:
    user = _official(request)
    qs = selectors.assignments_for(user)
    if overdue:
        qs = qs.filter(selectors.overdue_q())
    return [
        {
            "id": a.pk,
            "task": a.task.code,
            "agency": a.agency.code,
            "due_on": a.due_on,
            "status": a.status,
            "progress": a.progress,
            "overdue": selectors.is_overdue(a),
        }
        for a in qs[:1000]
    ]


@router.post(
    "/plan-assignments/{assignment_id}/progress",
    response=AssignmentOut,
    summary="Cập nhật tiến độ nhiệm vụ",
)
def assignment_progress(request: HttpRequest, assignment_id: int, payload: ProgressIn) -> dict:
    user = _official(request)
    assignment = get_object_or_404(selectors.assignments_for(user), pk=assignment_id)
    services.progress_update(
        actor=user,
        assignment=assignment,
        status=payload.status,
        progress=payload.progress,
        note=payload.note,
    )
    assignment.refresh_from_db()
    return {
        "id": assignment.pk,
        "task": assignment.task.code,
        "agency": assignment.agency.code,
        "due_on": assignment.due_on,
        "status": assignment.status,
        "progress": assignment.progress,
        "overdue": selectors.is_overdue(assignment),
    }


@router.get("/plan-reports", response=list[ReportOut], summary="Báo cáo định kỳ (trong phạm vi)")
def reports(request: HttpRequest) -> list:
    user = _official(request)
    return list(
        selectors.reports_for(user).prefetch_related("values").order_by("-period_end")[:500]
    )


@router.get("/plan-reports/{report_id}", response=ReportOut, summary="Một báo cáo định kỳ")
def report(request: HttpRequest, report_id: int) -> object:
    user = _official(request)
    return get_object_or_404(selectors.reports_for(user).prefetch_related("values"), pk=report_id)


@router.post(
    "/plan-reports/{report_id}/approve", response=ReportOut, summary="Thủ trưởng duyệt báo cáo"
)
def report_approve(request: HttpRequest, report_id: int) -> object:
    user = _official(request)
    report = get_object_or_404(selectors.reports_for(user), pk=report_id)
    services.report_approve(actor=user, report=report)
    return selectors.reports_for(user).prefetch_related("values").get(pk=report.pk)


@router.post("/plan-reports/{report_id}/submit", response=ReportOut, summary="Gửi báo cáo")
def report_submit(request: HttpRequest, report_id: int) -> object:
    user = _official(request)
    report = get_object_or_404(selectors.reports_for(user), pk=report_id)
    services.report_submit(actor=user, report=report)
    return selectors.reports_for(user).prefetch_related("values").get(pk=report.pk)
