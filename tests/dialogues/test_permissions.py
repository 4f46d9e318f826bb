"""Permission matrix of the dialogues app: role × action × dialogue (or commitment) of the own /
another unit, through the rules, the back-office views and the API."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from danvan.core.calendar import TZ
from danvan.dialogues import services
from danvan.dialogues.models import Commitment, Dialogue, DialogueStatus
from danvan.org import services as org_services
from danvan.org.models import Agency, User
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
    "dialogues.view_dialogue": {
        "front_desk": (True, False),
        "handler": (True, False),
        "head": (True, False),
        "committee_leader": (True, False),
        "home_affairs": (True, True),
        "inspector": (True, True),
        "sysadmin": (True, True),
    },
    "dialogues.change_dialogue": ORGANISERS,
    "dialogues.issue_minutes": {"head": (True, False), "committee_leader": (True, False)},
    "dialogues.report_commitment": ORGANISERS,
}
GLOBAL: Matrix = {
    "dialogues.add_dialogue": {
        "handler": (True, True),
        "head": (True, True),
        "committee_leader": (True, True),
    },
    "dialogues.view_counts": {
        "head": (True, True),
        "committee_leader": (True, True),
        "home_affairs": (True, True),
        "inspector": (True, True),
        "sysadmin": (True, True),
    },
}


def _object(action: str):  # type: ignore[no-untyped-def]
    if action == "dialogues.report_commitment":
        return lambda agency: Commitment(owner=agency, dialogue=Dialogue(agency=agency))
    return lambda agency: Dialogue(agency=agency)


@pytest.mark.parametrize(("action", "role"), cases(RULES))
def test_object_permissions(world: World, action: str, role: str) -> None:
    assert_perm_matrix(world, RULES, action, role, _object(action))


@pytest.mark.parametrize(("action", "role"), cases(GLOBAL))
def test_global_permissions(world: World, action: str, role: str) -> None:
    assert_perm_matrix(world, GLOBAL, action, role, None)


def _organiser(agency: Agency) -> User:
    user, _ = User.objects.get_or_create(username=f"lanhdao-{agency.code}")
    org_services.official_add(actor=None, user=user, agency=agency, roles=["committee_leader"])
    return user


def _dialogue(agency: Agency, days: int = 5) -> Dialogue:
    day = timezone.localdate() + timedelta(days=days)
    return services.dialogue_schedule(
        actor=_organiser(agency),
        agency=agency,
        topic=f"Đối thoại {agency.code}",
        host_name="Chủ tịch",
        place="Hội trường",
        starts_at=datetime.combine(day, time(8), TZ),
        ends_at=datetime.combine(day, time(10), TZ),
    )


VIEWS: Matrix = {
    "detail": RULES["dialogues.view_dialogue"],
    "cancel": ORGANISERS,
    "report": ORGANISERS,
}


@pytest.mark.parametrize(("action", "role"), cases(VIEWS))
def test_views_follow_the_matrix(world: World, action: str, role: str) -> None:
    own_ok, other_ok = expected(VIEWS, action, role)
    for agency, ok in ((world.own(role), own_ok), (world.other, other_ok)):
        d = _dialogue(agency)
        client = client_for(world, role)
        if action == "detail":
            status = client.get(reverse("dialogues:detail", args=[d.pk])).status_code
            assert http_allowed(status) if ok else http_refused(status), (role, agency.code, status)
        elif action == "cancel":
            response = client.post(reverse("dialogues:cancel", args=[d.pk]), {"reason": "bão"})
            d.refresh_from_db()
            assert (d.status == DialogueStatus.CANCELLED) is ok, (role, agency.code)
            if not ok:
                assert http_refused(response.status_code)
        else:
            c = services.commitment_add(
                actor=_organiser(agency),
                dialogue=d,
                owner=agency,
                description="Sửa đèn",
                due_on=d.starts_at.date(),
            )
            response = client.post(
                reverse("dialogues:commitment", args=[c.pk]),
                {"status": "in_progress", "text": "Đang làm"},
            )
            assert (c.reports.count() == 1) is ok, (role, agency.code, response.status_code)
            if not ok:
                assert http_refused(response.status_code)


def test_list_pages_have_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    agency = world.own("committee_leader")
    for i in range(5):
        d = _dialogue(agency, days=i + 1)
        services.commitment_add(
            actor=_organiser(agency),
            dialogue=d,
            owner=agency,
            description=f"Cam kết {i}",
            due_on=d.starts_at.date(),
        )
    client = client_for(world, "committee_leader")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("dialogues:list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("dialogues:commitments")).status_code == 200
    anon = client_for(world, "anonymous")
    with django_assert_max_num_queries(8):
        body = anon.get(reverse("dialogues-public:commitments")).content.decode()
    assert body.count('data-testid="commitment"') == 5
    with django_assert_max_num_queries(8):
        assert anon.get(reverse("dialogues-public:list")).status_code == 200


def test_the_api_reads_publicly_and_writes_for_officials(world: World) -> None:
    d = _dialogue(world.own("committee_leader"))
    anon = client_for(world, "anonymous")
    assert [x["id"] for x in anon.get("/api/v1/dialogues").json()] == [d.pk]
    assert anon.get(f"/api/v1/dialogues/{d.pk}").json()["topic"] == d.topic
    payload = {
        "description": "Sửa đường",
        "owner_code": "UBND-A1",
        "due_on": (d.starts_at.date() + timedelta(days=30)).isoformat(),
    }
    url = f"/api/v1/dialogues/{d.pk}/commitments"
    assert anon.post(url, payload, content_type="application/json").status_code == 401
    assert (
        client_for(world, "citizen").post(url, payload, content_type="application/json").status_code
        == 403
    )
    assert (
        client_for(world, "front_desk")
        .post(url, payload, content_type="application/json")
        .status_code
        == 403
    )
    r = client_for(world, "committee_leader").post(url, payload, content_type="application/json")
    assert r.status_code == 201, r.json()
    assert r.json()["owner"] == "Ủy ban nhân dân xã An Hòa" and r.json()["state"] == "on_track"
    public = anon.get("/api/v1/dialogues/commitments").json()
    assert [c["description"] for c in public] == ["Sửa đường"]
    assert (
        client_for(world, "home_affairs").get("/api/v1/dialogues/commitments/overdue").json() == []
    )
