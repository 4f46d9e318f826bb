"""Journeys of plan 5793's section III: implementation plans, annual reports, consolidation."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
import time_machine
from django.test import Client
from docx import Document
from playwright.sync_api import Page, expect

from danvan.core.calendar import TZ
from danvan.org import services as org_services
from danvan.plans import services
from danvan.plans.loader import load_plan
from danvan.plans.models import Plan, ReportTemplate
from danvan.plans.periods import PeriodType, ReportingPeriod
from tests.e2e.conftest import a11y, visit
from tests.permissions import fresh
from tests.world import PASSWORD, World, user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
Y = ReportingPeriod(PeriodType.YEAR, 2025, 1)


@pytest.fixture
def plan(world: World) -> Plan:
    return load_plan(world.agencies["pc_p"])


@pytest.fixture
def template(world: World, plan: Plan) -> ReportTemplate:
    t = ReportTemplate.objects.create(
        name="Báo cáo công tác dân vận chính quyền",
        period_type=PeriodType.YEAR,
        plan=plan,
        indicators=["plans.assignments_on_time_rate", "plans.assignments_overdue"],
        sections=["Kết quả thực hiện", "Hạn chế"],
        due_working_days=5,
    )
    t.agencies.set([world.agencies["pc_a"], world.agencies["justice"]])
    return t


def login(page: Page, live: str, username: str) -> None:
    page.goto(f"{live}/office/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def test_a_district_submits_its_implementation_plan_late_and_is_listed(
    page: Page, live: str, world: World, plan: Plan
) -> None:
    services.plan_require_subplans(
        actor=fresh(world.user("home_affairs")),
        plan=plan,
        agencies=[world.agencies["pc_a"], world.agencies["pc_b"]],
        due_on=date(2013, 12, 31),
    )
    login(page, live, "head")
    visit(page, f"{live}/office/plans/{plan.pk}/")
    page.get_by_test_id("req-UBND-A").get_by_role("link", name="Ghi nhận kế hoạch").click()
    a11y(page)
    page.get_by_label("Số, ký hiệu").fill("15/KH-UBND")
    page.get_by_label("Tên kế hoạch").fill(
        "Kế hoạch thực hiện công tác dân vận chính quyền huyện An Phú"
    )
    page.get_by_label("Ngày ban hành").fill("2014-01-20")
    page.get_by_label("II.6 Thực hiện công tác tiếp dân", exact=False).check()
    page.get_by_role("button", name="Lưu").click()
    row = page.get_by_test_id("req-UBND-A")
    expect(row).to_contain_text("Ban hành chậm")
    a11y(page)
    # Home Affairs, following the plan for the province, sees both late districts.
    page.get_by_role("button", name="Đăng xuất").click()
    login(page, live, "home.affairs")
    visit(page, f"{live}/office/plans/{plan.pk}/")
    expect(page.locator(".alert-warning")).to_contain_text(
        "2 cơ quan ban hành chậm hoặc chưa ban hành"
    )
    expect(page.get_by_test_id("req-UBND-A")).to_contain_text("15/KH-UBND")
    expect(page.get_by_test_id("req-UBND-B")).to_contain_text("Quá hạn, chưa ban hành")


def test_a_department_submits_its_annual_report_with_prefilled_figures(
    page: Page, live: str, world: World, plan: Plan, template: ReportTemplate
) -> None:
    justice_head = user("giamdoc.stp", "Đặng Quốc Bảo")
    org_services.official_add(
        actor=None, user=justice_head, agency=world.agencies["justice"], roles=["head"]
    )
    task = plan.tasks.get(code="II.5.2")
    a = services.assignment_create(
        actor=fresh(world.user("home_affairs")),
        task=task,
        agency=world.agencies["justice"],
        due_on=date(2025, 6, 30),
    )
    a.status, a.progress, a.done_on = "done", 100, date(2025, 6, 1)
    a.save()
    with time_machine.travel(datetime(2025, 12, 16, 9, 0, tzinfo=TZ), tick=True):
        login(page, live, "giamdoc.stp")
        visit(page, f"{live}/office/plans/reports/")
        page.get_by_role("button", name="Báo cáo công tác dân vận chính quyền — Năm 2025").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Năm 2025")
        rate = page.get_by_role(
            "textbox", name="Tỷ lệ nhiệm vụ hoàn thành đúng hạn (%)", exact=True
        )
        expect(rate).to_have_value("100.00")  # pre-filled from the live data: 1 of 1 done on time
        page.get_by_label("Kết quả thực hiện").fill("Đã công khai 100% thủ tục hành chính.")
        page.get_by_role("button", name="Lưu").click()
        page.get_by_role("button", name="Duyệt").click()
        page.get_by_role("button", name="Gửi báo cáo").click()
        expect(page.get_by_test_id("report-status")).to_have_text("Đã gửi")
        expect(page.locator("main")).to_contain_text("01/BC-STP")
        a11y(page)


def test_home_affairs_consolidates_and_downloads_the_provincial_report(
    page: Page, live: str, world: World, plan: Plan, template: ReportTemplate
) -> None:
    head = fresh(world.user("head"))
    report = services.report_open(
        actor=head, template=template, agency=world.agencies["pc_a"], period=Y
    )
    services.report_approve(actor=head, report=report)
    services.report_submit(actor=fresh(world.user("head")), report=report)
    login(page, live, "home.affairs")
    visit(page, f"{live}/office/plans/submissions/{template.pk}/{Y.key}/")
    expect(page.get_by_test_id("late-list")).to_contain_text("Sở Tư pháp")  # never submitted
    page.get_by_role("button", name="Lập báo cáo tổng hợp").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("01/BC-SNV")
    a11y(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="DOCX").click()
    path = info.value.path()
    doc = Document(io.BytesIO(open(path, "rb").read()))  # noqa: SIM115
    assert "Số: 01/BC-SNV" in doc.tables[0].rows[0].cells[0].text
    assert any("Tổng hợp kết quả" in p.text for p in doc.paragraphs)
    # The same document is what the back office serves to any Home Affairs official.
    client = Client()
    client.force_login(world.user("home_affairs"))
    assert client.get(
        page.get_by_role("link", name="PDF").get_attribute("href") or ""
    ).content.startswith(b"%PDF")
