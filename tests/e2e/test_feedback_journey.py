"""The feedback journey in a real browser: a citizen on a 360 px phone sends feedback with a
photo and gets a tracking code; the handler drafts the answer, the head approves it (and it is
published); the citizen reads the answer by the code. axe-core checks every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from danvan.feedback.models import Feedback, Status
from tests.e2e.conftest import PHONE, a11y, visit
from tests.feedback.conftest import media, png_bytes, rules  # noqa: F401 - fixtures used here
from tests.world import PASSWORD, World

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("rules"),
]


def sign_in(page: Page, live: str, username: str) -> None:
    visit(page, f"{live}/office/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("agency")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()


def test_citizen_sends_feedback_with_a_photo_and_reads_the_answer_by_code(
    browser: Any,
    page: Page,
    live: str,
    world: World,
    tmp_path: Path,
) -> None:
    photo = tmp_path / "cong-bi-tac.png"
    photo.write_bytes(png_bytes())

    # 1. The citizen, on a phone.
    phone = browser.new_context(viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    citizen = phone.new_page()
    citizen.add_init_script("window.__cspViolations = [];")
    visit(citizen, f"{live}/phan-anh/gui/")
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Gửi phản ánh, kiến nghị")
    assert citizen.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    citizen.get_by_label("Loại phản ánh, kiến nghị").select_option("local")
    citizen.get_by_label("Tiêu đề").fill("Cống thoát nước đầu hẻm 5 bị tắc")
    citizen.get_by_role("textbox", name="Nội dung", exact=True).fill(
        "Cống thoát nước đầu hẻm 5 bị tắc nhiều ngày, mưa xuống nước tràn vào nhà dân."
    )
    citizen.get_by_label("Xã, phường, thị trấn nơi xảy ra").select_option(
        label="Xã An Hòa — Huyện An Phú"
    )
    citizen.get_by_label("Địa chỉ, địa điểm cụ thể").fill("Đầu hẻm 5, ấp An Thạnh")
    citizen.get_by_label("Ảnh, tài liệu đính kèm").set_input_files(str(photo))
    citizen.get_by_label("Số điện thoại").fill("0912 345 678")
    citizen.get_by_label("Tôi đồng ý công khai").check()
    citizen.get_by_role("button", name="Gửi phản ánh").click()
    code_box = citizen.get_by_test_id("tracking-code")
    expect(code_box).to_be_visible()
    code = code_box.inner_text().strip()
    expect(citizen.get_by_role("status")).to_contain_text(code)
    a11y(citizen)
    assert citizen.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    item = Feedback.objects.get(code=code)
    assert item.agency == world.agencies["pc_a1"]
    Feedback.objects.filter(pk=item.pk).update(
        agency=world.agencies["pc_a"]
    )  # the district's officials

    # 2. The handler drafts the answer.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live, "handler")
    visit(page, f"{live}/office/feedback/")
    page.get_by_role("link", name=code).click()
    a11y(page)
    expect(page.get_by_test_id("content")).to_contain_text("Cống thoát nước")
    page.get_by_role("textbox", name="Nội dung trả lời", exact=True).fill(
        "UBND huyện đã cho nạo vét cống đầu hẻm 5 ngày 10/3; cảm ơn ông (bà) đã phản ánh."
    )
    page.get_by_role("button", name="Trình lãnh đạo duyệt").click()
    expect(page.get_by_test_id("status")).to_have_text("Chờ lãnh đạo duyệt trả lời")
    a11y(page)
    sign_out(page)

    # 3. The head approves; the answer is sent and published.
    sign_in(page, live, "head")
    visit(page, f"{live}/office/feedback/{item.pk}/")
    page.get_by_role("button", name="Duyệt và gửi trả lời").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã trả lời")
    a11y(page)
    item.refresh_from_db()
    assert item.status == Status.ANSWERED and item.published_at is not None
    sign_out(page)

    # 4. The citizen reads the answer by the code.
    visit(citizen, f"{live}/phan-anh/tra-cuu/")
    citizen.get_by_label("Mã tra cứu").fill(code.lower())
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.get_by_test_id("status")).to_have_text("Đã trả lời")
    expect(citizen.get_by_test_id("answer")).to_contain_text("nạo vét cống đầu hẻm 5")
    a11y(citizen)
    visit(citizen, f"{live}/phan-anh/?q=nao+vet+cong")
    expect(citizen.get_by_test_id("public-list")).to_contain_text(
        "Cống thoát nước đầu hẻm 5 bị tắc"
    )
    expect(citizen.get_by_test_id("public-list")).not_to_contain_text("0912")
    a11y(citizen)
    citizen.get_by_role("link", name="Cống thoát nước đầu hẻm 5 bị tắc").click()
    expect(citizen.get_by_test_id("answer")).to_contain_text("nạo vét cống")
    expect(citizen.get_by_test_id("public-content")).to_contain_text("nước tràn vào nhà dân")
    a11y(citizen)
    phone.close()


def test_the_form_works_without_javascript_on_a_phone(
    browser: Any, live: str, world: World
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live}/phan-anh/gui/")
    page.get_by_label("Loại phản ánh, kiến nghị").select_option("regulation")
    page.get_by_label("Tiêu đề").fill("Quy định bắt buộc công chứng bản sao")
    page.get_by_role("textbox", name="Nội dung", exact=True).fill(
        "Đề nghị bỏ yêu cầu công chứng bản sao khi đã xuất trình bản chính."
    )
    page.get_by_role("button", name="Gửi phản ánh").click()
    expect(page.locator("#error-summary")).to_contain_text("Nghị định 20/2008")
    page.get_by_label("Họ và tên").fill("Đỗ Văn Tâm")
    page.get_by_label("Địa chỉ liên hệ").fill("Ấp 4, xã Bình Lợi")
    page.get_by_label("Số điện thoại").fill("0987111222")
    page.get_by_role("button", name="Gửi phản ánh").click()
    expect(page.get_by_test_id("tracking-code")).to_have_text(Feedback.objects.get().code)
    context.close()


def test_the_back_office_pages_pass_axe(page: Page, live: str, world: World) -> None:
    from danvan.feedback import services
    from danvan.feedback.models import ReplyTemplate
    from tests.feedback.conftest import submission

    item = services.feedback_submit(
        actor=None, data=submission(sender_name="Mai Văn Bảy", sender_phone="0911000222")
    )
    Feedback.objects.filter(pk=item.pk).update(agency=world.agencies["pc_a"])
    ReplyTemplate.objects.create(category="initiative", title="Ghi nhận", body="Cảm ơn {ma}.")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live, "head")
    for path in (
        "/office/feedback/?state=open",
        f"/office/feedback/{item.pk}/?template={ReplyTemplate.objects.get().pk}",
        "/office/feedback/new/",
        "/office/feedback/overdue/",
        "/office/feedback/statistics/",
        "/office/feedback/templates/",
        "/office/feedback/templates/new/",
    ):
        visit(page, f"{live}{path}")
    sign_out(page)
    sign_in(page, live, "sysadmin")
    visit(page, f"{live}/office/feedback/routing/")
    page.get_by_role("button", name="Lưu quy tắc").click()
    expect(page.locator("#error-summary")).to_be_visible()
    a11y(page)
