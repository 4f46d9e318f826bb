"""Journeys through the one-stop shop in a real browser: an official receives a dossier and
prints the receipt; a citizen looks the dossier up on a phone; a late dossier gets its apology
and the citizen sees the new date."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from danvan.core.calendar import TZ, get_calendar
from danvan.onestop import services
from danvan.onestop.models import Dossier, Procedure, ProcedureField, Status
from danvan.onestop.services import ApplicantIn, DocumentIn, DocumentSpec
from tests.e2e.conftest import a11y, visit
from tests.onestop.conftest import reseed_deadline_rules
from tests.permissions import fresh
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def procedure(world: World) -> Procedure:
    reseed_deadline_rules()  # an earlier browser test flushed the database, rules included
    field = ProcedureField.objects.create(code="LLTP", name="Lý lịch tư pháp")
    proc, _ = services.procedure_save(
        actor=None,
        code="1.001417",
        name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        field=field,
        level="district",
        processing_amount=Decimal(10),
        fee_text="200.000 đồng",
        fee_amount=200000,
        documents=[
            DocumentSpec("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", 1, 0),
            DocumentSpec("Bản chụp căn cước công dân", 0, 1),
        ],
        online="full",
    )
    return proc


def sign_in(page: Page, live: str, username: str) -> None:
    visit(page, f"{live}/office/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("agency")).to_be_visible()


def test_official_receives_a_dossier_and_prints_the_receipt(
    page: Page, live: str, world: World, procedure: Procedure
) -> None:
    sign_in(page, live, "front.desk")
    page.get_by_role("link", name="Một cửa").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ Một cửa")
    a11y(page)
    page.get_by_role("link", name="Tiếp nhận hồ sơ").click()
    page.get_by_label("Thủ tục hành chính").select_option(procedure.code)
    page.get_by_role("button", name="Chọn thủ tục").click()
    a11y(page)
    page.get_by_label("Họ và tên người nộp").fill("Nguyễn Thị Mai")
    page.get_by_label("Số điện thoại").fill("0912 888 777")
    page.get_by_label("Địa chỉ").fill("Ấp Phú Hòa, xã An Hòa")
    page.get_by_label("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", exact=False).check()
    page.get_by_label("Bản chụp căn cước công dân", exact=False).check()
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã tiếp nhận")
    dossier = Dossier.objects.get()
    expect(page.get_by_test_id("dossier-code")).to_have_text(dossier.code)
    a11y(page)
    page.get_by_role("link", name="Xem, in mẫu 01").click()
    printed = page.get_by_test_id("printed-form")
    expect(printed).to_contain_text("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    expect(printed).to_contain_text(f"Mã hồ sơ: {dossier.code}")
    assert dossier.appointment_at is not None
    expect(printed).to_contain_text(dossier.appointment_at.astimezone(TZ).strftime("%d/%m/%Y"))
    expect(page.get_by_test_id("receipt-qr").get_by_role("img")).to_be_visible()
    expect(page.get_by_role("button", name="In phiếu")).to_be_visible()
    a11y(page)


def test_citizen_looks_up_a_dossier_on_a_phone(
    phone: Page, live: str, world: World, procedure: Procedure
) -> None:
    dossier = services.dossier_receive(
        actor=fresh(world.user("front_desk")),
        procedure=procedure,
        applicant=ApplicantIn("Trần Văn Lộc", "0987 654 321", "Ấp 3"),
        documents=[DocumentIn(document_id=d.pk) for d in procedure.documents.all()],
    )
    visit(phone, f"{live}/")
    phone.get_by_role("button", name="Mở trình đơn").click()
    phone.get_by_role("navigation", name="Trang công dân").get_by_role(
        "link", name="Tra cứu hồ sơ"
    ).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Tra cứu tình trạng hồ sơ")
    a11y(phone)
    phone.get_by_label("Mã hồ sơ").fill(dossier.code)
    phone.get_by_label("4 số cuối số điện thoại đã đăng ký").fill("1111")
    phone.get_by_role("button", name="Tra cứu").click()
    expect(phone.locator("#error-summary")).to_contain_text("Không tìm thấy hồ sơ")
    a11y(phone)
    phone.get_by_label("4 số cuối số điện thoại đã đăng ký").fill("4321")
    phone.get_by_role("button", name="Tra cứu").click()
    expect(phone.get_by_test_id("dossier-code")).to_have_text(dossier.code)
    expect(phone.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
    assert dossier.appointment_at is not None
    expect(phone.get_by_test_id("appointment")).to_contain_text(
        dossier.appointment_at.astimezone(TZ).strftime("%d/%m/%Y")
    )
    expect(phone.get_by_test_id("lookup-result")).not_to_contain_text("Trần Văn Lộc")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width} px)"
    a11y(phone)


def _working_days_back(n: int) -> datetime:
    cal = get_calendar()
    day = timezone.localdate()
    for _ in range(n):
        day -= timedelta(days=1)
        while not cal.is_working_day(day):
            day -= timedelta(days=1)
    return datetime.combine(day, time(9, 0), TZ)


def test_late_dossier_gets_an_apology_and_the_citizen_sees_the_new_date(
    page: Page, live: str, browser: object, world: World, procedure: Procedure
) -> None:
    # received 12 working days ago (10 working days to resolve): now late, without an apology
    dossier = services.dossier_receive(
        actor=fresh(world.user("head")),
        procedure=procedure,
        applicant=ApplicantIn("Lê Thị Thu", "0905 111 222", "Khóm 2"),
        documents=[DocumentIn(document_id=d.pk) for d in procedure.documents.all()],
        received_at=_working_days_back(12),
    )
    services.dossier_forward(
        actor=fresh(world.user("head")), dossier=dossier, to_user=world.user("handler")
    )
    assert dossier.status == Status.PROCESSING and dossier.due_at < timezone.now()
    sign_in(page, live, "head")
    visit(page, f"{live}/office/onestop/late/")
    expect(page.get_by_test_id("late-list")).to_contain_text(dossier.code)
    page.context.clear_cookies()
    sign_in(page, live, "handler")
    visit(page, f"{live}/office/onestop/dossiers/{dossier.code}/")
    expect(page.get_by_test_id("late-warning")).to_be_visible()
    page.locator("#action-apologise summary").click()
    new_day = get_calendar().working_days_after(timezone.localdate(), 3)
    page.get_by_label("Lý do chậm").fill("Chưa nhận được kết quả xác minh từ cơ quan Công an.")
    page.get_by_label("Ngày hẹn mới").fill(new_day.isoformat())
    page.get_by_label("Giờ hẹn").fill("09:30")
    page.locator("#action-apologise").get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text("Đã lập phiếu xin lỗi")
    expect(page.get_by_test_id("apology")).to_contain_text(new_day.strftime("%d/%m/%Y"))
    a11y(page)
    # the citizen, on a phone, by the QR link of the receipt
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN").new_page()  # type: ignore[attr-defined]
    url = services.public_lookup_url(dossier).split("/tra-cuu-ho-so/")[1]
    visit(phone, f"{live}/tra-cuu-ho-so/{url}")
    expect(phone.get_by_test_id("appointment")).to_contain_text(f"09:30 {new_day:%d/%m/%Y}")
    expect(phone.get_by_test_id("appointment")).to_contain_text("đã hẹn lại")
    expect(phone.get_by_test_id("timeline")).to_contain_text("Xin lỗi và hẹn lại ngày trả kết quả")
    a11y(phone)
