"""The officials' API (/api/v1/feedback): list, show, assign, transfer, merge, answer, approve,
return, publish — with a personal token, errors in the platform's one shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from danvan.core.tokens import token_create
from danvan.feedback.models import Category, Feedback, Status
from tests.feedback.conftest import Submit, item_in
from tests.world import World

API = "/api/v1/feedback"


def bearer(world: World, role: str) -> dict[str, str]:
    raw, _token = token_create(user=world.user(role))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def call(client: Client, auth: dict[str, str], method: str, url: str, body: Any = None) -> Any:
    if method == "get":
        return client.get(url, body or {}, **auth)
    return client.post(url, body or {}, content_type="application/json", **auth)


@pytest.fixture
def item(world: World, submit: Submit) -> Feedback:
    return item_in(
        submit,
        world.agencies["pc_a"],
        category=Category.LOCAL,
        unit=world.units["a1"],
        title="Mương thoát nước bị lấp",
        content="Mương thoát nước ven đường bị người dân lấp để làm lối đi, nước ứ đọng.",
        sender_name="Phan Văn Tư",
        sender_phone="0905123456",
    )


def test_the_whole_flow_through_the_api(client: Client, world: World, item: Feedback) -> None:
    head, handler = bearer(world, "head"), bearer(world, "handler")
    listed = call(client, handler, "get", API, {"state": "open"}).json()
    assert [r["code"] for r in listed] == [item.code]
    assert listed[0]["agency"]["code"] == "UBND-A" and listed[0]["overdue"] is False
    shown = call(client, handler, "get", f"{API}/{item.pk}").json()
    assert shown["sender_phone"] == "0905123456"
    assert [e["kind"] for e in shown["events"]] == ["received"]
    r = call(client, head, "post", f"{API}/{item.pk}/assign", {"handler": "handler"})
    assert r.status_code == 200 and r.json()["handler"] == "handler"
    r = call(
        client, handler, "post", f"{API}/{item.pk}/answer", {"text": "Xã đã cho nạo vét mương."}
    )
    assert r.json()["status"] == Status.AWAITING_APPROVAL
    r = call(client, head, "post", f"{API}/{item.pk}/return", {"note": "Nêu thời gian."})
    assert (
        r.json()["status"] == Status.PROCESSING
        and r.json()["answer_return_note"] == "Nêu thời gian."
    )
    call(
        client, handler, "post", f"{API}/{item.pk}/answer", {"text": "Xã nạo vét mương trước 15/4."}
    )
    r = call(client, head, "post", f"{API}/{item.pk}/approve", {"publish": False})
    assert r.json()["status"] == Status.ANSWERED and r.json()["published_at"] is None
    r = call(
        client,
        head,
        "post",
        f"{API}/{item.pk}/publish",
        {"public_title": "Mương bị lấp (ông Phan Văn Tư phản ánh)"},
    )
    body = r.json()
    assert body["published_at"] is not None
    assert "Phan Văn Tư" not in body["public_title"]
    assert body["public_answer"] == "Xã nạo vét mương trước 15/4."


def test_transfer_answers_where_the_item_went(client: Client, world: World, item: Feedback) -> None:
    r = call(
        client,
        bearer(world, "front_desk"),
        "post",
        f"{API}/{item.pk}/transfer",
        {"agency": "STP", "reason": "Thuộc lĩnh vực tư pháp."},
    )
    assert r.status_code == 200
    assert r.json()["agency"]["code"] == "STP" and r.json()["on_time"] is True
    assert call(client, bearer(world, "front_desk"), "get", f"{API}/{item.pk}").status_code == 404


def test_merge_and_similar(client: Client, world: World, submit: Submit, item: Feedback) -> None:
    twin = item_in(
        submit,
        world.agencies["pc_a"],
        category=Category.LOCAL,
        unit=world.units["a1"],
        title="Mương thoát nước bị lấp làm lối đi",
        content="Mương thoát nước bị lấp, nước ứ đọng.",
    )
    handler = bearer(world, "handler")
    similar = call(client, handler, "get", f"{API}/{twin.pk}/similar").json()
    assert similar[0]["code"] == item.code and similar[0]["same_place"] is True
    r = call(client, handler, "post", f"{API}/{twin.pk}/merge", {"into": item.code.lower()})
    assert r.json()["status"] == Status.MERGED and r.json()["duplicate_of"] == item.code


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("post", "approve", {}, 409, "invalid_transition"),
        ("post", "answer", {"text": " "}, 422, "validation"),
        ("post", "assign", {"handler": "khong-co"}, 422, "validation"),
        ("post", "transfer", {"agency": "XYZ", "reason": "x"}, 422, "validation"),
        ("post", "merge", {"into": "PA-0000-0000"}, 404, "not_found"),
        ("post", "answer", {}, 422, "validation"),
    ],
)
def test_errors_have_the_platforms_shape(
    client: Client,
    world: World,
    item: Feedback,
    method: str,
    path: str,
    body: dict,
    status: int,
    code: str,
) -> None:
    r = call(client, bearer(world, "head"), method, f"{API}/{item.pk}/{path}", body)
    assert r.status_code == status, r.content
    error = r.json()["error"]
    assert error["code"] == code and error["message"]


def test_citizens_and_strangers_are_refused(client: Client, world: World, item: Feedback) -> None:
    assert client.get(API).status_code == 401
    client.force_login(world.user("citizen"))
    assert client.get(API).status_code == 403
    assert call(Client(), bearer(world, "handler"), "get", f"{API}/999999").status_code == 404


def test_the_list_uses_a_fixed_number_of_queries(
    client: Client, world: World, submit: Submit, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for n in range(12):
        item_in(submit, world.agencies["pc_a"], title=f"Phản ánh số {n}")
    auth = bearer(world, "head")
    with django_assert_max_num_queries(8):
        r = call(client, auth, "get", API)
    assert len(r.json()) == 12
