"""Journeys through the platform's shell: the public site, language switch, sign-in, lockout."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from tests.e2e.conftest import a11y, visit
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_newcomer_reads_the_public_site_in_vietnamese_and_switches_to_english(
    phone: Page, live: str, world: World
) -> None:
    visit(phone, f"{live}/")
    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Chính quyền lắng nghe")
    # On a 360 px wide phone the menu is collapsed; the language switch is inside it.
    phone.get_by_role("button", name="Mở trình đơn").click()
    phone.get_by_role("button", name="English").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("listens to and serves")
    a11y(phone)
    visit(phone, f"{live}/co-quan/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Directory")


def test_public_pages_work_without_javascript(browser: Any, live: str, world: World) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="vi-VN"
    )
    page = context.new_page()
    page.goto(f"{live}/")
    # Without scripts the menu is not collapsed, and the language switch is a plain form.
    expect(page.get_by_role("button", name="Mở trình đơn")).to_be_hidden()
    page.locator("form.language-switch button").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{live}/office/login/")
    page.get_by_label("User name").fill("head")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("agency")).to_have_text("Ủy ban nhân dân huyện An Phú")
    context.close()


def test_official_signs_in_and_sees_their_agency(page: Page, live: str, world: World) -> None:
    visit(page, f"{live}/office/")
    expect(page).to_have_url(f"{live}/office/login/?next=/office/")
    page.get_by_label("Tên đăng nhập").fill("head")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("agency")).to_have_text("Ủy ban nhân dân huyện An Phú")
    expect(page.get_by_test_id("unit")).to_have_text("Huyện An Phú")
    expect(page.get_by_test_id("roles")).to_contain_text("Thủ trưởng cơ quan")
    a11y(page)
    page.get_by_role("link", name="Cơ quan, đơn vị").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cơ quan, đơn vị")
    a11y(page)


def test_wrong_password_shows_a_clear_vietnamese_error(page: Page, live: str, world: World) -> None:
    visit(page, f"{live}/office/login/")
    page.get_by_label("Tên đăng nhập").fill("head")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
    expect(summary).to_be_focused()
    a11y(page)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_engages_after_repeated_failures(page: Page, live: str, world: World) -> None:
    visit(page, f"{live}/office/login/")
    for _ in range(3):
        page.get_by_label("Tên đăng nhập").fill("handler")
        page.get_by_label("Mật khẩu").fill("sai-mat-khau")
        page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("lockout-message")).to_contain_text("tạm thời bị khóa")
    a11y(page)
    # Even the right password is refused while locked.
    page.goto(f"{live}/office/login/")
    page.get_by_label("Tên đăng nhập").fill("handler")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("lockout-message")).to_be_visible()
