"""Sign-in: Argon2, lockout per user and address, the second factor, the idle timeout."""

from __future__ import annotations

import time

import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.core.models import AuditRecord
from tests.world import PASSWORD, World


def _login(
    client: Client, username: str, password: str = PASSWORD, otp: str = "", ip: str = "10.0.0.1"
):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("org:login"),
        {"username": username, "password": password, "otp_token": otp},
        REMOTE_ADDR=ip,
    )


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_the_base_settings_hash_passwords_with_argon2() -> None:
    from danvan.config import settings as base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_login_lands_on_the_office_home_and_is_audited(world: World) -> None:
    client = Client()
    r = _login(client, "head")
    assert r.status_code == 302 and r["Location"] == reverse("shell:office-home")
    page = client.get(reverse("shell:office-home")).content.decode()
    assert "Ủy ban nhân dân huyện An Phú" in page and "Thủ trưởng cơ quan" in page
    assert AuditRecord.objects.filter(action="org.login", actor=world.user("head")).exists()


def test_wrong_password_message_is_vietnamese(world: World) -> None:
    r = _login(Client(), "head", "sai")
    assert r.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in r.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_is_per_user_and_address(world: World) -> None:
    for _ in range(3):
        _login(Client(), "handler", "sai", ip="10.0.0.9")
    locked = _login(Client(), "handler", PASSWORD, ip="10.0.0.9")
    assert locked.status_code == 429
    assert "tạm thời bị khóa" in locked.content.decode()
    # The same user from another address, and another user from that address, still sign in.
    assert _login(Client(), "handler", PASSWORD, ip="10.0.0.10").status_code == 302
    assert _login(Client(), "head", PASSWORD, ip="10.0.0.9").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_api_lockout_answers_json(world: World) -> None:
    for _ in range(3):
        Client().post(
            "/api/v1/auth/token",
            {"username": "handler", "password": "sai"},
            content_type="application/json",
        )
    r = Client().post(
        "/api/v1/auth/token",
        {"username": "handler", "password": PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "locked_out"


def test_an_account_with_an_authenticator_needs_its_code(world: World) -> None:
    device = TOTPDevice.objects.create(user=world.user("head"), name="app", confirmed=True)
    r = _login(Client(), "head")
    assert r.status_code == 200
    assert "Mã xác thực hai bước không đúng" in r.content.decode()
    client = Client()
    assert _login(client, "head", otp=_code(device)).status_code == 302
    assert client.get(reverse("shell:office-home")).status_code == 200


@override_settings(OTP_REQUIRED_FOR_OFFICIALS=True)
def test_production_profile_makes_officials_set_up_the_second_factor(world: World) -> None:
    client = Client()
    assert _login(client, "handler").status_code == 302
    r = client.get(reverse("org:agency-list"))
    assert r.status_code == 302 and r["Location"] == reverse("org:otp-setup")
    page = client.get(reverse("org:otp-setup"))
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.user("handler"))
    assert not device.confirmed
    bad = client.post(reverse("org:otp-setup"), {"token": "000000"})
    assert bad.status_code == 422
    # django-otp throttles after a failure (1 s, doubling): the right code a bit later works.
    with time_machine.travel(time.time() + 3, tick=False):
        device.refresh_from_db()
        done = client.post(reverse("org:otp-setup"), {"token": _code(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("org:agency-list")).status_code == 200
    # Citizens are not asked for a second factor.
    citizen = Client()
    citizen.force_login(world.user("citizen"))
    assert citizen.get("/").status_code == 200


def test_officials_are_signed_out_after_the_idle_timeout(world: World) -> None:
    client = Client()
    with time_machine.travel(time.time(), tick=False) as traveller:
        _login(client, "handler")
        assert client.get(reverse("org:agency-list")).status_code == 200
        traveller.shift(settings.OFFICIAL_IDLE_TIMEOUT - 60)
        assert (
            client.get(reverse("org:agency-list")).status_code == 200
        )  # activity resets the clock
        traveller.shift(settings.OFFICIAL_IDLE_TIMEOUT + 5)
        r = client.get(reverse("org:agency-list"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("org:login"))
    assert client.get(reverse("org:agency-list")).status_code == 302


def test_logout_is_a_post(world: World) -> None:
    client = Client()
    _login(client, "handler")
    assert client.get(reverse("org:logout")).status_code == 405
    assert client.post(reverse("org:logout")).status_code == 302
    assert client.get(reverse("org:agency-list")).status_code == 302


def test_csrf_is_enforced_on_login(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    assert _login(client, "handler").status_code == 403


def test_pages_carry_the_security_headers(world: World) -> None:
    r = Client().get("/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
