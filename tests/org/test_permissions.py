"""Permission matrix of the org app and of the core screens: role × action × own / other unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from danvan.org.models import Agency, Official
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

ALL_OFFICIALS = dict.fromkeys(
    ["front_desk", "handler", "head", "committee_leader", "home_affairs", "inspector", "sysadmin"],
    (True, True),
)

RULES: Matrix = {
    "org.view_agency": ALL_OFFICIALS,
    "org.set_lead_agency": {
        "head": (True, False),
        "committee_leader": (True, False),
        "sysadmin": (True, True),
    },
    "org.change_agency": {
        "head": (True, False),
        "committee_leader": (True, False),
        "sysadmin": (True, True),
    },
    "org.view_official": {
        "front_desk": (True, False),
        "handler": (True, False),
        "head": (True, False),
        "committee_leader": (True, False),
        "home_affairs": (True, True),
        "inspector": (True, True),
        "sysadmin": (True, True),
    },
}
GLOBAL: Matrix = {
    "org.export_agencies": dict.fromkeys(
        ["head", "committee_leader", "home_affairs", "sysadmin"], (True, True)
    ),
    "core.view_auditrecord": {"inspector": (True, True), "sysadmin": (True, True)},
    "core.use_calculator": ALL_OFFICIALS,
    "core.change_calendar": {"sysadmin": (True, True)},
    "core.change_deadlinerule": {"sysadmin": (True, True)},
    "core.view_outbox": {"sysadmin": (True, True)},
}


def _object_for(action: str):  # type: ignore[no-untyped-def]
    if action == "org.view_official":
        return lambda agency: (
            Official.objects.filter(agency=agency).first() or Official(agency=agency)
        )
    return lambda agency: agency


@pytest.mark.parametrize(("action", "role"), cases(RULES))
def test_object_permissions(world: World, action: str, role: str) -> None:
    assert_perm_matrix(world, RULES, action, role, _object_for(action))


@pytest.mark.parametrize(("action", "role"), cases(GLOBAL))
def test_global_permissions(world: World, action: str, role: str) -> None:
    assert_perm_matrix(world, GLOBAL, action, role, None)


# --- the same rules, through the views and the API ------------------------------------------------
VIEWS: Matrix = {
    "agency_list": ALL_OFFICIALS,
    "agency_detail": {
        "front_desk": (True, False),
        "handler": (True, False),
        "head": (True, False),
        "committee_leader": (True, False),
        "home_affairs": (True, True),
        "inspector": (True, True),
        "sysadmin": (True, True),
    },
    "agency_set_lead": RULES["org.set_lead_agency"],
    "agency_export": GLOBAL["org.export_agencies"],
    "audit": GLOBAL["core.view_auditrecord"],
    "calculator": ALL_OFFICIALS,
    "rules_page": ALL_OFFICIALS,
    "outbox": GLOBAL["core.view_outbox"],
    "api_agencies": ALL_OFFICIALS,
}


def _request(client, action: str, agency: Agency):  # type: ignore[no-untyped-def]
    if action == "agency_list":
        return client.get(reverse("org:agency-list"))
    if action == "agency_detail":
        return client.get(reverse("org:agency-detail", args=[agency.pk]))
    if action == "agency_set_lead":
        return client.post(reverse("org:agency-set-lead", args=[agency.pk]), {"lead": ""})
    if action == "agency_export":
        return client.get(reverse("org:agency-export", args=["xlsx"]))
    if action == "audit":
        return client.get(reverse("core:audit"))
    if action == "calculator":
        return client.get(reverse("core:calculator"))
    if action == "rules_page":
        return client.get(reverse("core:rules"))
    if action == "outbox":
        return client.get(reverse("core:outbox"))
    if action == "api_agencies":
        return client.get("/api/v1/agencies")
    raise AssertionError(action)


@pytest.mark.parametrize(("action", "role"), cases(VIEWS))
def test_views_follow_the_matrix(world: World, action: str, role: str) -> None:
    own_ok, other_ok = expected(VIEWS, action, role)
    for agency, ok in ((world.own(role), own_ok), (world.other, other_ok)):
        response = _request(client_for(world, role), action, agency)
        status = response.status_code
        if action == "agency_set_lead" and ok:
            assert status == 302 and response["Location"].endswith(f"/agencies/{agency.pk}/"), (
                status
            )
        elif ok:
            assert http_allowed(status), f"{role} {action} {agency.code}: {status}"
        else:
            assert http_refused(status), f"{role} {action} {agency.code}: {status}"
            if status == 302:
                assert "/login/" in response["Location"]
