"""Permission matrix of the surveys app: every role × action × object in own / another unit,
checked on the rules, then through the views and the API."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from danvan.org.models import Agency
from danvan.surveys import services
from danvan.surveys.models import Campaign, CampaignAgency, Invitation, Kiosk, Response
from tests.permissions import (
    Matrix,
    assert_perm_matrix,
    client_for,
    expected,
    http_allowed,
    http_refused,
)
from tests.surveys.conftest import GOOD, build_questionnaire
from tests.world import ROLES, World

OFFICIALS = [
    "front_desk",
    "handler",
    "head",
    "committee_leader",
    "home_affairs",
    "inspector",
    "sysadmin",
]
ALL = dict.fromkeys(OFFICIALS, (True, True))
PROVINCE = {"home_affairs": (True, True), "sysadmin": (True, True)}
RESULTS = {
    "head": (True, False),
    "committee_leader": (True, False),
    "home_affairs": (True, True),
    "inspector": (True, True),
    "sysadmin": (True, True),
}
COUNTER = {"front_desk": (True, False), "handler": (True, False), "head": (True, False)}

RULES: Matrix = {
    "surveys.change_campaign": {
        **PROVINCE,
        "head": (True, False),
        "committee_leader": (True, False),
    },
    "surveys.view_campaign": {
        **COUNTER,
        "committee_leader": (True, False),
        "home_affairs": (True, True),
        "inspector": (True, True),
        "sysadmin": (True, True),
    },
    "surveys.view_results": RESULTS,
    "surveys.export_results": RESULTS,
    "surveys.enter_paper": {**COUNTER, "home_affairs": (True, True)},
    "surveys.void_response": {"head": (True, False), "home_affairs": (True, True)},
    "surveys.manage_kiosk": {
        "front_desk": (True, False),
        "head": (True, False),
        "sysadmin": (True, True),
    },
    "surveys.invite": {**COUNTER, "sysadmin": (True, True)},
}
GLOBAL: Matrix = {
    "surveys.view_questionnaire": ALL,
    "surveys.manage_questionnaire": PROVINCE,
    "surveys.add_campaign": {
        **PROVINCE,
        "head": (True, True),
        "committee_leader": (True, True),
    },
    "surveys.view_results_all": PROVINCE,
}


@pytest.fixture
def questionnaire(world: World) -> Any:
    return build_questionnaire(world.user("home_affairs"))


def _campaign_of(
    questionnaire: Any, organiser: Agency, participant: Agency, title: str
) -> Campaign:
    campaign = Campaign.objects.create(
        title=title,
        questionnaire=questionnaire,
        agency=organiser,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        status="open",
    )
    CampaignAgency.objects.create(
        campaign=campaign, agency=participant, population=10, target_sample=10
    )
    return campaign


def _maker(action: str, world: World, questionnaire: Any) -> Any:
    province = world.agencies["home_affairs"]

    def campaign(agency: Agency) -> Campaign:
        return _campaign_of(questionnaire, agency, agency, f"Đợt của {agency.code}")

    def participant(agency: Agency) -> CampaignAgency:
        c = _campaign_of(questionnaire, province, agency, f"Đợt tỉnh — {agency.code}")
        return c.participants.get()

    def response(agency: Agency) -> Response:
        p = participant(agency)
        return Response(campaign=p.campaign, agency=agency, questionnaire=questionnaire)

    def kiosk(agency: Agency) -> Kiosk:
        return Kiosk(agency=agency, name="Quầy")

    return {
        "surveys.change_campaign": campaign,
        "surveys.view_campaign": campaign,
        "surveys.view_results": participant,
        "surveys.export_results": participant,
        "surveys.enter_paper": participant,
        "surveys.void_response": response,
        "surveys.manage_kiosk": kiosk,
        "surveys.invite": lambda agency: agency,
    }[action]


def _every_role(check: Any) -> None:
    """Run ``check(role)`` for every role of the matrix; report every mismatch at once."""
    failures = []
    for role in ROLES:
        try:
            check(role)
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("action", list(RULES))
def test_object_permissions(world: World, questionnaire: Any, action: str) -> None:
    make = _maker(action, world, questionnaire)
    _every_role(lambda role: assert_perm_matrix(world, RULES, action, role, make))


@pytest.mark.parametrize("action", list(GLOBAL))
def test_global_permissions(world: World, action: str) -> None:
    _every_role(lambda role: assert_perm_matrix(world, GLOBAL, action, role, None))


def test_the_organising_head_reads_the_results_of_the_agencies_surveyed(
    world: World, questionnaire: Any
) -> None:
    """A district head who organises a survey of a commune sees that commune's results."""
    head = world.user("head")
    campaign = _campaign_of(questionnaire, world.agencies["pc_a"], world.agencies["pc_a1"], "Xã")
    participant = campaign.participants.get()
    assert head.has_perm("surveys.view_results", participant)
    assert not head.has_perm("surveys.view_results", world.agencies["pc_a1"])


# --- the same rules, through the views and the API ----------------------------------------------
VIEWS: Matrix = {
    "home": ALL,
    "questionnaire_create": PROVINCE,
    "campaign_detail": RULES["surveys.view_campaign"],
    "campaign_results": RESULTS,
    "campaign_export": RESULTS,
    "paper_entry": RULES["surveys.enter_paper"],
    "kiosk_create": RULES["surveys.manage_kiosk"],
    "invitation_create": RULES["surveys.invite"],
    "api_indices": RESULTS,
}


def _request(
    world: World, client: Any, action: str, role: str, agency: Agency, questionnaire: Any
) -> tuple[bool, int]:
    """(allowed?, status) of one request made on an object in ``agency``."""
    province = world.agencies["home_affairs"]
    if action == "home":
        r = client.get(reverse("surveys:home"))
        return http_allowed(r.status_code), r.status_code
    if action == "questionnaire_create":
        r = client.get(reverse("surveys:questionnaire-create"))
        return http_allowed(r.status_code), r.status_code
    campaign = _campaign_of(questionnaire, province, agency, f"Đợt — {agency.code}")
    if action == "campaign_detail":
        r = client.get(reverse("surveys:campaign-detail", args=[campaign.pk]))
    elif action == "campaign_results":
        r = client.get(reverse("surveys:campaign-results", args=[campaign.pk]))
    elif action == "campaign_export":
        r = client.get(reverse("surveys:campaign-export", args=[campaign.pk]))
    elif action == "paper_entry":
        participant = campaign.participants.get()
        before = Response.objects.count()
        r = client.post(
            reverse("surveys:paper-entry", args=[campaign.pk]),
            {
                "participant": participant.pk,
                "answered_on": "02/03/2026",
                **{f"q-{k}": v for k, v in GOOD.items()},
            },
        )
        return Response.objects.count() == before + 1 and r.status_code == 302, r.status_code
    elif action == "kiosk_create":
        before = Kiosk.objects.filter(agency=agency).count()
        r = client.post(
            reverse("surveys:kiosk-list"), {"agency": agency.pk, "name": "Quầy", "idle_seconds": 90}
        )
        created = Kiosk.objects.filter(agency=agency).count() == before + 1
        return created and r.status_code == 302, r.status_code
    elif action == "invitation_create":
        before = Invitation.objects.filter(agency=agency).count()
        r = client.post(reverse("surveys:invitation-create"), {"agency": agency.pk})
        created = Invitation.objects.filter(agency=agency).count() == before + 1
        return created and r.status_code == 200, r.status_code
    elif action == "api_indices":
        r = client.get("/api/v1/surveys/indices", {"agency": agency.pk, "campaign": campaign.pk})
        ok = r.status_code == 200 and any(row["agency_id"] == agency.pk for row in r.json())
        return ok, r.status_code
    else:
        raise AssertionError(action)
    return http_allowed(r.status_code), r.status_code


@pytest.mark.parametrize("action", list(VIEWS))
def test_views_follow_the_matrix(world: World, questionnaire: Any, action: str) -> None:
    def check(role: str) -> None:
        own_ok, other_ok = expected(VIEWS, action, role)
        client = client_for(world, role)
        for agency, ok in ((world.own(role), own_ok), (world.other, other_ok)):
            allowed, status = _request(world, client, action, role, agency, questionnaire)
            assert allowed is ok, f"{role} {action} {agency.code}: {status}"
            if not ok and action not in (
                "paper_entry",
                "kiosk_create",
                "invitation_create",
                "api_indices",
            ):
                assert http_refused(status), f"{role} {action} {agency.code}: {status}"

    _every_role(check)


def test_anonymous_and_citizens_get_no_indices_from_the_api(world: World) -> None:
    assert client_for(world, "anonymous").get("/api/v1/surveys/indices").status_code == 401
    response = client_for(world, "citizen").get("/api/v1/surveys/indices")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Chỉ cán bộ mới dùng được chức năng này."


def test_citizen_pages_need_no_account(world: World, questionnaire: Any) -> None:
    services.campaign_open(
        actor=world.user("home_affairs"),
        campaign=services.campaign_create(
            actor=world.user("home_affairs"),
            questionnaire=questionnaire,
            agency=world.agencies["home_affairs"],
            title="Mở",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
            participants=[(world.agencies["pc_a"], 5)],
        ),
    )
    anonymous = client_for(world, "anonymous")
    assert anonymous.get(reverse("surveys-public:home")).status_code == 200
    assert anonymous.get(reverse("surveys-public:agency", args=["UBND-A"])).status_code == 200
    assert anonymous.get(reverse("surveys-public:results")).status_code == 200
