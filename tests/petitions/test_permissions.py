"""Permission matrix of the petitions app: every role × every action × a petition (or agency) of
the role's own agency and of another district — officials of another agency and the provincial
Inspectorate included — then the same through the views and the API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone

from danvan.org.models import Agency
from danvan.org.selectors import official_of
from danvan.petitions import services
from danvan.petitions.models import Assignment, Petition, ReceptionEntry
from tests.permissions import (
    Matrix,
    assert_perm_matrix,
    client_for,
    expected,
    fresh,
    http_allowed,
    http_refused,
)
from tests.petitions.conftest import at
from tests.world import ROLES, World

pytestmark = pytest.mark.django_db

OWN_ONLY = (True, False)
BOTH = (True, True)
AGENCY_STAFF = dict.fromkeys(["front_desk", "handler", "head", "committee_leader"], OWN_ONLY)
SEE_CASES = {**AGENCY_STAFF, "inspector": BOTH}
HANDLERS = {"handler": OWN_ONLY, "head": OWN_ONLY}

RULES: Matrix = {
    "petitions.view_petition": SEE_CASES,
    "petitions.handle_petition": HANDLERS,
    "petitions.assign_petition": {"head": OWN_ONLY},
    "petitions.verify_petition": {**HANDLERS, "inspector": BOTH},
    "petitions.extend_petition": {"head": OWN_ONLY},
    "petitions.resolve_petition": HANDLERS,
    "petitions.reopen_petition": {"head": OWN_ONLY, "committee_leader": OWN_ONLY},
    # a denunciation: only the assigned handler (the own one is assigned) and the head
    "petitions.reveal_identity": HANDLERS,
    # a complaint: anyone who sees the case
    "reveal_complaint": SEE_CASES,
    "petitions.view_receptionentry": SEE_CASES,
    # a denunciation's visit: the official who received it (the front desk) and the head
    "petitions.reveal_receptionentry": {"front_desk": OWN_ONLY, "head": OWN_ONLY},
}
AGENCY_RULES: Matrix = {
    "petitions.add_petition": {"front_desk": OWN_ONLY, "handler": OWN_ONLY, "head": OWN_ONLY},
    "petitions.add_receptionentry": AGENCY_STAFF,
    "petitions.change_receptionday": {
        "front_desk": OWN_ONLY,
        "head": OWN_ONLY,
        "committee_leader": OWN_ONLY,
    },
    "petitions.change_petitionsettings": {"head": OWN_ONLY, "sysadmin": BOTH},
}
GLOBAL: Matrix = {
    "petitions.view_register": {**dict.fromkeys(AGENCY_STAFF, BOTH), "inspector": BOTH},
    "petitions.view_overdue": dict.fromkeys(
        ["handler", "head", "committee_leader", "inspector"], BOTH
    ),
    "petitions.view_statistics": dict.fromkeys(
        ["head", "committee_leader", "home_affairs", "inspector"], BOTH
    ),
    "petitions.export_petitions": dict.fromkeys(["head", "committee_leader", "inspector"], BOTH),
    "petitions.view_receptionday": dict.fromkeys(
        [
            "front_desk",
            "handler",
            "head",
            "committee_leader",
            "home_affairs",
            "inspector",
            "sysadmin",
        ],
        BOTH,
    ),
}


def _petition(world: World, agency: Agency, kind: str = "denunciation") -> Petition:
    n = Petition.objects.count() + 1
    p = Petition.objects.create(
        code=f"T-{n}",
        tracking_code=f"TEST-{n:04d}-AAAA",
        agency=agency,
        kind=kind,
        protected=kind == "denunciation",
        source="post",
        received_at=at(2026, 3, 2),
        subject="Đơn thử",
        content="Nội dung",
        status="accepted",
    )
    handler = official_of(world.user("handler"))
    assert handler is not None
    if agency.pk == handler.agency_id:
        Assignment.objects.create(petition=p, official=handler, duty="receive")
    return p


def _entry(world: World, agency: Agency) -> ReceptionEntry:
    n = ReceptionEntry.objects.count() + 1
    desk = world.user("front_desk")
    return ReceptionEntry.objects.create(
        code=f"E-{n}",
        agency=agency,
        received_at=at(2026, 3, 2),
        receiver=desk if agency == world.own("front_desk") else None,
        kind="denunciation",
        protected=True,
        content="Nội dung",
    )


def _maker(world: World, action: str) -> Any:
    if action == "reveal_complaint":
        return lambda agency: _petition(world, agency, "complaint")
    if action in ("petitions.view_receptionentry", "petitions.reveal_receptionentry"):
        return lambda agency: _entry(world, agency)
    return lambda agency: _petition(world, agency)


# One test per action, every role inside it (the world is built once per action: fast).
@pytest.mark.parametrize("action", list(RULES))
def test_object_permissions(world: World, action: str) -> None:
    perm = "petitions.reveal_identity" if action == "reveal_complaint" else action
    make = _maker(world, action)
    for role in ROLES:
        user = fresh(world.user(role))
        own_ok, other_ok = expected(RULES, action, role)
        own, other = make(world.own(role)), make(world.other)
        assert user.has_perm(perm, own) is own_ok, f"{role} {action} own"
        assert user.has_perm(perm, other) is other_ok, f"{role} {action} other"


@pytest.mark.parametrize("action", list(AGENCY_RULES))
def test_agency_permissions(world: World, action: str) -> None:
    for role in ROLES:
        assert_perm_matrix(world, AGENCY_RULES, action, role, lambda agency: agency)


@pytest.mark.parametrize("action", list(GLOBAL))
def test_global_permissions(world: World, action: str) -> None:
    for role in ROLES:
        assert_perm_matrix(world, GLOBAL, action, role, None)


def test_a_handler_of_another_agency_is_refused_everything(world: World) -> None:
    from tests.petitions.conftest import other_handler

    stranger = fresh(other_handler(world))
    p = _petition(world, world.own("handler"))
    for perm in [
        "petitions.view_petition",
        "petitions.handle_petition",
        "petitions.resolve_petition",
        "petitions.verify_petition",
        "petitions.reveal_identity",
    ]:
        assert not stranger.has_perm(perm, p), perm


# --- the same through the views and the API ----------------------------------------------------
VIEWS: Matrix = {
    "list": {**dict.fromkeys(AGENCY_STAFF, BOTH), "inspector": BOTH},
    "detail": SEE_CASES,
    "reveal": HANDLERS,
    "accept": HANDLERS,
    "extend_form_post": {"head": OWN_ONLY},
    "redacted": {**HANDLERS, "inspector": BOTH},
    "export": GLOBAL["petitions.export_petitions"],
    "overdue": GLOBAL["petitions.view_overdue"],
    "statistics": GLOBAL["petitions.view_statistics"],
    "reception": {**dict.fromkeys(AGENCY_STAFF, BOTH), "inspector": BOTH},
    "reception_new": dict.fromkeys(AGENCY_STAFF, BOTH),
    "schedule": GLOBAL["petitions.view_receptionday"],
    "settings": {"head": BOTH, "sysadmin": BOTH},
    "api_get": SEE_CASES,
    "api_accept": HANDLERS,
}


def _open_denunciation(world: World, agency: Agency) -> Petition:
    p = _petition(world, agency)
    p.status = "received"
    p.identity_sealed = services.idn.seal(services.Identity(name="Người Bí Mật"))
    p.handling_due_at = p.current_due_at = timezone.now()
    p.save()
    return p


def _request(client: Any, action: str, p: Petition) -> Any:
    if action == "list":
        return client.get("/office/petitions/")
    if action == "detail":
        return client.get(f"/office/petitions/{p.pk}/")
    if action == "reveal":
        return client.post(f"/office/petitions/{p.pk}/reveal/", {"reveal-purpose": "contact"})
    if action == "accept":
        return client.post(f"/office/petitions/{p.pk}/accept/", {})
    if action == "extend_form_post":
        return client.post(f"/office/petitions/{p.pk}/extend/", {"extend-reason": ""})
    if action == "redacted":
        return client.get(f"/office/petitions/{p.pk}/redacted.docx")
    if action == "export":
        return client.get("/office/petitions/export.xlsx")
    if action == "overdue":
        return client.get("/office/petitions/overdue/")
    if action == "statistics":
        return client.get("/office/petitions/statistics/")
    if action == "reception":
        return client.get("/office/petitions/reception/")
    if action == "reception_new":
        return client.get("/office/petitions/reception/new/")
    if action == "schedule":
        return client.get("/office/petitions/schedule/")
    if action == "settings":
        return client.get("/office/petitions/settings/")
    if action == "api_get":
        return client.get(f"/api/v1/petitions/{p.pk}")
    if action == "api_accept":
        return client.post(
            f"/api/v1/petitions/{p.pk}/accept",
            data=json.dumps({"accepted_at": "2026-03-03T09:00:00+07:00"}),
            content_type="application/json",
        )
    raise AssertionError(action)


@pytest.mark.parametrize("action", list(VIEWS))
def test_views_and_api_follow_the_matrix(world: World, action: str) -> None:
    for role in ROLES:
        own_ok, other_ok = expected(VIEWS, action, role)
        client = client_for(world, role)
        for agency, ok in ((world.own(role), own_ok), (world.other, other_ok)):
            p = _open_denunciation(world, agency)
            response = _request(client, action, p)
            status = response.status_code
            where = f"{role} {action} {agency.code}: {status}"
            if action == "accept" and ok:
                assert status == 302, where
                p.refresh_from_db()
                assert p.status == "accepted", where
            elif action == "extend_form_post" and ok:
                assert status == 422, where  # allowed, but the (empty) form is refused
            elif ok:
                assert http_allowed(status), where
            else:
                assert http_refused(status), where
                if status == 302:
                    assert role == "anonymous" and "/login/" in response["Location"], where
