"""The petitions API as the issue specifies it: create → 201 with the handling deadline, accept →
the resolution deadline, transfer, guide, extend, resolve, get with the identity masked unless the
caller may see it; one error shape."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from danvan.core.models import AuditRecord
from danvan.petitions.models import Petition
from tests.petitions.conftest import other_handler
from tests.world import World

pytestmark = pytest.mark.django_db


def dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def call(client: Client, method: str, path: str, body: dict | None = None) -> Any:
    kwargs: dict[str, Any] = {}
    if body is not None:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(f"/api/v1{path}", **kwargs)


def logged(world: World, role: str) -> Client:
    c = Client()
    c.force_login(world.user(role))
    return c


def test_create_accept_and_resolve_a_complaint(world: World) -> None:
    c = logged(world, "handler")
    r = call(
        c,
        "post",
        "/petitions",
        {
            "kind": "complaint",
            "received_at": "2026-03-02T09:00:00+07:00",
            "petitioner": {"name": "Nguyễn Văn Khiếu", "address": "Ấp 1", "phone": "0912111222"},
            "signers_count": 6,
            "content": "Khiếu nại quyết định thu hồi đất.",
            "round": 1,
            "complex": True,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["code"] == "DT-UBND-A-2026-0001"
    assert dt(body["handling_due_at"]) == dt("2026-03-16T09:00:00+07:00")
    assert body["is_mass_case"] is True and body["variant"] == "complex"
    assert body["petitioner"]["name"] is None  # the details are not echoed on create
    pid = body["id"]
    r = call(
        c,
        "post",
        f"/petitions/{pid}/accept",
        {"accepted_at": "2026-03-03T09:00:00+07:00", "remote": True},
    )
    assert r.status_code == 200, r.content
    assert dt(r.json()["resolution_due_at"]) == dt(
        "2026-05-04T17:00:00+07:00"
    )  # remote + complex: 60 days
    assert r.json()["variant"] == "remote_complex"
    assert r.json()["documents"][0]["symbol"] == "01/TB-UBND"
    r = call(
        logged(world, "head"),
        "post",
        f"/petitions/{pid}/resolve",
        {
            "outcome": "right",
            "summary": "Khiếu nại đúng.",
            "resolved_at": "2026-04-20T10:00:00+07:00",
        },
    )
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["status"] == "resolved" and out["decision_symbol"] == "01/QĐ-UBND"
    assert out["timeliness"] == "on_time"
    # an unprotected sender is shown to whoever sees the case
    r = call(logged(world, "front_desk"), "get", f"/petitions/{pid}")
    assert r.json()["petitioner"]["name"] == "Nguyễn Văn Khiếu"


def test_the_identity_is_masked_unless_the_caller_may_see_it(world: World) -> None:
    c = logged(world, "handler")
    pid = call(
        c,
        "post",
        "/petitions",
        {
            "kind": "denunciation",
            "received_at": "2026-03-02T09:00:00+07:00",
            "petitioner": {"name": "Người Tố Cáo API", "address": "Ấp 9"},
            "signers_count": 1,
            "content": "Người Tố Cáo API tố cáo cán bộ xã.",
        },
    ).json()["id"]
    mine = call(c, "get", f"/petitions/{pid}").json()
    assert mine["petitioner"] == {
        "masked": False,
        "label": "Người Tố Cáo API",
        "name": "Người Tố Cáo API",
        "address": "Ấp 9",
        "phone": "",
        "email": "",
        "sealed_ref": None,
    }
    assert mine["content"] == "[đã che] tố cáo cán bộ xã."
    assert (
        AuditRecord.objects.filter(
            action="petitions.identity_reveal", actor_id=world.user("handler").pk
        ).count()
        == 1
    )
    for role in ["front_desk", "committee_leader", "inspector"]:
        other = call(logged(world, role), "get", f"/petitions/{pid}").json()
        assert other["petitioner"]["masked"] is True, role
        assert other["petitioner"]["name"] is None
        assert "Tố Cáo API" not in json.dumps(other, ensure_ascii=False)
    listed = call(c, "get", "/petitions").json()
    assert listed[0]["petitioner"]["masked"] is True  # lists never reveal


def test_transfer_guide_and_extend(world: World) -> None:
    c, head = logged(world, "handler"), logged(world, "head")

    def new(kind: str) -> int:
        return call(
            c,
            "post",
            "/petitions",
            {
                "kind": kind,
                "received_at": "2026-03-02T09:00:00+07:00",
                "petitioner": {"name": "Người Gửi"},
                "signers_count": 1,
                "content": "Nội dung.",
            },
        ).json()["id"]

    r = call(
        c, "post", f"/petitions/{new('recommendation')}/transfer", {"to_agency_id": world.other.pk}
    )
    assert r.status_code == 200 and r.json()["status"] == "transferred"
    assert r.json()["transferred_to"] == world.other.name
    assert Petition.objects.filter(agency=world.other, source="transfer").count() == 1
    r = call(
        c, "post", f"/petitions/{new('complaint')}/guide", {"guided_to": "Tòa án nhân dân huyện"}
    )
    assert r.status_code == 200 and r.json()["guided_to"] == "Tòa án nhân dân huyện"
    d = new("denunciation")
    call(c, "post", f"/petitions/{d}/accept", {"accepted_at": "2026-03-02T09:00:00+07:00"})
    r = call(
        head, "post", f"/petitions/{d}/extend", {"reason": "Phức tạp", "complexity": "complex"}
    )
    assert r.status_code == 200, r.content
    assert r.json()["extensions_count"] == 1
    assert dt(r.json()["resolution_due_at"]) == dt("2026-05-04T17:00:00+07:00")
    r = call(head, "post", f"/petitions/{d}/extend", {"reason": "Lần hai"})
    assert r.status_code == 422
    assert r.json()["error"]["message"] == "Vụ việc phức tạp chỉ được gia hạn một lần."
    assert r.json()["error"]["details"]["limit"] == 1


def test_errors_have_one_shape(world: World) -> None:
    c = logged(world, "handler")
    r = call(
        c,
        "post",
        "/petitions",
        {"kind": "complaint", "received_at": "2026-03-02T09:00:00", "content": "x"},
    )
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "received_at"
    r = call(
        c,
        "post",
        "/petitions",
        {"kind": "bogus", "received_at": "2026-03-02T09:00:00+07:00", "content": "x"},
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation"
    pid = call(
        c,
        "post",
        "/petitions",
        {
            "kind": "complaint",
            "received_at": "2026-03-02T09:00:00+07:00",
            "petitioner": {"name": "A"},
            "content": "x",
        },
    ).json()["id"]
    call(c, "post", f"/petitions/{pid}/guide", {"guided_to": "Tòa án"})
    r = call(c, "post", f"/petitions/{pid}/accept", {})
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    # another agency's petition: not found; a citizen: forbidden
    r = call(Client(), "get", f"/petitions/{pid}")
    assert r.status_code == 401
    stranger = Client()
    stranger.force_login(other_handler(world))
    assert call(stranger, "get", f"/petitions/{pid}").status_code == 404
    assert call(logged(world, "citizen"), "get", f"/petitions/{pid}").status_code == 403
    assert (
        call(
            logged(world, "front_desk"),
            "post",
            f"/petitions/{pid}/resolve",
            {"outcome": "right", "summary": "x"},
        ).status_code
        == 403
    )
