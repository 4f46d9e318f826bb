"""Browser journey of a public consultation: a citizen comments on article 3 from a phone; the
agency moderates, closes, answers and publishes the numbered synthesis; the citizen reads it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from danvan.consultations.models import IdentityLevel
from danvan.core.models import OutboxMessage
from tests.consultations.conftest import make_consultation
from tests.e2e.conftest import CSP_LISTENER, a11y, visit
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live: str, username: str) -> None:
    visit(page, f"{live}/office/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("agency")).to_be_visible()


def test_citizen_comments_on_article_3_and_the_agency_publishes_the_synthesis(
    phone: Page, browser: Any, live: str, world: World
) -> None:
    c = make_consultation(world, identity_level=IdentityLevel.ANONYMOUS_PHONE)

    # --- the citizen, on a 360 px phone ----------------------------------------------------------
    visit(phone, f"{live}/gop-y-du-thao/")
    phone.get_by_role("link", name=c.title).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(c.title)
    a11y(phone)
    expect(
        phone.get_by_role("heading", name="Điều 3. Trách nhiệm của Ủy ban nhân dân cấp xã")
    ).to_be_visible()
    phone.get_by_role("link", name="Góp ý Điều 3").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Điều 3")
    a11y(phone)
    phone.get_by_role("textbox", name="Số điện thoại").fill("0912345678")
    phone.get_by_role("button", name="Gửi mã xác minh").click()
    expect(phone.locator(".messages")).to_contain_text("Đã gửi mã xác minh tới số 0912345678")
    a11y(phone)
    sms = OutboxMessage.objects.get(channel="sms", recipient="0912345678")
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)  # type: ignore[union-attr]
    phone.get_by_label("Mã xác minh").fill(code)
    phone.get_by_role("button", name="Xác minh").click()
    expect(phone.get_by_label("Góp ý cho")).to_have_value(str(c.sections.get(number="Điều 3").pk))
    a11y(phone)
    phone.get_by_label("Nội dung góp ý").fill(
        "Đề nghị quy định thời hạn Ủy ban nhân dân cấp xã trả lời phản ánh là 10 ngày làm việc."
    )
    phone.get_by_role("button", name="Gửi góp ý").click()
    expect(phone.locator(".messages")).to_contain_text("Cảm ơn bạn đã góp ý (ý kiến số 1)")
    a11y(phone)
    # Not public before moderation.
    expect(phone.get_by_test_id("comment")).to_have_count(0)
    phone.get_by_label("Số điện thoại hoặc thư điện tử").fill("0912345678")
    phone.get_by_role("button", name="Theo dõi").click()
    expect(phone.locator(".messages")).to_contain_text("Bạn sẽ nhận thông báo")

    # --- the agency: moderate, close, answer --------------------------------------------------------
    office = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = office.new_page()
    page.add_init_script(CSP_LISTENER)
    sign_in(page, live, "handler")
    visit(page, f"{live}/office/consultations/comments/")
    page.get_by_label("Đăng công khai").check()
    page.get_by_role("button", name="Lưu kiểm duyệt").click()
    expect(page.locator(".messages")).to_contain_text("Đã kiểm duyệt ý kiến số 1")
    visit(page, f"{live}/office/consultations/{c.pk}/")
    page.get_by_role("button", name="Kết thúc lấy ý kiến").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã kết thúc lấy ý kiến")
    a11y(page)
    page.get_by_role("link", name="Trả lời ý kiến số 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tiếp thu, giải trình ý kiến số 1")
    a11y(page)
    page.get_by_label("Kết quả").select_option("accepted")
    page.get_by_label("Nội dung tiếp thu, giải trình").fill(
        "Tiếp thu: bổ sung khoản 3 Điều 3, thời hạn trả lời là 10 ngày làm việc."
    )
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu tiếp thu, giải trình ý kiến số 1")
    page.get_by_role("button", name="Đăng xuất").click()

    # --- the head signs: number the synthesis and publish ------------------------------------------
    sign_in(page, live, "head")
    visit(page, f"{live}/office/consultations/{c.pk}/")
    page.get_by_label("Họ tên người ký").fill("Phạm Văn Trưởng")
    page.get_by_label("Chức vụ người ký").fill("Chủ tịch")
    page.get_by_role("button", name="Cấp số báo cáo").click()
    expect(page.get_by_test_id("report-symbol")).to_contain_text("01/BC-UBND")
    a11y(page)
    page.get_by_label("Văn bản hoàn chỉnh sau tiếp thu").fill(
        "Điều 3 (đã sửa): … trong thời hạn 10 ngày làm việc."
    )
    page.get_by_role("button", name="Công bố báo cáo và văn bản hoàn chỉnh").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã công bố kết quả")
    with page.expect_download() as download:
        page.get_by_role("link", name="DOCX").click()
    assert download.value.suggested_filename == "bao-cao-tong-hop-01-BC-UBND.docx"
    office.close()

    # --- the citizen reads the result on the phone ---------------------------------------------------
    visit(phone, f"{live}/gop-y-du-thao/{c.pk}/")
    expect(phone.get_by_test_id("status")).to_have_text("Đã công bố kết quả")
    expect(phone.get_by_test_id("result")).to_contain_text("01/BC-UBND")
    expect(phone.get_by_test_id("response")).to_contain_text("Tiếp thu: bổ sung khoản 3 Điều 3")
    assert OutboxMessage.objects.filter(
        recipient="0912345678", body__contains="01/BC-UBND"
    ).exists()


def test_commenting_and_asking_work_without_javascript(
    browser: Any, live: str, world: World
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from danvan.consultations.models import Comment
    from danvan.dialogues import services as dialogue_services
    from danvan.dialogues.models import Question

    c = make_consultation(world)
    start = timezone.now() + timedelta(days=3)
    d = dialogue_services.dialogue_schedule(
        actor=world.user("committee_leader"),
        agency=world.own("committee_leader"),
        topic="Đối thoại về đèn đường",
        host_name="Chủ tịch UBND huyện",
        place="Nhà văn hóa",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="vi-VN"
    )
    page = context.new_page()
    page.goto(f"{live}/gop-y-du-thao/{c.pk}/")
    page.get_by_role("link", name="Góp ý Điều 3").click()
    page.get_by_label("Nội dung góp ý").fill("Đề nghị niêm yết giá thuê trên cổng thông tin xã.")
    page.get_by_label("Họ và tên").fill("Trần Thị Bích")
    page.get_by_role("textbox", name="Số điện thoại").fill("0912345678")
    page.get_by_role("button", name="Gửi góp ý").click()
    expect(page.locator(".messages")).to_contain_text("Cảm ơn bạn đã góp ý")
    assert Comment.objects.get().section == c.sections.get(number="Điều 3")
    page.goto(f"{live}/doi-thoai/{d.pk}/")
    page.get_by_label("Họ và tên").fill("Ông Bảy")
    page.get_by_label("Nơi ở (ấp, xã)").fill("ấp 2, xã An Hòa")
    page.get_by_role("textbox", name="Câu hỏi, kiến nghị").fill("Khi nào sửa đèn đường ấp 2?")
    page.get_by_role("button", name="Gửi câu hỏi").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi câu hỏi")
    assert Question.objects.get().body == "Khi nào sửa đèn đường ấp 2?"
    context.close()
