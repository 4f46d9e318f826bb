"""Browser journeys of citizen reception and petitions: a group of 7 citizens received as a mass
case; a complaint accepted and resolved with its decision document; a late case on the overdue
list. Every page goes through axe-core (serious/critical issues and CSP violations fail)."""

from __future__ import annotations

import io

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from danvan.petitions import services
from danvan.petitions.models import Petition
from tests.e2e.conftest import a11y, visit
from tests.petitions.conftest import at, file_petition, reseed
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _seeded(transactional_db: None) -> None:
    reseed()  # the flush after each transactional test empties the seeded rules


def sign_in(page: Page, live: str, username: str) -> None:
    visit(page, f"{live}/office/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("agency")).to_be_visible()


def test_a_group_of_7_citizens_is_received_as_a_mass_case(
    page: Page, live: str, world: World
) -> None:
    sign_in(page, live, "front.desk")
    page.get_by_role("link", name="Tiếp công dân, đơn thư").first.click()
    a11y(page)
    page.get_by_role("link", name="Sổ tiếp công dân").click()
    a11y(page)
    page.get_by_role("link", name="Tiếp công dân", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiếp công dân — vào sổ")
    a11y(page)
    page.get_by_label("Thời điểm tiếp").fill("2026-03-02T09:00")
    page.get_by_label("Loại việc").select_option("complaint")
    page.get_by_label("Tổng số người đến").fill("7")
    page.get_by_label("Người đại diện").fill(
        "Trần Văn Tám | Ấp Phú Hòa | 0903111222\nLê Thị Chín | Ấp Phú Hòa\nNguyễn Văn Mười | Ấp 1"
    )
    page.get_by_label("Người đến khác").fill(
        "Phạm Thị Mai\nVõ Văn Lành\nĐặng Thị Hoa\nHuỳnh Văn Sáu"
    )
    page.get_by_label("Nội dung trình bày").fill(
        "Khiếu nại mức bồi thường đất nông nghiệp khi thu hồi đất làm đường tránh."
    )
    page.get_by_label("Lập đơn để xử lý").check()
    page.get_by_label("Trích yếu (khi lập đơn)").fill("Khiếu nại mức bồi thường khi thu hồi đất")
    page.get_by_label("Đất đai, bồi thường, giải phóng mặt bằng").check()
    page.get_by_role("button", name="Vào sổ").click()
    # 3 representatives for a group of 7: the law allows 1 or 2
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Nhóm 7 người phải cử từ 1 đến 2 người đại diện (đang có 3)")
    a11y(page)
    page.get_by_label("Người đại diện").fill(
        "Trần Văn Tám | Ấp Phú Hòa | 0903111222\nLê Thị Chín | Ấp Phú Hòa"
    )
    page.get_by_label("Người đến khác").fill(
        "Nguyễn Văn Mười | Ấp 1\nPhạm Thị Mai\nVõ Văn Lành\nĐặng Thị Hoa\nHuỳnh Văn Sáu"
    )
    page.get_by_role("button", name="Vào sổ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã vào sổ tiếp công dân")
    expect(page.get_by_test_id("mass-case")).to_have_text("Vụ việc đông người (7 người)")
    expect(page.get_by_test_id("sender")).to_contain_text("Trần Văn Tám (và 6 người khác)")
    expect(page.get_by_test_id("handling-due")).to_contain_text("16/03/2026")
    a11y(page)
    p = Petition.objects.get()
    assert p.signers_count == 7 and p.reception_entry.representative_count == 2  # type: ignore[attr-defined]
    page.get_by_role("link", name="Sổ tiếp công dân").click()
    expect(page.get_by_role("cell", name="7 Đông người")).to_be_visible()
    a11y(page)


def test_a_complaint_is_accepted_and_resolved_with_its_decision(
    page: Page, live: str, world: World
) -> None:
    p = file_petition(
        world, received_at=at(2026, 3, 2), decision_complained="Quyết định số 1520/QĐ-UBND"
    )
    sign_in(page, live, "handler")
    visit(page, f"{live}/office/petitions/{p.pk}/")
    expect(page.get_by_test_id("status")).to_have_text("Chờ xử lý đơn")
    page.locator("summary", has_text="Thụ lý").click()
    page.get_by_label("Ngày thụ lý").fill("2026-03-03T09:00")
    page.get_by_role("button", name="Thụ lý đơn").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thụ lý đơn")
    expect(page.get_by_test_id("status")).to_have_text("Đã thụ lý, đang giải quyết")
    expect(page.get_by_test_id("resolution-due")).to_contain_text("02/04/2026")
    a11y(page)
    page.locator("summary", has_text="Ban hành quyết định giải quyết khiếu nại").click()
    page.locator("#id_resolve-outcome").select_option("partly_right")
    page.get_by_label("Nội dung kết luận, quyết định").fill("Điều chỉnh đơn giá bồi thường.")
    page.get_by_label("Ngày ban hành").fill("2026-03-27T10:00")
    page.get_by_role("button", name="Ghi kết quả giải quyết").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã giải quyết")
    expect(page.get_by_test_id("decision")).to_have_text("01/QĐ-UBND")
    expect(page.get_by_test_id("legal-effect")).to_have_text("29/04/2026")
    a11y(page)
    docs = page.get_by_test_id("documents")
    expect(docs).to_contain_text("Quyết định giải quyết khiếu nại số 01/QĐ-UBND")
    with page.expect_download() as info:
        docs.locator("li", has_text="01/QĐ-UBND").get_by_role("link", name="DOCX").click()
    content = open(info.value.path(), "rb").read()  # noqa: SIM115
    text = "\n".join(par.text for par in Document(io.BytesIO(content)).paragraphs)
    assert "Về việc giải quyết khiếu nại lần đầu của Nguyễn Thị Khiếu" in text
    assert "Điều 1. Kết luận nội dung khiếu nại là đúng một phần." in text


def test_a_late_case_is_on_the_overdue_list(page: Page, live: str, world: World) -> None:
    late = file_petition(world, received_at=at(2026, 1, 5), subject="Khiếu nại chậm giải quyết")
    services.petition_accept(actor=world.user("handler"), petition=late, accepted_at=at(2026, 1, 6))
    file_petition(
        world, agency=world.other, received_at=at(2026, 1, 5), subject="Đơn của huyện khác"
    )
    sign_in(page, live, "head")
    expect(page.get_by_role("heading", name="Đơn thư: thời hạn")).to_be_visible()
    page.get_by_role("link", name="Xem đơn quá hạn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đơn thư quá hạn")
    table = page.get_by_test_id("overdue-table")
    expect(table).to_contain_text(late.code)
    expect(table).to_contain_text("05/02/2026")  # 30 days from 06/01/2026
    expect(table).not_to_contain_text("Đơn của huyện khác")
    a11y(page)
    page.get_by_role("link", name="Tồn đọng, kéo dài").click()
    expect(page.get_by_test_id("long_running-table")).to_contain_text(late.code)
    a11y(page)
    # the provincial Inspectorate sees the whole province
    page.get_by_role("button", name="Đăng xuất").click()
    sign_in(page, live, "inspector")
    visit(page, f"{live}/office/petitions/overdue/")
    expect(page.get_by_test_id("overdue-table")).to_contain_text("Đơn của huyện khác")
    expect(page.get_by_test_id("overdue-table")).to_contain_text(late.code)


def test_a_citizen_sends_a_complaint_from_a_phone_without_javascript(
    browser, live: str, world: World
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="vi-VN"
    )
    page = context.new_page()
    page.goto(f"{live}/don-thu/gui/")
    page.get_by_label("Gửi đến cơ quan").select_option(label="Ủy ban nhân dân huyện An Phú")
    page.get_by_label("Kiến nghị").check()
    page.get_by_label("Họ và tên").fill("Võ Thị Trực Tuyến")
    page.get_by_label("Địa chỉ").fill("Ấp 5, xã An Hòa")
    page.get_by_label("Số điện thoại").fill("0933444555")
    page.get_by_label("Tóm tắt nội dung").fill("Kiến nghị sửa cầu khỉ")
    page.get_by_label("Nội dung đơn").fill("Cầu khỉ ấp 5 xuống cấp, đề nghị sửa chữa.")
    page.get_by_label("Tôi cam đoan").check()
    page.get_by_role("button", name="Gửi đơn").click()
    code = page.get_by_test_id("tracking-code").inner_text()
    page.get_by_role("link", name="Tra cứu tình trạng đơn").click()
    page.get_by_label("Mã tra cứu").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_test_id("status-label")).to_have_text("Chờ xử lý đơn")
    expect(page.get_by_test_id("status")).not_to_contain_text("Võ Thị Trực Tuyến")
    context.close()
