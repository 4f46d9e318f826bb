"""Permission matrix of the one-stop shop: every role × action × dossier in own / another unit,
through the rules, the back-office views and the API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from danvan.onestop.models import Dossier, Procedure, Status
from danvan.org.models import Agency
from tests.onestop.conftest import make_dossier
from tests.permissions import (
    Matrix,
    assert_perm_matrix,
    client_for,
    expected,
    http_allowed,
    http_refused,
)
from tests.world import ROLES, World

pytestmark = pytest.mark.django_db

OFFICIALS = [
    "front_desk",
    "handler",
    "head",
    "committee_leader",
    "home_affairs",
    "inspector",
    "sysadmin",
]
ALL_OFFICIALS = dict.fromkeys(OFFICIALS, (True, True))
OWN = (True, False)
EVERYWHERE = (True, True)
SEE = {
    "front_desk": OWN,
    "handler": OWN,
    "head": OWN,
    "committee_leader": OWN,
    "home_affairs": EVERYWHERE,
    "inspector": EVERYWHERE,
    "sysadmin": EVERYWHERE,
}
COUNTER = {"front_desk": OWN, "head": OWN}
HANDLING = {"handler": OWN, "head": OWN}

RULES: Matrix = {
    "onestop.view_dossier": SEE,
    "onestop.print_dossier": SEE,
    "onestop.request_supplement_dossier": COUNTER,
    "onestop.supplement_dossier": COUNTER,
    "onestop.refuse_dossier": COUNTER,
    "onestop.return_result_dossier": COUNTER,
    "onestop.withdraw_dossier": COUNTER,
    "onestop.tablet_rating_dossier": COUNTER,
    "onestop.forward_dossier": {"front_desk": OWN, "handler": OWN, "head": OWN},
    "onestop.return_insufficient_dossier": HANDLING,
    "onestop.handle_dossier": HANDLING,
    "onestop.apologise_dossier": HANDLING,
    "onestop.resolve_dossier": HANDLING,
}
PROCEDURE_RULES: Matrix = {
    "onestop.change_procedure": {"head": OWN, "sysadmin": EVERYWHERE},
    "onestop.review_procedure": {"head": OWN, "committee_leader": OWN, "sysadmin": EVERYWHERE},
}
GLOBAL: Matrix = {
    "onestop.list_dossier": ALL_OFFICIALS,
    "onestop.receive_dossier": {"front_desk": EVERYWHERE, "head": EVERYWHERE},
    "onestop.backdate_dossier": {"head": EVERYWHERE},
    "onestop.view_statistics": dict.fromkeys(
        ["head", "committee_leader", "home_affairs", "inspector", "sysadmin"], EVERYWHERE
    ),
    "onestop.view_late_dossiers": dict.fromkeys(
        ["head", "committee_leader", "home_affairs", "sysadmin"], EVERYWHERE
    ),
    "onestop.export_register": {"front_desk": EVERYWHERE, "head": EVERYWHERE},
    "onestop.import_procedure": {"sysadmin": EVERYWHERE},
    "onestop.list_reviews": dict.fromkeys(
        ["head", "committee_leader", "home_affairs", "sysadmin"], EVERYWHERE
    ),
}


def dossier_in(procedure: Procedure, status: str = Status.PROCESSING):  # type: ignore[no-untyped-def]
    return lambda agency: make_dossier(agency, procedure, status=status, handling_agency=agency)


def _each_role(check: Any) -> None:
    """Run ``check(role)`` for every role; report every mismatch at once."""
    failures = []
    for role in ROLES:
        try:
            check(role)
        except AssertionError as exc:
            failures.append(str(exc))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("action", list(RULES))
def test_dossier_permissions(world: World, procedure: Procedure, action: str) -> None:
    make = dossier_in(procedure)
    _each_role(lambda role: assert_perm_matrix(world, RULES, action, role, make))


@pytest.mark.parametrize("action", list(PROCEDURE_RULES))
def test_procedure_permissions(world: World, procedure: Procedure, action: str) -> None:
    def make(agency: Agency) -> Procedure:
        return Procedure(
            code=f"X-{agency.code}",
            name="x",
            field=procedure.field,
            level="district",
            agency=agency,
            processing_amount=1,
        )

    _each_role(lambda role: assert_perm_matrix(world, PROCEDURE_RULES, action, role, make))


@pytest.mark.parametrize("action", list(GLOBAL))
def test_global_permissions(world: World, action: str) -> None:
    _each_role(lambda role: assert_perm_matrix(world, GLOBAL, action, role, None))


def test_the_handling_agency_sees_and_handles_a_dossier_received_elsewhere(
    world: World, procedure: Procedure
) -> None:
    """A dossier received by huyện B and forwarded to huyện A: huyện A's handler may act on it."""
    dossier = make_dossier(
        world.other, procedure, status=Status.PROCESSING, handling_agency=world.own("handler")
    )
    from tests.permissions import fresh

    handler = fresh(world.user("handler"))
    assert handler.has_perm("onestop.view_dossier", dossier)
    assert handler.has_perm("onestop.resolve_dossier", dossier)
    assert handler.has_perm("onestop.return_insufficient_dossier", dossier)
    assert not fresh(world.user("front_desk")).has_perm("onestop.return_result_dossier", dossier)


# --- the same rules through the views and the API ----------------------------------------------
VIEWS: Matrix = {
    "list": ALL_OFFICIALS,
    "detail": SEE,
    "print_receipt": SEE,
    "download_docx": SEE,
    "withdraw": COUNTER,
    "resolve": HANDLING,
    "receive_page": {"front_desk": EVERYWHERE, "head": EVERYWHERE},
    "late": GLOBAL["onestop.view_late_dossiers"],
    "statistics": GLOBAL["onestop.view_statistics"],
    "register": GLOBAL["onestop.export_register"],
    "import": GLOBAL["onestop.import_procedure"],
    "reviews": GLOBAL["onestop.list_reviews"],
    "api_get": SEE,
    "api_withdraw": COUNTER,
    "api_resolve": HANDLING,
    "api_receive": {"front_desk": EVERYWHERE, "head": EVERYWHERE},
}


def _request(client: Client, action: str, dossier: Dossier, procedure: Procedure) -> Any:
    code = dossier.code
    if action == "list":
        return client.get(reverse("onestop:dossier-list"))
    if action == "detail":
        return client.get(reverse("onestop:dossier-detail", args=[code]))
    if action == "print_receipt":
        return client.get(reverse("onestop:form-print", args=[code, "05"]))
    if action == "download_docx":
        return client.get(reverse("onestop:form-download", args=[code, "05", "docx"]))
    if action == "withdraw":
        return client.post(
            reverse("onestop:dossier-action", args=[code, "withdraw"]), {"withdraw-reason": "Đơn"}
        )
    if action == "resolve":
        return client.post(
            reverse("onestop:dossier-action", args=[code, "resolve"]),
            {"resolve-decision": "approved"},
        )
    if action == "receive_page":
        return client.get(reverse("onestop:dossier-receive"))
    if action == "late":
        return client.get(reverse("onestop:late-list"))
    if action == "statistics":
        return client.get(reverse("onestop:statistics"))
    if action == "register":
        return client.get(reverse("onestop:register"))
    if action == "import":
        return client.get(reverse("onestop:procedure-import"))
    if action == "reviews":
        return client.get(reverse("onestop:review-list"))
    if action == "api_get":
        return client.get(f"/api/v1/dossiers/{code}")
    if action == "api_withdraw":
        return client.post(
            f"/api/v1/dossiers/{code}/withdraw", "{}", content_type="application/json"
        )
    if action == "api_resolve":
        return client.post(
            f"/api/v1/dossiers/{code}/resolve", "{}", content_type="application/json"
        )
    if action == "api_receive":
        body = {
            "procedure": procedure.code,
            "applicant": {"name": "Lê Văn Tư", "phone": "0909000111", "address": "Ấp 1"},
            "documents": [d.name for d in procedure.documents.all()],
        }
        return client.post("/api/v1/dossiers", json.dumps(body), content_type="application/json")
    raise AssertionError(action)


@pytest.mark.parametrize("action", list(VIEWS))
def test_views_and_api_follow_the_matrix(world: World, procedure: Procedure, action: str) -> None:
    _each_role(lambda role: _check_http(world, procedure, action, role))


def _check_http(world: World, procedure: Procedure, action: str, role: str) -> None:
    own_ok, other_ok = expected(VIEWS, action, role)
    for agency, ok in ((world.own(role), own_ok), (world.other, other_ok)):
        dossier = make_dossier(agency, procedure, status=Status.PROCESSING, handling_agency=agency)
        response = _request(client_for(world, role), action, dossier, procedure)
        status = response.status_code
        dossier.refresh_from_db()
        if action in ("withdraw", "resolve"):
            done = dossier.status != Status.PROCESSING
            assert done is ok, f"{role} {action} {agency.code}: {status} {dossier.status}"
            if ok:
                assert status == 302
            else:
                assert http_refused(status), f"{role} {action} {agency.code}: {status}"
        elif ok:
            assert http_allowed(status), f"{role} {action} {agency.code}: {status}"
        else:
            assert http_refused(status), f"{role} {action} {agency.code}: {status}"
            if status == 302:
                assert "/login/" in response["Location"]
            if action.startswith("api_") and role not in ("anonymous",):
                assert response.json()["error"]["message"]
