"""Browser journey of a commitment made at a dialogue: on the public follow-up page it is on
track, then goes overdue, then the owner reports it done with evidence and the page shows it
done (late). Time moves with time_machine."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from danvan.core.calendar import TZ
from danvan.dialogues import services
from tests.e2e.conftest import a11y, visit
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_a_commitment_goes_overdue_then_done_on_the_public_follow_up_page(
    phone: Page, page: Page, live: str, world: World, tmp_path: Path
) -> None:
    start = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)  # a Monday
    with time_machine.travel(start + timedelta(hours=4), tick=False):
        leader = world.user("committee_leader")
        d = services.dialogue_schedule(
            actor=leader,
            agency=world.own("committee_leader"),
            topic="Đối thoại về đường giao thông ấp 2",
            host_name="Ông Võ Văn Chủ Tịch",
            place="Nhà văn hóa ấp 2",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
        )
        services.dialogue_record_held(actor=leader, dialogue=d, minutes_text="Nghe 6 ý kiến.")
        services.commitment_add(
            actor=leader,
            dialogue=d,
            owner=world.own("handler"),
            description="Sửa 8 bóng đèn đường ấp 2",
            due_on=start.date() + timedelta(days=14),
        )

    def at(day_offset: int) -> Any:
        return time_machine.travel(
            datetime.combine(start.date() + timedelta(days=day_offset), time(9), TZ), tick=True
        )

    with at(1):
        visit(phone, f"{live}/doi-thoai/cam-ket/")
        card = phone.get_by_test_id("commitment")
        expect(card).to_contain_text("Sửa 8 bóng đèn đường ấp 2")
        expect(card.get_by_test_id("state")).to_have_text("Trong hạn")
        expect(phone.get_by_test_id("summary")).to_contain_text("1 cam kết: 0 hoàn thành đúng hạn")

    with at(20):
        visit(phone, f"{live}/doi-thoai/cam-ket/")
        expect(phone.get_by_test_id("state")).to_have_text("Quá hạn")
        expect(phone.get_by_test_id("summary")).to_contain_text("1 quá hạn")
        phone.get_by_label("Tình trạng").select_option("overdue")
        phone.get_by_role("button", name="Lọc").click()
        expect(phone).to_have_url(f"{live}/doi-thoai/cam-ket/?state=overdue")
        expect(phone.get_by_test_id("commitment")).to_have_count(1)
        a11y(phone)

        # The owner agency reports it done, with a photo/PDF as evidence.
        visit(page, f"{live}/office/login/")
        page.get_by_label("Tên đăng nhập").fill("handler")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        visit(page, f"{live}/office/dialogues/commitments/?overdue=1")
        page.get_by_role("link", name="Sửa 8 bóng đèn đường ấp 2").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sửa 8 bóng đèn đường ấp 2")
        a11y(page)
        evidence = tmp_path / "anh-den-duong.pdf"
        evidence.write_bytes(PDF)
        page.get_by_label("Tình trạng").select_option("done")
        page.get_by_label("Kết quả thực hiện").fill("Đã thay 8 bóng đèn LED.")
        page.get_by_label("Minh chứng (ảnh, PDF, DOCX)").set_input_files(str(evidence))
        page.get_by_role("button", name="Báo cáo").click()
        expect(page.locator(".messages")).to_contain_text("Đã báo cáo tiến độ")
        expect(page.get_by_role("link", name="Minh chứng: anh-den-duong.pdf")).to_be_visible()
        a11y(page)

        visit(phone, f"{live}/doi-thoai/cam-ket/")
        expect(phone.get_by_test_id("state")).to_have_text("Hoàn thành trễ hạn")
        expect(phone.get_by_test_id("commitment")).to_contain_text("Đã thay 8 bóng đèn LED.")
        expect(phone.get_by_test_id("summary")).to_contain_text(
            "0 hoàn thành đúng hạn, 1 hoàn thành trễ hạn, 0 quá hạn"
        )
