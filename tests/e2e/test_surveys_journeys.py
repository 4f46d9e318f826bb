"""Journeys of the satisfaction survey in a real browser: a citizen scans the QR code of the slip
and answers on a phone; two respondents in a row at a counter kiosk, with a network blip; the
public results page shows an agency's index; the public link works without JavaScript."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import segno
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from danvan.surveys import services
from danvan.surveys.models import Response
from tests.e2e.conftest import CSP_LISTENER, PHONE, a11y, visit
from tests.surveys.conftest import build_questionnaire
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _open_survey(world: World, **populations: int) -> Any:
    today = timezone.localdate()
    actor = world.user("home_affairs")
    campaign = services.campaign_create(
        actor=actor,
        questionnaire=build_questionnaire(actor),
        agency=world.agencies["home_affairs"],
        title="Khảo sát sự hài lòng năm nay",
        starts_on=today - timedelta(days=40),
        ends_on=today + timedelta(days=40),
        participants=[(world.agencies[k], n) for k, n in (populations or {"pc_a": 10}).items()],
    )
    return services.campaign_open(actor=actor, campaign=campaign)


def _choose(page: Page, question: str, label: str) -> None:
    """Tap an option (its label) inside the question's group."""
    page.locator(f"#q-{question}-group").get_by_text(label, exact=True).click()


def test_a_citizen_scans_the_slip_qr_and_answers_on_a_phone(
    page: Page, browser: Any, live: str, world: World
) -> None:
    _open_survey(world)
    # At the counter: the front-desk official prints the invitation slip with its QR code.
    visit(page, f"{live}/office/login/")
    page.get_by_label("Tên đăng nhập").fill("front.desk")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    visit(page, f"{live}/office/surveys/invitations/new/")
    page.get_by_label("Mã hồ sơ (nếu có)").fill("UBND-A-260318-0001")
    page.get_by_label("Lĩnh vực").fill("Hộ tịch")
    page.get_by_role("button", name="Tạo phiếu mời").click()
    slip = page.get_by_test_id("qr-slip")
    expect(slip).to_be_visible()
    a11y(page)
    url = page.get_by_test_id("invitation-url").get_attribute("href")
    assert url and "/khao-sat/phieu/" in url
    # the QR code on the slip holds exactly that link
    qr = slip.get_by_role("img", name="Mã QR dẫn tới phiếu khảo sát").get_attribute("src")
    assert qr == segno.make(url, error="m").svg_data_uri(scale=4, border=2)

    # The citizen scans it with a phone (a fresh browser: no session, 360 px wide).
    context = browser.new_context(viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    phone = context.new_page()
    phone.add_init_script(CSP_LISTENER)
    visit(phone, url.replace("http://127.0.0.1:8000", live))
    expect(phone.get_by_test_id("survey-agency")).to_have_text("Ủy ban nhân dân huyện An Phú")
    # The page fits the phone: nothing wider than the screen.
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # Sending with a required question unanswered shows a clear Vietnamese message.
    _choose(phone, "A1", "Rất hài lòng")
    phone.get_by_role("button", name="Gửi phiếu khảo sát").click()
    summary = phone.locator("#error-summary")
    expect(summary).to_contain_text("Vui lòng trả lời câu hỏi bắt buộc này.")
    expect(summary).to_be_focused()
    a11y(phone)
    _choose(phone, "A2", "Không áp dụng, không có ý kiến")
    _choose(phone, "C1", "Hài lòng")
    _choose(phone, "GT", "Nữ")
    _choose(phone, "KENH", "Cổng dịch vụ công")
    _choose(phone, "KENH", "Niêm yết")
    phone.locator("#q-SOLAN").fill("1")
    phone.locator("#q-GY").fill("Cán bộ hướng dẫn tận tình.")
    phone.get_by_role("button", name="Gửi phiếu khảo sát").click()
    expect(phone.get_by_test_id("survey-thanks")).to_have_text("Cảm ơn ông/bà đã tham gia khảo sát")
    a11y(phone)
    response = Response.objects.get()
    assert (response.channel, response.field, response.is_anonymous) == (
        "invitation",
        "Hộ tịch",
        True,
    )
    assert response.answers.count() == 7  # every question but the optional X1
    # The link works once only.
    visit(phone, url.replace("http://127.0.0.1:8000", live))
    expect(phone.get_by_test_id("survey-message")).to_contain_text("đã được trả lời")
    context.close()


def _pending(page: Page) -> str:
    return page.get_by_test_id("kiosk-status").get_attribute("data-pending") or "0"


def test_a_kiosk_session_of_two_respondents_with_a_network_blip(
    page: Page, live: str, world: World
) -> None:
    _open_survey(world)
    kiosk = services.kiosk_create(
        actor=world.user("front_desk"), agency=world.agencies["pc_a"], name="Quầy 1", idle_seconds=3
    )
    page.set_viewport_size({"width": 800, "height": 1280})  # a counter tablet
    visit(page, f"{live}/khao-sat/quay/{kiosk.key}/")
    form = page.locator("#kiosk-form")
    first_option = page.locator("#q-A1-group .scale-option").first
    assert first_option.bounding_box()["height"] >= 60  # large touch targets

    # Respondent 1: online.
    _choose(page, "A1", "Rất hài lòng")
    _choose(page, "C1", "Hài lòng")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_test_id("kiosk-thanks")).to_be_visible()
    expect(form).to_be_visible(timeout=8000)  # the form comes back for the next person…
    expect(page.locator("#kiosk-form input:checked")).to_have_count(0)  # …empty
    expect(page.get_by_test_id("kiosk-status")).to_have_attribute("data-pending", "0")
    assert Response.objects.filter(kiosk=kiosk).count() == 1
    a11y(page)

    # Respondent 2: the network drops just before sending.
    page.context.set_offline(True)
    _choose(page, "A1", "Bình thường")
    _choose(page, "C1", "Không hài lòng")
    page.locator("#q-GY").fill("Mạng chập chờn nhưng vẫn gửi được.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_test_id("kiosk-thanks")).to_be_visible()
    expect(page.get_by_test_id("kiosk-status")).to_contain_text("Mất kết nối mạng")
    expect(page.get_by_test_id("kiosk-status")).to_contain_text("Số phiếu đang chờ gửi: 1")
    expect(form).to_be_visible(timeout=8000)
    expect(page.locator("#kiosk-form input:checked")).to_have_count(0)
    assert Response.objects.filter(kiosk=kiosk).count() == 1
    # The network is back: the queued answer is sent by itself.
    page.context.set_offline(False)
    expect(page.get_by_test_id("kiosk-status")).to_have_attribute(
        "data-pending", "0", timeout=15000
    )
    assert Response.objects.filter(kiosk=kiosk).count() == 2
    second = Response.objects.filter(kiosk=kiosk).order_by("pk").last()
    assert second is not None and second.answers.get(question__code="A1").scale == 3

    # Someone starts and walks away: the form empties itself after the idle time.
    _choose(page, "A1", "Hài lòng")
    expect(page.locator("#q-A1-4")).to_be_checked()
    expect(page.locator("#kiosk-form input:checked")).to_have_count(0, timeout=8000)
    # A required question left out is pointed at, in Vietnamese, without sending anything.
    _choose(page, "C1", "Hài lòng")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator("#q-A1-error")).to_have_text("Vui lòng trả lời câu hỏi bắt buộc này.")
    expect(page.locator("#q-A1-1")).to_be_focused()
    assert Response.objects.filter(kiosk=kiosk).count() == 2
    a11y(page)


def test_the_public_results_page_shows_the_agencys_index(
    phone: Page, live: str, world: World
) -> None:
    campaign = _open_survey(world, pc_a=10, pc_b=1)
    actor = world.user("home_affairs")
    today = timezone.localdate()
    for agency, answers in (
        ("pc_a", {"A1": "5", "A2": "4", "C1": "3"}),
        ("pc_a", {"A1": "4", "A2": "na", "C1": "5"}),
        ("pc_b", {"A1": "5", "C1": "5"}),
    ):
        services.response_enter_paper(
            actor=actor,
            participant=campaign.participants.get(agency=world.agencies[agency]),
            answers=answers,
            answered_on=today,
        )
    services.campaign_publish_results(actor=actor, campaign=campaign, published=True)
    visit(phone, f"{live}/khao-sat/ket-qua/")
    phone.get_by_role("link", name="Khảo sát sự hài lòng năm nay").click()
    a11y(phone)
    row = phone.locator("tr[data-agency='Ủy ban nhân dân huyện An Phú']")
    # A1 2/2, A2 1/1 → 100 %; C1 1/2 → 50 %; overall 75 %
    expect(row.get_by_test_id("overall")).to_have_text("75,00%")
    expect(row).to_contain_text("Chưa đạt cỡ mẫu (thiếu 8 phiếu)")
    expect(phone.locator("svg.chart").first).to_be_visible()
    row.get_by_role("link", name="Ủy ban nhân dân huyện An Phú").click()
    expect(phone.get_by_test_id("agency-index")).to_have_text("75,00%")
    expect(phone.get_by_test_id("below-target")).to_be_visible()
    a11y(phone)


@override_settings(SURVEYS_MIN_FILL_SECONDS=0)
def test_the_public_link_works_without_javascript(browser: Any, live: str, world: World) -> None:
    _open_survey(world)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live}/khao-sat/")
    page.get_by_role("link", name="Ủy ban nhân dân huyện An Phú").click()
    _choose(page, "A1", "Hài lòng")
    _choose(page, "C1", "Rất hài lòng")
    page.get_by_role("button", name="Gửi phiếu khảo sát").click()
    expect(page.get_by_test_id("survey-thanks")).to_be_visible()
    assert Response.objects.get().channel == "public"
    context.close()


def test_the_organiser_reads_progress_and_results(page: Page, live: str, world: World) -> None:
    campaign = _open_survey(world, pc_a=10, pc_b=1)
    actor = world.user("home_affairs")
    services.response_enter_paper(
        actor=actor,
        participant=campaign.participants.get(agency=world.agencies["pc_a"]),
        answers={"A1": "5", "A2": "na", "C1": "4", "GT": "nam"},
        answered_on=timezone.localdate(),
        paper_ref="01",
    )
    visit(page, f"{live}/office/login/")
    page.get_by_label("Tên đăng nhập").fill("home.affairs")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    visit(page, f"{live}/office/surveys/")
    page.get_by_role("link", name="Khảo sát sự hài lòng năm nay").click()
    expect(page.get_by_test_id("participant-UBND-A").get_by_test_id("responses")).to_have_text("1")
    a11y(page)
    page.get_by_role("link", name="Kết quả, chỉ số").click()
    expect(page.get_by_test_id("pooled-index")).to_have_text("100,00%")
    a11y(page)
    visit(page, f"{live}/office/surveys/campaigns/{campaign.pk}/paper/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập phiếu khảo sát giấy")
    a11y(page)
    visit(page, f"{live}/office/surveys/questionnaires/{campaign.questionnaire_id}/")
    a11y(page)
