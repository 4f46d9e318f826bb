"""Demo data of the plans app: plan 5793/KH-UBND with its tasks, the agencies' implementation
plans (one late, one missing), assignments with progress, the annual report template, the 2025
reports (two late, one missing) and their consolidation by the Department of Home Affairs.

Historical records are written directly (they describe what happened before the platform); every
change made through the platform goes through the services and is audited."""

from __future__ import annotations

import random
from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from danvan.core.calendar import TZ
from danvan.core.numbering import issue_number
from danvan.org.models import Agency, AgencyKind, User
from danvan.plans.loader import load_plan, subplans_due_on
from danvan.plans.models import (
    Assignment,
    AssignmentStatus,
    Consolidation,
    PeriodicReport,
    ProgressUpdate,
    ReportSection,
    ReportStatus,
    ReportTemplate,
    ReportValue,
    SubplanRequirement,
    Task,
    TaskKind,
)
from danvan.plans.periods import PeriodType, ReportingPeriod
from danvan.plans.selectors import consolidate_figures, report_due_at
from danvan.plans.services import live_values
from danvan.shell import registry

SECTIONS = [
    "Tình hình, kết quả thực hiện công tác dân vận chính quyền",
    "Hạn chế, nguyên nhân",
    "Phương hướng, nhiệm vụ kỳ tới",
    "Kiến nghị, đề xuất",
]
NARRATIVE = {
    0: "Cơ quan đã quán triệt Kế hoạch 5793/KH-UBND đến toàn thể cán bộ, công chức; công khai thủ tục "
    "hành chính, tổ chức đối thoại với người dân và giải quyết phản ánh, kiến nghị đúng hạn.",
    1: "Một số hồ sơ còn trễ hạn do phải xác minh thực địa; việc cập nhật dữ liệu lên hệ thống chưa đều.",
    2: "Tiếp tục cải cách thủ tục hành chính, nâng tỷ lệ hồ sơ trực tuyến, duy trì khảo sát sự hài lòng.",
    3: "Đề nghị tăng cường tập huấn kỹ năng dân vận cho công chức bộ phận Một cửa.",
}


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), TZ)


@transaction.atomic
def load_plans_demo() -> None:
    province_pc = Agency.objects.filter(code="UBND-BT").first()
    home_affairs = Agency.objects.filter(code="SNV").first()
    if province_pc is None or home_affairs is None:
        return
    plan = load_plan(province_pc)
    if SubplanRequirement.objects.filter(plan=plan).exists():
        return
    rng = random.Random(5793)  # noqa: S311 - demo data, not security
    required = list(
        Agency.objects.filter(is_active=True, is_partner=False).filter(
            kind__in=[
                AgencyKind.DEPARTMENT,
                AgencyKind.HOME_AFFAIRS,
                AgencyKind.INSPECTORATE,
                AgencyKind.PC_OFFICE,
            ]
        )
        | Agency.objects.filter(kind=AgencyKind.PEOPLES_COMMITTEE, parent=province_pc)
    )
    required.sort(key=lambda a: a.code)
    due = subplans_due_on() or date(2013, 12, 31)
    late_code, missing_code = "UBND-833", "UBND-838"
    for i, agency in enumerate(required):
        req = SubplanRequirement.objects.create(plan=plan, agency=agency, due_on=due)
        if agency.code == missing_code:
            continue
        issued = date(2014, 1, 15) if agency.code == late_code else date(2013, 12, 10 + i % 15)
        own = plan.implementations.create(
            title=f"Kế hoạch thực hiện Kế hoạch số 5793/KH-UBND về công tác dân vận chính quyền của {agency.name}",
            symbol=f"{10 + i}/KH-{agency.symbol}",
            issued_on=issued,
            agency=agency,
        )
        own.implements.set(Task.objects.filter(plan=plan, kind=TaskKind.GROUP))
        req.submitted, req.submitted_on = own, issued
        req.save(update_fields=["submitted", "submitted_on"])

    items = list(
        Task.objects.filter(plan=plan, kind__in=[TaskKind.ITEM, TaskKind.DUTY]).order_by("order")
    )
    reporter = User.objects.filter(username="chuyenvien.stp").first() or User.objects.first()
    today = timezone.localdate()
    for agency in required:
        for task in items:
            if rng.random() < 0.45:
                continue
            recurring = task.code.startswith(("II.3", "II.5", "II.6", "III.3"))
            due_on = date(today.year, 12, 31) if recurring else date(2014, 12, 31)
            if recurring and rng.random() < 0.15:
                due_on = date(today.year, 9, 30)  # overdue now
            if not recurring:
                status, progress = AssignmentStatus.DONE, 100
            else:
                status = rng.choice(
                    [
                        AssignmentStatus.IN_PROGRESS,
                        AssignmentStatus.IN_PROGRESS,
                        AssignmentStatus.NOT_STARTED,
                        AssignmentStatus.DONE,
                    ]
                )
                progress = {AssignmentStatus.DONE: 100, AssignmentStatus.NOT_STARTED: 0}.get(
                    status, rng.choice([25, 40, 50, 60, 75, 90])
                )
            a = Assignment.objects.create(
                task=task,
                agency=agency,
                due_on=due_on,
                status=status,
                progress=progress,
                done_on=(min(due_on, today) if status == AssignmentStatus.DONE else None),
            )
            if reporter is not None and status != AssignmentStatus.NOT_STARTED:
                ProgressUpdate.objects.create(
                    assignment=a,
                    reported_at=_at(min(due_on, today)),
                    status=status,
                    progress=progress,
                    note="Đã triển khai đến các phòng, đơn vị trực thuộc; kết quả được tổng hợp trong báo cáo định kỳ.",
                    reported_by=reporter,
                )

    template = ReportTemplate.objects.create(
        name="Báo cáo kết quả thực hiện công tác dân vận chính quyền",
        period_type=PeriodType.YEAR,
        plan=plan,
        indicators=[i.identifier for i in registry.indicators],
        sections=SECTIONS,
        due_working_days=5,
    )
    template.agencies.set(required)
    _reports_2025(template, required, rng, home_affairs)


def _reports_2025(
    template: ReportTemplate, agencies: list[Agency], rng: random.Random, home_affairs: Agency
) -> None:
    period = ReportingPeriod(PeriodType.YEAR, 2025, 1)
    head = User.objects.filter(username="thutruong.stp").first()
    submitted = []
    for agency in agencies:
        if agency.code == "UBND-838":
            continue  # never submitted: on the late list
        due_at = report_due_at(template, period, agency)
        late = agency.code in ("UBND-833", "SXD")
        when = (
            datetime.combine(date(2026, 1, 12), time(10), TZ)
            if late
            else datetime.combine(date(2025, 12, 17), time(15), TZ)
        )
        report = PeriodicReport.objects.create(
            template=template,
            agency=agency,
            period_key=period.key,
            period_start=period.start,
            period_end=period.end,
            due_at=due_at,
            status=ReportStatus.SUBMITTED,
            approved_by=head,
            approved_at=when,
            submitted_at=when,
            symbol=issue_number(
                issuer=agency.code,
                issuer_symbol=agency.symbol,
                doc_type="BC",
                on=when.date(),
                title=f"Báo cáo {period.label}",
            ).symbol,
        )
        for ident, value in live_values(template, agency, period).items():
            if value is None:
                value = (
                    Decimal(rng.randint(70, 98))
                    if "rate" in ident or "index" in ident
                    else Decimal(rng.randint(0, 40))
                )
            ReportValue.objects.create(
                report=report, indicator=ident, live_value=value, value=value, computed_at=when
            )
        for order, title in enumerate(template.sections):
            ReportSection.objects.create(
                report=report, order=order, title=title, text=NARRATIVE[order]
            )
        submitted.append(report)
    creator = User.objects.filter(username="noivu").first()
    if creator is None or not submitted:
        return
    issued = issue_number(
        issuer=home_affairs.code,
        issuer_symbol=home_affairs.symbol,
        doc_type="BC",
        on=date(2026, 1, 20),
        title=f"Báo cáo tổng hợp {period.label}",
    )
    c = Consolidation.objects.create(
        template=template,
        period_key=period.key,
        agency=home_affairs,
        symbol=issued.symbol,
        issued_on=date(2026, 1, 20),
        created_by=creator,
        figures=consolidate_figures(
            template,
            list(
                PeriodicReport.objects.filter(pk__in=[r.pk for r in submitted])
                .select_related("agency")
                .prefetch_related("values")
            ),
        ),
    )
    c.reports.set(submitted)
