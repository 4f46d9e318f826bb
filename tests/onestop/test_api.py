"""The one-stop shop's API: token-authenticated officials, one public look-up."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from danvan.core.models import AuditRecord
from danvan.core.tokens import token_create
from danvan.onestop.models import Dossier, Procedure, Status
from danvan.onestop.selectors import LOOKUP_FAILURES
from tests.onestop.conftest import at
from tests.world import World

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, world: World, role: str) -> None:
        raw, _token = token_create(user=world.user(role))
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(
            f"/api/v1{path}", json.dumps(body or {}), content_type="application/json"
        )


def new_dossier(procedure: Procedure, **extra: Any) -> dict[str, Any]:
    return {
        "procedure": procedure.code,
        "applicant": {"name": "Đỗ Văn Nam", "phone": "0977123456", "address": "Ấp An Thới"},
        "documents": ["Tờ khai đăng ký khai sinh", {"name": "giay chung sinh", "originals": 1}],
        "channel": "online",
        **extra,
    }


def test_procedures_are_searched_without_diacritics(world: World, procedure: Procedure) -> None:
    response = Api(world, "handler").get("/procedures", q="khai sinh nuoc ngoai")
    assert response.status_code == 200
    [item] = response.json()
    assert item["code"] == procedure.code
    assert item["processing"] == "5 ngày làm việc"
    assert [d["name"] for d in item["documents"]][:2] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]


def test_receive_a_dossier(world: World, procedure: Procedure, clock: Any) -> None:
    clock(at(2026, 11, 16, 9))
    response = Api(world, "front_desk").post("/dossiers", new_dossier(procedure))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "UBND-A-261116-0001"
    assert body["status"] == "received"
    assert body["received_at"].startswith("2026-11-16T09:00:00")
    assert body["due_at"].startswith("2026-11-23T09:00:00")
    assert body["missing_documents"] == []
    assert "/tra-cuu-ho-so/UBND-A-261116-0001/?t=" in body["lookup_url"]


def test_an_incomplete_dossier_then_a_second_supplement_request_answers_409(
    world: World, procedure: Procedure
) -> None:
    api = Api(world, "front_desk")
    body = new_dossier(procedure, documents=["Tờ khai đăng ký khai sinh"])
    created = api.post("/dossiers", body).json()
    assert created["status"] == "new" and created["due_at"] is None
    assert created["missing_documents"] == ["Giấy chứng sinh"]
    code = created["code"]
    first = api.post(f"/dossiers/{code}/request-supplement", {"reason": "Thiếu giấy chứng sinh"})
    assert first.status_code == 200 and first.json()["status"] == "supplement"
    api.post(f"/dossiers/{code}/supplement", {"documents": ["Giấy tờ khác"]})
    second = api.post(f"/dossiers/{code}/request-supplement", {})
    assert second.status_code == 409
    error = second.json()["error"]
    assert error["code"] == "supplement_once"
    assert "chỉ được thực hiện một lần" in error["message"]
    refused = api.post(f"/dossiers/{code}/refuse", {"reasons": "Không đủ hồ sơ"})
    assert refused.json()["status"] == "not_received"


def test_the_whole_workflow_through_the_api(world: World, procedure: Procedure, clock: Any) -> None:
    clock(at(2026, 11, 16, 9))
    desk, handler = Api(world, "front_desk"), Api(world, "handler")
    code = desk.post("/dossiers", new_dossier(procedure)).json()["code"]
    forwarded = desk.post(f"/dossiers/{code}/forward", {"to_user": "handler", "step": "Thẩm định"})
    assert forwarded.status_code == 200 and forwarded.json()["status"] == "processing"
    clock(at(2026, 11, 19, 9))
    apologised = handler.post(
        f"/dossiers/{code}/apologise",
        {"reason": "Chờ xác minh", "new_due_at": "2026-11-27T09:00:00+07:00"},
    )
    assert apologised.status_code == 200, apologised.content
    assert apologised.json()["apology"]["in_time"] is True
    assert apologised.json()["appointment_at"].startswith("2026-11-27T09:00")
    again = handler.post(
        f"/dossiers/{code}/apologise", {"reason": "x", "new_due_at": "2026-12-03T09:00:00+07:00"}
    )
    assert again.status_code == 409 and "một lần" in again.json()["error"]["message"]
    clock(at(2026, 11, 20, 9))
    assert (
        handler.post(f"/dossiers/{code}/resolve", {"note": "Đã cấp"}).json()["timeliness"]
        == "early"
    )
    wrong = handler.post(f"/dossiers/{code}/resolve", {})
    assert wrong.status_code == 409
    assert wrong.json()["error"]["message"].startswith("Không thể ghi nhận kết quả giải quyết")
    returned = desk.post(f"/dossiers/{code}/return-result", {"method": "post"})
    assert returned.json()["status"] == "returned"
    assert desk.post(f"/dossiers/{code}/withdraw", {}).status_code == 409
    assert desk.get(f"/dossiers/{code}").json()["status"] == "returned"


def test_return_insufficient_through_the_api(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 16, 9))
    desk, handler = Api(world, "front_desk"), Api(world, "handler")
    code = desk.post("/dossiers", new_dossier(procedure)).json()["code"]
    desk.post(f"/dossiers/{code}/forward", {})
    clock(at(2026, 11, 20, 9))  # 4 working days later
    late = handler.post(f"/dossiers/{code}/return-insufficient", {"reason": "Thiếu"})
    assert (
        late.status_code == 409
        and "quá thời hạn 3 ngày làm việc" in late.json()["error"]["message"]
    )


def test_back_dated_entry_needs_the_permission_and_is_audited(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 18, 9))
    body = new_dossier(procedure, received_at="2026-11-16T14:00:00+07:00")
    refused = Api(world, "front_desk").post("/dossiers", body)
    assert refused.status_code == 403 and "lùi ngày" in refused.json()["error"]["message"]
    created = Api(world, "head").post("/dossiers", body)
    assert created.status_code == 201
    assert created.json()["code"].startswith("UBND-A-261116-")
    dossier = Dossier.objects.get(code=created.json()["code"])
    assert AuditRecord.objects.get(
        action="onestop.dossier_receive", object_id=str(dossier.pk)
    ).data["backdated"]


def test_validation_errors_are_422_in_vietnamese(world: World, procedure: Procedure) -> None:
    response = Api(world, "front_desk").post("/dossiers", {"procedure": procedure.code})
    assert response.status_code == 422
    assert "applicant" in response.json()["error"]["message"]
    unknown = Api(world, "front_desk").post(
        "/dossiers", {**new_dossier(procedure), "procedure": "9.999"}
    )
    assert unknown.status_code == 422 and "Không có thủ tục" in unknown.json()["error"]["message"]


def test_a_dossier_of_another_unit_is_404(world: World, procedure: Procedure) -> None:
    from tests.onestop.conftest import make_dossier

    other = make_dossier(world.other, procedure)
    response = Api(world, "front_desk").get(f"/dossiers/{other.code}")
    assert response.status_code == 404
    assert Api(world, "home_affairs").get(f"/dossiers/{other.code}").status_code == 200


def test_public_look_up_without_a_token(world: World, procedure: Procedure) -> None:
    api = Api(world, "front_desk")
    code = api.post("/dossiers", new_dossier(procedure)).json()["code"]
    public = Client()
    ok = public.get(f"/api/v1/public/dossiers/{code}", {"phone_last4": "3456"})
    assert ok.status_code == 200
    body = ok.json()
    assert body["status"] == Status.RECEIVED and body["appointment_at"]
    assert [t["step"] for t in body["timeline"]] == [
        "Nộp hồ sơ",
        "Tiếp nhận hồ sơ, hẹn trả kết quả",
    ]
    assert "Đỗ Văn Nam" not in ok.content.decode() and "0977123456" not in ok.content.decode()
    wrong = public.get(f"/api/v1/public/dossiers/{code}", {"phone_last4": "0000"})
    unknown = public.get("/api/v1/public/dossiers/XX-000000-0000", {"phone_last4": "3456"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    for _ in range(LOOKUP_FAILURES):
        public.get(f"/api/v1/public/dossiers/{code}", {"phone_last4": "0000"})
    limited = public.get(f"/api/v1/public/dossiers/{code}", {"phone_last4": "3456"})
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
