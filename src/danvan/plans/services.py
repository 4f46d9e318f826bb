"""Writes of the plans app: plans and their implementation plans, assignments and progress,
periodic reports (draft → approved → submitted) and their consolidation by Home Affairs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danvan.core import audit, files, memo
from danvan.core.errors import InvalidTransition, PermissionDeniedError, ValidationFailed
from danvan.core.numbering import issue_number
from danvan.org.models import Agency, User
from danvan.plans.models import (
    DEFAULT_PROGRESS,
    Assignment,
    AssignmentStatus,
    Consolidation,
    PeriodicReport,
    Plan,
    ProgressUpdate,
    ReportSection,
    ReportStatus,
    ReportTemplate,
    ReportValue,
    SubplanRequirement,
    Task,
)
from danvan.plans.periods import ReportingPeriod
from danvan.plans.selectors import consolidate_figures, report_due_at
from danvan.shell import registry

ERR_NOT_ALLOWED = gettext_noop("Bạn không có quyền thực hiện thao tác này.")
ERR_ALREADY_SUBMITTED = gettext_noop("Cơ quan đã gửi kế hoạch thực hiện cho yêu cầu này.")
ERR_TASK_OTHER_PLAN = gettext_noop("Nhiệm vụ “{task}” không thuộc kế hoạch cấp trên.")
ERR_PROGRESS_RANGE = gettext_noop("Tiến độ phải từ 0 đến 100%.")
ERR_DONE_NOT_100 = gettext_noop("Nhiệm vụ hoàn thành phải có tiến độ 100%.")
ERR_REPORT_LOCKED = gettext_noop("Báo cáo đã được duyệt hoặc đã gửi, không sửa được nữa.")
ERR_REASON_NEEDED = gettext_noop(
    "Số liệu “{indicator}” khác số liệu tự động tổng hợp ({live}): cần ghi lý do điều chỉnh."
)
ERR_UNKNOWN_INDICATOR = gettext_noop("Chỉ tiêu “{indicator}” không có trong mẫu báo cáo.")
ERR_NOT_APPROVED = gettext_noop("Thủ trưởng cơ quan phải duyệt báo cáo trước khi gửi.")
ERR_NOT_DRAFT = gettext_noop("Chỉ duyệt được báo cáo đang ở trạng thái dự thảo.")
ERR_NOT_SUBMITTED = gettext_noop("Chỉ trả lại được báo cáo đã gửi.")
ERR_NO_SUBMISSIONS = gettext_noop("Chưa có cơ quan nào gửi báo cáo kỳ này.")
ERR_REASON_EMPTY = gettext_noop("Cần ghi lý do trả lại.")


def _require(actor: User, perm: str, obj: Any = None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDeniedError(_(ERR_NOT_ALLOWED))


# --- plans --------------------------------------------------------------------------------------
@transaction.atomic
def plan_require_subplans(
    *, actor: User, plan: Plan, agencies: Iterable[Agency], due_on: date
) -> list[SubplanRequirement]:
    """Require each of ``agencies`` to issue its own implementation plan by ``due_on``."""
    _require(actor, "plans.manage_plan", plan)
    created = []
    for agency in agencies:
        req, new = SubplanRequirement.objects.get_or_create(
            plan=plan, agency=agency, defaults={"due_on": due_on}
        )
        if new:
            created.append(req)
    audit.record(
        actor=actor,
        action="plans.plan_require_subplans",
        obj=plan,
        data={"agencies": [r.agency_id for r in created], "due_on": due_on.isoformat()},
    )
    return created


@transaction.atomic
def subplan_submit(
    *,
    actor: User,
    requirement: SubplanRequirement,
    title: str,
    symbol: str,
    issued_on: date,
    implements: Iterable[Task] = (),
    purposes: str = "",
    organisation: str = "",
) -> Plan:
    """An agency records the implementation plan it issued for ``requirement``; the plan is linked
    to the tasks of the parent plan it implements."""
    _require(actor, "plans.submit_subplan", requirement)
    if requirement.submitted_id is not None:
        raise InvalidTransition(_(ERR_ALREADY_SUBMITTED))
    tasks = list(implements)
    for task in tasks:
        if task.plan_id != requirement.plan_id:
            raise ValidationFailed(
                _(ERR_TASK_OTHER_PLAN).format(task=task.code), field="implements"
            )
    plan = Plan(
        title=title,
        symbol=symbol,
        issued_on=issued_on,
        agency=requirement.agency,
        parent=requirement.plan,
        purposes=purposes,
        organisation=organisation,
    )
    plan.full_clean()
    plan.save()
    plan.implements.set(tasks)
    requirement.submitted = plan
    requirement.submitted_on = issued_on
    requirement.save(update_fields=["submitted", "submitted_on"])
    audit.record(
        actor=actor,
        action="plans.subplan_submit",
        obj=requirement,
        data={
            "plan": plan.pk,
            "symbol": symbol,
            "issued_on": issued_on.isoformat(),
            "late": issued_on > requirement.due_on,
            "tasks": [t.code for t in tasks],
        },
    )
    return plan


@transaction.atomic
def assignment_create(
    *, actor: User, task: Task, agency: Agency, due_on: date | None
) -> Assignment:
    _require(actor, "plans.manage_plan", task.plan)
    assignment, created = Assignment.objects.get_or_create(
        task=task, agency=agency, defaults={"due_on": due_on}
    )
    if created:
        audit.record(
            actor=actor,
            action="plans.assignment_create",
            obj=assignment,
            data={
                "task": task.code,
                "agency": agency.code,
                "due_on": due_on.isoformat() if due_on else None,
            },
        )
    return assignment


@transaction.atomic
def progress_update(
    *,
    actor: User,
    assignment: Assignment,
    status: str,
    note: str,
    progress: int | None = None,
    evidence: Iterable[UploadedFile] = (),
    reported_at: datetime | None = None,
) -> ProgressUpdate:
    """Report progress on an assignment; the status gives the default progress."""
    _require(actor, "plans.update_progress", assignment)
    if progress is None:
        progress = DEFAULT_PROGRESS[AssignmentStatus(status)]
    if not 0 <= progress <= 100:
        raise ValidationFailed(_(ERR_PROGRESS_RANGE), field="progress")
    if status == AssignmentStatus.DONE and progress != 100:
        raise ValidationFailed(_(ERR_DONE_NOT_100), field="progress")
    before = audit.snapshot(assignment, ["status", "progress", "done_on"])
    now = reported_at or timezone.now()
    update = ProgressUpdate(
        assignment=assignment,
        reported_at=now,
        status=status,
        progress=progress,
        note=note,
        reported_by=actor,
    )
    update.full_clean()
    update.save()
    for upload in evidence:
        files.attachment_create(upload=upload, actor=actor, owner=update, purpose="evidence")
    assignment.status = status
    assignment.progress = progress
    assignment.done_on = timezone.localdate(now) if status == AssignmentStatus.DONE else None
    assignment.full_clean()
    assignment.save(update_fields=["status", "progress", "done_on", "updated_at"])
    audit.record(
        actor=actor,
        action="plans.progress_update",
        obj=assignment,
        changes=audit.changes_of(assignment, before),
        data={"note": note[:300]},
    )
    return update


# --- periodic reports ---------------------------------------------------------------------------
def live_values(
    template: ReportTemplate, agency: Agency, period: ReportingPeriod
) -> dict[str, Decimal | None]:
    """The template's indicators computed from the live data of the apps, for one agency."""
    out: dict[str, Decimal | None] = {}
    with memo.memo_scope():  # indicators of one app share its statistics query
        for identifier in template.indicators:
            if identifier not in registry.indicators:
                out[identifier] = None
                continue
            value = registry.indicators.get(identifier).compute([agency.pk], period.period)
            out[identifier] = None if value is None else Decimal(value).quantize(Decimal("0.01"))
    return out


@transaction.atomic
def report_open(
    *, actor: User, template: ReportTemplate, agency: Agency, period: ReportingPeriod
) -> PeriodicReport:
    """Start (or return) the agency's report for the period, pre-filled from live data."""
    _require(actor, "plans.edit_report", agency)
    report, created = PeriodicReport.objects.get_or_create(
        template=template,
        agency=agency,
        period_key=period.key,
        defaults={
            "period_start": period.start,
            "period_end": period.end,
            "due_at": report_due_at(template, period, agency),
        },
    )
    if created:
        now = timezone.now()
        ReportValue.objects.bulk_create(
            [
                ReportValue(
                    report=report, indicator=ident, live_value=val, value=val, computed_at=now
                )
                for ident, val in live_values(template, agency, period).items()
            ]
        )
        ReportSection.objects.bulk_create(
            [
                ReportSection(report=report, order=i, title=title)
                for i, title in enumerate(template.sections)
            ]
        )
        audit.record(
            actor=actor,
            action="plans.report_open",
            obj=report,
            data={"period": period.key, "template": template.pk},
        )
    return report


def _editable(report: PeriodicReport) -> None:
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise InvalidTransition(_(ERR_REPORT_LOCKED))


@transaction.atomic
def report_refresh(*, actor: User, report: PeriodicReport) -> PeriodicReport:
    """Recompute the live values; figures that were corrected keep their correction."""
    _require(actor, "plans.edit_report", report)
    _editable(report)
    now = timezone.now()
    fresh = live_values(report.template, report.agency, report.reporting_period)
    for row in report.values.all():
        new = fresh.get(row.indicator)
        if not row.correction_reason:
            row.value = new
        row.live_value = new
        row.computed_at = now
        row.save(update_fields=["live_value", "value", "computed_at"])
    audit.record(actor=actor, action="plans.report_refresh", obj=report)
    return report


@transaction.atomic
def report_set_value(
    *, actor: User, report: PeriodicReport, indicator: str, value: Decimal | None, reason: str = ""
) -> ReportValue:
    """Correct a figure; a value other than the live one needs a reason."""
    _require(actor, "plans.edit_report", report)
    _editable(report)
    row = report.values.filter(indicator=indicator).first()
    if row is None:
        raise ValidationFailed(
            _(ERR_UNKNOWN_INDICATOR).format(indicator=indicator), field="indicator"
        )
    reason = reason.strip()
    if value != row.live_value and not reason:
        label = (
            registry.indicators.get(indicator).label
            if indicator in registry.indicators
            else indicator
        )
        raise ValidationFailed(
            _(ERR_REASON_NEEDED).format(indicator=label, live=row.live_value), field="reason"
        )
    before = audit.snapshot(row, ["value", "correction_reason"])
    row.value = value
    row.correction_reason = reason if value != row.live_value else ""
    row.save(update_fields=["value", "correction_reason"])
    audit.record(
        actor=actor,
        action="plans.report_set_value",
        obj=report,
        changes={f"{indicator}.{k}": v for k, v in audit.changes_of(row, before).items()},
    )
    return row


@transaction.atomic
def report_set_sections(
    *, actor: User, report: PeriodicReport, texts: dict[int, str]
) -> PeriodicReport:
    _require(actor, "plans.edit_report", report)
    _editable(report)
    for section in report.sections.all():
        if section.pk in texts and texts[section.pk] != section.text:
            section.text = texts[section.pk]
            section.save(update_fields=["text"])
    audit.record(
        actor=actor,
        action="plans.report_set_sections",
        obj=report,
        data={"sections": sorted(texts)},
    )
    return report


@transaction.atomic
def report_approve(*, actor: User, report: PeriodicReport) -> PeriodicReport:
    _require(actor, "plans.approve_report", report)
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise InvalidTransition(_(ERR_NOT_DRAFT))
    before = audit.snapshot(report, ["status"])
    report.status = ReportStatus.APPROVED
    report.approved_by = actor
    report.approved_at = timezone.now()
    report.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit.record(
        actor=actor,
        action="plans.report_approve",
        obj=report,
        changes=audit.changes_of(report, before),
    )
    return report


@transaction.atomic
def report_submit(*, actor: User, report: PeriodicReport) -> PeriodicReport:
    """The head sends the approved report to the province; it gets its number (…/BC-…)."""
    _require(actor, "plans.submit_report", report)
    if report.status != ReportStatus.APPROVED:
        raise InvalidTransition(_(ERR_NOT_APPROVED))
    before = audit.snapshot(report, ["status", "submitted_at"])
    now = timezone.now()
    if not report.symbol:
        report.symbol = issue_number(
            issuer=report.agency.code,
            issuer_symbol=report.agency.symbol,
            doc_type="BC",
            on=timezone.localdate(now),
            title=f"Báo cáo {report.reporting_period.label}",
            obj=report,
            actor=actor,
        ).symbol
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    report.save(update_fields=["status", "submitted_at", "symbol", "updated_at"])
    audit.record(
        actor=actor,
        action="plans.report_submit",
        obj=report,
        changes=audit.changes_of(report, before),
        data={"late": now > report.due_at},
    )
    return report


@transaction.atomic
def report_return(*, actor: User, report: PeriodicReport, reason: str) -> PeriodicReport:
    """Home Affairs sends a submitted report back to be completed."""
    _require(actor, "plans.return_report", report)
    if report.status != ReportStatus.SUBMITTED:
        raise InvalidTransition(_(ERR_NOT_SUBMITTED))
    if not reason.strip():
        raise ValidationFailed(_(ERR_REASON_EMPTY), field="reason")
    before = audit.snapshot(report, ["status"])
    report.status = ReportStatus.RETURNED
    report.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="plans.report_return",
        obj=report,
        changes=audit.changes_of(report, before),
        data={"reason": reason},
    )
    return report


@transaction.atomic
def consolidation_create(
    *, actor: User, template: ReportTemplate, period: ReportingPeriod, agency: Agency
) -> Consolidation:
    """Sum or average every indicator over the submitted reports (each agency's figures kept
    for the annex), and give the provincial report its number (…/BC-SNV)."""
    _require(actor, "plans.consolidate", template)
    reports = list(
        PeriodicReport.objects.filter(
            template=template, period_key=period.key, status=ReportStatus.SUBMITTED
        )
        .select_related("agency")
        .prefetch_related("values", "sections")
    )
    if not reports:
        raise InvalidTransition(_(ERR_NO_SUBMISSIONS))
    today = timezone.localdate()
    issued = issue_number(
        issuer=agency.code,
        issuer_symbol=agency.symbol,
        doc_type="BC",
        on=today,
        title=f"Báo cáo tổng hợp {template.name} {period.label}",
        actor=actor,
    )
    consolidation = Consolidation.objects.create(
        template=template,
        period_key=period.key,
        agency=agency,
        symbol=issued.symbol,
        issued_on=today,
        created_by=actor,
        figures=consolidate_figures(template, reports),
    )
    consolidation.reports.set(reports)
    audit.record(
        actor=actor,
        action="plans.consolidation_create",
        obj=consolidation,
        data={"period": period.key, "reports": [r.pk for r in reports]},
    )
    return consolidation
