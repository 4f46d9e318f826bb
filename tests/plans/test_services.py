"""Implementation plans, assignments and progress, periodic reports and consolidation."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from danvan.core.calendar import TZ
from danvan.core.errors import InvalidTransition, PermissionDeniedError, ValidationFailed
from danvan.core.models import Attachment, AuditRecord
from danvan.plans import documents, selectors, services
from danvan.plans.models import (
    Assignment,
    AssignmentStatus,
    Plan,
    ReportStatus,
    ReportTemplate,
    Task,
)
from danvan.plans.periods import PeriodType, ReportingPeriod
from tests.permissions import fresh
from tests.world import World, user

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
Y2025 = ReportingPeriod(PeriodType.YEAR, 2025, 1)


def head_of(world: World, key: str):  # type: ignore[no-untyped-def]
    from danvan.org import services as org_services

    u = user(f"head-{key}")
    org_services.official_add(actor=None, user=u, agency=world.agencies[key], roles=["head"])
    return u


# --- roll-up -----------------------------------------------------------------------------------
def test_progress_rolls_up_weighted_to_the_parent(world: World, plan: Plan) -> None:
    leader = fresh(world.user("committee_leader"))
    home = fresh(world.user("home_affairs"))
    t1, t2, t3 = (Task.objects.get(plan=plan, code=c) for c in ("II.5.1", "II.5.2", "II.5.3"))
    t4 = Task.objects.get(plan=plan, code="II.5.4")
    Task.objects.filter(pk=t1.pk).update(weight=Decimal(2))
    a = services.assignment_create(actor=home, task=t1, agency=world.agencies["pc_a"], due_on=None)
    b = services.assignment_create(actor=home, task=t1, agency=world.agencies["pc_b"], due_on=None)
    c = services.assignment_create(actor=home, task=t2, agency=world.agencies["pc_a"], due_on=None)
    Assignment.objects.filter(pk=a.pk).update(progress=100, status=AssignmentStatus.DONE)
    Assignment.objects.filter(pk=b.pk).update(progress=50)
    Assignment.objects.filter(pk=c.pk).update(progress=40)
    progress = selectors.task_progress(plan)
    # t1 = mean(100, 50) = 75; t2 = 40; t3 = t4 = 0; group = (75·2 + 40 + 0 + 0) / 5 = 38
    assert progress[t1.pk] == Decimal("75.00")
    assert progress[t2.pk] == Decimal("40.00")
    assert progress[t3.pk] == progress[t4.pk] == Decimal("0.00")
    assert progress[t1.parent_id] == Decimal("38.00")
    # Only what an agency did: pc_a's own progress on the same group.
    mine = selectors.task_progress(plan, [world.agencies["pc_a"].pk])
    assert mine[t1.parent_id] == Decimal("48.00")  # (100·2 + 40) / 5
    assert leader is not None


def test_progress_update_defaults_and_evidence(world: World, plan: Plan) -> None:
    task = Task.objects.get(plan=plan, code="II.3.5")
    a = services.assignment_create(
        actor=fresh(world.user("home_affairs")),
        task=task,
        agency=world.agencies["pc_a"],
        due_on=date(2026, 12, 31),
    )
    handler = fresh(world.user("handler"))
    services.progress_update(
        actor=handler,
        assignment=a,
        status=AssignmentStatus.IN_PROGRESS,
        note="Đã phân công Phó Chủ tịch phụ trách.",
    )
    a.refresh_from_db()
    assert (a.status, a.progress) == (AssignmentStatus.IN_PROGRESS, 50)
    upload = SimpleUploadedFile("quyet-dinh.pdf", PDF, content_type="application/pdf")
    services.progress_update(
        actor=handler,
        assignment=a,
        status=AssignmentStatus.DONE,
        note="Quyết định phân công số 12/QĐ-UBND.",
        evidence=[upload],
    )
    a.refresh_from_db()
    assert (a.status, a.progress) == (AssignmentStatus.DONE, 100)
    assert a.done_on is not None
    assert (
        Attachment.objects.filter(owner_type="plans.progressupdate", purpose="evidence").count()
        == 1
    )
    with pytest.raises(ValidationFailed, match="tiến độ 100%"):
        services.progress_update(
            actor=handler, assignment=a, status=AssignmentStatus.DONE, progress=80, note="x"
        )
    other = services.assignment_create(
        actor=fresh(world.user("home_affairs")), task=task, agency=world.other, due_on=None
    )
    with pytest.raises(PermissionDeniedError):
        services.progress_update(actor=handler, assignment=other, status="done", note="x")


def test_overdue_is_computed_once_and_listed(world: World, plan: Plan) -> None:
    home = fresh(world.user("home_affairs"))
    task = Task.objects.get(plan=plan, code="II.6.1")
    late = services.assignment_create(
        actor=home, task=task, agency=world.agencies["pc_a"], due_on=date(2026, 9, 30)
    )
    services.assignment_create(
        actor=home, task=task, agency=world.agencies["pc_b"], due_on=date(2026, 12, 31)
    )
    today = date(2026, 11, 28)
    assert selectors.is_overdue(late, today)
    listed = selectors.overdue_assignments_for(fresh(world.user("home_affairs")), today)
    assert list(listed) == [late]
    assert list(selectors.overdue_assignments_for(fresh(world.user("head")), today)) == [late]
    assert list(
        selectors.overdue_assignments_for(fresh(world.user("committee_leader")), today)
    ) == [late]


# --- implementation plans ----------------------------------------------------------------------
def test_a_district_that_issues_its_plan_late_is_on_the_late_list(world: World, plan: Plan) -> None:
    leader = fresh(world.user("home_affairs"))
    reqs = services.plan_require_subplans(
        actor=leader,
        plan=plan,
        agencies=[world.agencies["pc_a"], world.agencies["pc_b"]],
        due_on=date(2013, 12, 31),
    )
    assert len(reqs) == 2
    a_req = next(r for r in reqs if r.agency == world.agencies["pc_a"])
    groups = Task.objects.filter(plan=plan, code__in=["II.1", "II.6"])
    own = services.subplan_submit(
        actor=fresh(world.user("head")),
        requirement=a_req,
        title="Kế hoạch thực hiện",
        symbol="15/KH-UBND",
        issued_on=date(2014, 1, 10),
        implements=groups,
    )
    assert own.parent == plan
    assert set(own.implements.values_list("code", flat=True)) == {"II.1", "II.6"}
    a_req.refresh_from_db()
    assert selectors.requirement_state(a_req, date(2014, 2, 1)).code == "late"
    late = selectors.late_subplans(plan, date(2014, 2, 1))
    assert {r.agency.code for r in late} == {"UBND-A", "UBND-B"}  # B has not issued at all
    assert AuditRecord.objects.filter(action="plans.subplan_submit").get().data["late"] is True
    with pytest.raises(InvalidTransition):
        services.subplan_submit(
            actor=fresh(world.user("head")),
            requirement=a_req,
            title="x",
            symbol="x",
            issued_on=date(2014, 1, 11),
        )


def test_only_the_head_of_that_agency_records_its_plan(world: World, plan: Plan) -> None:
    (req,) = services.plan_require_subplans(
        actor=fresh(world.user("sysadmin")),
        plan=plan,
        agencies=[world.other],
        due_on=date(2013, 12, 31),
    )
    with pytest.raises(PermissionDeniedError):
        services.subplan_submit(
            actor=fresh(world.user("head")),
            requirement=req,
            title="x",
            symbol="1/KH",
            issued_on=date(2013, 12, 1),
        )


# --- periodic reports --------------------------------------------------------------------------
def _assignments_for_2025(world: World, plan: Plan) -> None:
    """Hand-counted: pc_a has 4 assignments due in the 2025 reporting year, 3 done on time, 1 done
    late; 1 more due before the end of the year and still open (overdue at the end)."""
    home = fresh(world.user("home_affairs"))
    tasks = list(Task.objects.filter(plan=plan, kind="item").order_by("order"))
    pc_a = world.agencies["pc_a"]
    specs = [
        (date(2025, 3, 31), AssignmentStatus.DONE, date(2025, 3, 20)),
        (date(2025, 6, 30), AssignmentStatus.DONE, date(2025, 6, 30)),
        (date(2025, 9, 30), AssignmentStatus.DONE, date(2025, 9, 1)),
        (date(2025, 10, 31), AssignmentStatus.DONE, date(2025, 11, 15)),  # late
        (date(2025, 11, 30), AssignmentStatus.IN_PROGRESS, None),  # overdue at 14/12/2025
        (date(2026, 3, 31), AssignmentStatus.NOT_STARTED, None),  # next year
    ]
    for task, (due, status, done) in zip(tasks, specs, strict=False):
        a = services.assignment_create(actor=home, task=task, agency=pc_a, due_on=due)
        Assignment.objects.filter(pk=a.pk).update(
            status=status, done_on=done, progress=100 if done else 30
        )


def test_report_is_prefilled_from_live_data_corrected_with_a_reason_approved_and_submitted(
    world: World, plan: Plan, template: ReportTemplate
) -> None:
    _assignments_for_2025(world, plan)
    handler, head = fresh(world.user("handler")), fresh(world.user("head"))
    report = services.report_open(
        actor=handler, template=template, agency=world.agencies["pc_a"], period=Y2025
    )
    values = {v.indicator: v for v in report.values.all()}
    # 4 of 5 assignments due in the year were done by their due date → 60%? No: 3 of 5 → 60.00
    assert values["plans.assignments_on_time_rate"].live_value == Decimal("60.00")
    assert values["plans.assignments_overdue"].live_value == Decimal("1.00")
    assert report.due_at == datetime(
        2025, 12, 19, 17, 0, tzinfo=TZ
    )  # 5 working days after Sun 14/12
    assert [s.title for s in report.sections.all()] == ["Kết quả", "Hạn chế"]
    with pytest.raises(ValidationFailed, match="cần ghi lý do"):
        services.report_set_value(
            actor=handler, report=report, indicator="plans.assignments_overdue", value=Decimal(0)
        )
    services.report_set_value(
        actor=handler,
        report=report,
        indicator="plans.assignments_overdue",
        value=Decimal(0),
        reason="Nhiệm vụ đã hoàn thành ngày 13/12, chưa cập nhật.",
    )
    with pytest.raises(InvalidTransition, match="duyệt"):
        services.report_submit(actor=head, report=report)
    with pytest.raises(PermissionDeniedError):
        services.report_approve(actor=handler, report=report)
    services.report_approve(actor=head, report=report)
    with pytest.raises(InvalidTransition):
        services.report_set_value(
            actor=handler,
            report=report,
            indicator="plans.assignments_overdue",
            value=Decimal(2),
            reason="x",
        )
    with time_machine.travel(datetime(2025, 12, 18, 9, 0, tzinfo=TZ)):
        services.report_submit(actor=head, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.symbol == "01/BC-UBND"
    assert not selectors.is_late(report)
    # Home Affairs can send it back; the agency can then edit again.
    services.report_return(
        actor=fresh(world.user("home_affairs")), report=report, reason="Thiếu phần hạn chế."
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED


def test_late_submitters_are_listed(world: World, plan: Plan, template: ReportTemplate) -> None:
    justice_head = head_of(world, "justice")
    head = fresh(world.user("head"))
    early = services.report_open(
        actor=head, template=template, agency=world.agencies["pc_a"], period=Y2025
    )
    late = services.report_open(
        actor=justice_head, template=template, agency=world.agencies["justice"], period=Y2025
    )
    for r, who, when in (
        (early, head, datetime(2025, 12, 16, 9, tzinfo=TZ)),
        (late, justice_head, datetime(2026, 1, 5, 9, tzinfo=TZ)),
    ):
        services.report_approve(actor=fresh(who), report=r)
        with time_machine.travel(when):
            services.report_submit(actor=fresh(who), report=r)
    rows = selectors.submissions(template, Y2025, now=datetime(2026, 1, 10, tzinfo=TZ))
    states = {r.agency.code: r.state for r in rows}
    assert states == {"UBND-A": "submitted_on_time", "STP": "submitted_late", "UBND-B": "overdue"}
    late_codes = {
        r.agency.code
        for r in selectors.late_submitters(template, Y2025, now=datetime(2026, 1, 10, tzinfo=TZ))
    }
    assert late_codes == {"STP", "UBND-B"}
    # Before the due time nobody is late yet.
    before = selectors.submissions(template, Y2025, now=datetime(2025, 12, 15, 8, tzinfo=TZ))
    assert {r.agency.code: r.state for r in before}["UBND-B"] == "not_started"


def test_home_affairs_consolidates_sums_and_averages_and_generates_the_report(
    world: World, plan: Plan, template: ReportTemplate
) -> None:
    justice_head = head_of(world, "justice")
    pc_b_head = head_of(world, "pc_b")
    figures = {"pc_a": ("80", "2"), "justice": ("90", "1"), "pc_b": ("55.5", "4")}
    heads = {"pc_a": fresh(world.user("head")), "justice": justice_head, "pc_b": pc_b_head}
    for key, (rate, overdue) in figures.items():
        actor = fresh(heads[key])
        r = services.report_open(
            actor=actor, template=template, agency=world.agencies[key], period=Y2025
        )
        services.report_set_value(
            actor=actor,
            report=r,
            indicator="plans.assignments_on_time_rate",
            value=Decimal(rate),
            reason="Số liệu đã đối chiếu với sổ theo dõi.",
        )
        services.report_set_value(
            actor=actor,
            report=r,
            indicator="plans.assignments_overdue",
            value=Decimal(overdue),
            reason="Số liệu đã đối chiếu với sổ theo dõi.",
        )
        services.report_set_sections(
            actor=actor,
            report=r,
            texts={s.pk: f"Kết quả của {world.agencies[key].name}." for s in r.sections.all()[:1]},
        )
        services.report_approve(actor=actor, report=r)
        services.report_submit(actor=actor, report=r)
    home = fresh(world.user("home_affairs"))
    with pytest.raises(PermissionDeniedError):
        services.consolidation_create(
            actor=fresh(world.user("head")),
            template=template,
            period=Y2025,
            agency=world.agencies["pc_a"],
        )
    c = services.consolidation_create(
        actor=home, template=template, period=Y2025, agency=world.agencies["home_affairs"]
    )
    assert c.symbol == "01/BC-SNV"
    assert c.figures["totals"] == {
        "plans.assignments_on_time_rate": "75.17",  # (80 + 90 + 55.5) / 3
        "plans.assignments_overdue": "7.00",
    }  # 2 + 1 + 4
    assert (
        c.figures["agencies"][str(world.agencies["justice"].pk)]["plans.assignments_overdue"]
        == "1.00"
    )
    doc = Document(io.BytesIO(documents.render(c, "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text
    assert "Tổng hợp kết quả thực hiện công tác dân vận chính quyền năm 2025" in text
    assert "Tỷ lệ nhiệm vụ hoàn thành đúng hạn (%): 75,17." in text
    assert "Kết quả của Sở Tư pháp." in text
    header = doc.tables[0].rows[0].cells[0].text
    assert "Số: 01/BC-SNV" in header
    annex = doc.tables[1]
    names = [row.cells[0].text for row in annex.rows[1:]]
    assert names[-1] == "Toàn tỉnh" and set(names[:-1]) == {
        a.name for k, a in world.agencies.items() if k in figures
    }
    assert annex.rows[-1].cells[2].text == "7,0"
    assert documents.render(c, "pdf").startswith(b"%PDF")
    assert AuditRecord.objects.filter(action="plans.consolidation_create").count() == 1


def test_late_reports_indicator_counts_late_and_missing_reports(
    world: World, plan: Plan, template: ReportTemplate
) -> None:
    from danvan.shell import registry

    head = fresh(world.user("head"))
    report = services.report_open(
        actor=head, template=template, agency=world.agencies["pc_a"], period=Y2025
    )
    services.report_approve(actor=head, report=report)
    with time_machine.travel(datetime(2026, 1, 5, 9, tzinfo=TZ)):
        services.report_submit(actor=fresh(world.user("head")), report=report)  # late (due 19/12)
    justice_head = head_of(world, "justice")
    services.report_open(
        actor=justice_head, template=template, agency=world.agencies["justice"], period=Y2025
    )
    ind = registry.indicators.get("plans.reports_late")
    ids = [world.agencies[k].pk for k in ("pc_a", "justice", "pc_b")]
    values = ind.values_by_agency(ids, Y2025.period)
    # pc_a submitted late; justice's draft is past due; pc_b has no report at all (not counted here)
    assert values == {ids[0]: 1, ids[1]: 1, ids[2]: 0}
    assert ind.compute(ids, Y2025.period) == 2
