"""Permission matrix of the consultations app: role × action × draft of the own / another unit,
through the rules, the back-office views and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from danvan.consultations.models import Comment, Consultation, ConsultationStatus
from tests.consultations.conftest import make_consultation
from tests.permissions import (
    Matrix,
    assert_perm_matrix,
    cases,
    client_for,
    expected,
    http_allowed,
    http_refused,
)
from tests.world import World

pytestmark = pytest.mark.django_db

ORGANISERS = {"handler": (True, False), "head": (True, False), "committee_leader": (True, False)}
RULES: Matrix = {
    "consultations.view_consultation": {
        "front_desk": (True, False),
        "handler": (True, False),
        "head": (True, False),
        "committee_leader": (True, False),
        "home_affairs": (True, True),
        "inspector": (True, True),
        "sysadmin": (True, True),
    },
    "consultations.change_consultation": ORGANISERS,
    "consultations.moderate_comment": ORGANISERS,
    "consultations.respond_comment": ORGANISERS,
    "consultations.publish_consultation": {
        "head": (True, False),
        "committee_leader": (True, False),
    },
}
GLOBAL: Matrix = {
    "consultations.add_consultation": {
        "handler": (True, True),
        "head": (True, True),
        "committee_leader": (True, True),
    },
}


def _object(action: str):  # type: ignore[no-untyped-def]
    if action.endswith("_comment"):
        return lambda agency: Comment(consultation=Consultation(agency=agency), number=1, body="x")
    return lambda agency: Consultation(agency=agency)


@pytest.mark.parametrize(("action", "role"), cases(RULES))
def test_object_permissions(world: World, action: str, role: str) -> None:
    assert_perm_matrix(world, RULES, action, role, _object(action))


@pytest.mark.parametrize(("action", "role"), cases(GLOBAL))
def test_global_permissions(world: World, action: str, role: str) -> None:
    assert_perm_matrix(world, GLOBAL, action, role, None)


# --- through the views ----------------------------------------------------------------------------
VIEWS: Matrix = {
    "detail": RULES["consultations.view_consultation"],
    "open": ORGANISERS,
    "edit": ORGANISERS,
}


@pytest.mark.parametrize(("action", "role"), cases(VIEWS))
def test_views_follow_the_matrix(world: World, action: str, role: str) -> None:
    own_ok, other_ok = expected(VIEWS, action, role)
    for agency, ok in ((world.own(role), own_ok), (world.other, other_ok)):
        c = make_consultation(world, agency, open_it=False, title=f"Dự thảo {agency.code}")
        client = client_for(world, role)
        if action == "detail":
            status = client.get(reverse("consultations:detail", args=[c.pk])).status_code
            assert http_allowed(status) if ok else http_refused(status), (role, agency.code, status)
        elif action == "edit":
            status = client.get(reverse("consultations:edit", args=[c.pk])).status_code
            assert http_allowed(status) if ok else http_refused(status), (role, agency.code, status)
        else:
            response = client.post(reverse("consultations:open", args=[c.pk]))
            c.refresh_from_db()
            assert (c.status == ConsultationStatus.OPEN) is ok, (role, agency.code)
            if not ok:
                assert http_refused(response.status_code)


def test_the_office_list_shows_only_the_scope(world: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(4):
        make_consultation(world, title=f"Dự thảo số {i}")
    make_consultation(world, world.other, title="Dự thảo của huyện Bình Minh")
    client = client_for(world, "handler")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("consultations:list"))
    body = response.content.decode()
    assert body.count("Dự thảo số") == 4 and "Bình Minh" not in body
    assert client_for(world, "citizen").get(reverse("consultations:list")).status_code == 403


# --- through the API ------------------------------------------------------------------------------
def test_the_api_reads_publicly_and_writes_for_officials(world: World) -> None:
    c = make_consultation(world)
    anon = client_for(world, "anonymous")
    listing = anon.get("/api/v1/consultations").json()
    assert [x["id"] for x in listing] == [c.pk]
    detail = anon.get(f"/api/v1/consultations/{c.pk}").json()
    assert [s["number"] for s in detail["sections"] if s["kind"] == "article"][2] == "Điều 3"
    now = timezone.now()
    payload = {
        "title": "Kế hoạch làm đường",
        "kind": "plan",
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=5)).isoformat(),
    }
    assert (
        anon.post("/api/v1/consultations", payload, content_type="application/json").status_code
        == 401
    )
    r = client_for(world, "citizen").post(
        "/api/v1/consultations", payload, content_type="application/json"
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = client_for(world, "front_desk").post(
        "/api/v1/consultations", payload, content_type="application/json"
    )
    assert r.status_code == 403
    r = client_for(world, "handler").post(
        "/api/v1/consultations", payload, content_type="application/json"
    )
    assert r.status_code == 201, r.json()
    new = r.json()["id"]
    r = client_for(world, "handler").post(
        f"/api/v1/consultations/{new}/sections",
        {"text": "I. MỤC ĐÍCH\n1. Làm đường\nNội dung."},
        content_type="application/json",
    )
    assert r.json() == {"sections": 2}
    # Another unit's official cannot open it; the draft is not public yet.
    other = client_for(world, "home_affairs").post(f"/api/v1/consultations/{new}/open")
    assert other.status_code == 403
    assert anon.get(f"/api/v1/consultations/{new}").status_code == 404
    assert client_for(world, "handler").post(f"/api/v1/consultations/{new}/open").status_code == 200
