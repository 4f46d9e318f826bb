"""The API skeleton: tokens, /me, one error shape with Vietnamese messages, OpenAPI."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.core.models import ApiToken
from tests.world import PASSWORD, World


def _token(client: Client, username: str, **extra: str) -> tuple[int, dict]:
    r = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": PASSWORD, **extra},
        content_type="application/json",
    )
    return r.status_code, r.json()


def test_official_gets_a_token_and_reads_me(world: World) -> None:
    client = Client()
    status, body = _token(client, "head")
    assert status == 200, body
    assert body["token"].startswith("dv_") and body["expires_at"]
    stored = ApiToken.objects.get()
    assert stored.key_hash != body["token"] and body["token"] not in stored.key_hash
    r = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert r.status_code == 200
    me = r.json()
    assert me["user"]["username"] == "head"
    assert me["agency"]["name"] == "Ủy ban nhân dân huyện An Phú"
    assert me["unit"]["name"] == "Huyện An Phú"
    assert me["roles"] == ["head"]


def test_wrong_password_is_401_with_the_error_shape(world: World) -> None:
    r = Client().post(
        "/api/v1/auth/token",
        {"username": "head", "password": "sai"},
        content_type="application/json",
    )
    assert r.status_code == 401
    assert r.json() == {
        "error": {
            "code": "invalid_credentials",
            "message": "Tên đăng nhập hoặc mật khẩu không đúng.",
            "details": {},
        }
    }


def test_citizens_get_no_token(world: World) -> None:
    status, body = _token(Client(), "congdan")
    assert status == 403
    assert body["error"]["message"] == "Khóa API chỉ cấp cho cán bộ."


def test_token_needs_the_second_factor_when_the_account_has_one(world: World) -> None:
    device = TOTPDevice.objects.create(user=world.user("handler"), name="app", confirmed=True)
    status, body = _token(Client(), "handler")
    assert status == 401 and body["error"]["code"] == "invalid_otp"
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    status, body = _token(Client(), "handler", otp=code)
    assert status == 200, body


@override_settings(OTP_REQUIRED_FOR_OFFICIALS=True)
def test_production_requires_a_second_factor_before_any_token(world: World) -> None:
    status, body = _token(Client(), "handler")
    assert status == 403
    assert "xác thực hai bước" in body["error"]["message"]


@pytest.mark.parametrize("header", ["", "Bearer sai", "Bearer dv_khong-ton-tai", "Basic abc"])
def test_unauthenticated_calls_get_401_in_vietnamese(world: World, header: str) -> None:
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    r = Client().get("/api/v1/me", **extra)
    assert r.status_code == 401
    body = r.json()
    assert set(body) == {"error"} and body["error"]["code"] == "unauthenticated"
    assert "Cần đăng nhập" in body["error"]["message"]


def test_expired_or_revoked_tokens_are_refused(world: World) -> None:
    client = Client()
    _, body = _token(client, "head")
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00+07:00")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}").status_code == 401


def test_validation_errors_have_the_same_shape(world: World) -> None:
    r = Client().post("/api/v1/auth/token", {"username": "head"}, content_type="application/json")
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "validation"
    assert error["message"].startswith("Dữ liệu gửi lên không hợp lệ")
    assert any(f["field"] == "password" for f in error["details"]["fields"])


def test_unknown_api_path_is_a_json_404(world: World) -> None:
    r = Client().get("/api/v1/khong-co")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_openapi_document_describes_the_api(db: None) -> None:
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["info"]["title"] == "DânVận API"
    for path in (
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/calendar/deadline",
        "/api/v1/calendar/days",
    ):
        assert path in doc["paths"], path
    assert Client().get("/api/v1/docs").status_code == 200


def test_units_are_public(world: World) -> None:
    r = Client().get("/api/v1/units", {"level": "district"})
    assert r.status_code == 200
    assert {u["name"] for u in r.json()} == {"Huyện An Phú", "Huyện Bình Minh"}


def test_session_users_can_read_the_api_from_the_browser(world: World) -> None:
    client = Client()
    client.force_login(world.user("handler"))
    assert client.get("/api/v1/me").json()["roles"] == ["handler"]
