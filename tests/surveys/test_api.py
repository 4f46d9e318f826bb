"""The surveys API: the questionnaire and the answer of a one-time token (no sign-in), the
indices per agency and period for officials, and invitations for integrated systems."""

from __future__ import annotations

from datetime import date

from django.test import Client

from danvan.core.tokens import token_create
from danvan.surveys import services
from danvan.surveys.models import Response
from tests.permissions import client_for
from tests.surveys.conftest import GOOD, Survey


def _token(survey: Survey) -> str:
    issued = services.invitation_create(actor=None, agency=survey.own)
    assert issued is not None
    return issued.token


def test_questionnaire_of_a_token(survey: Survey) -> None:
    r = Client().get("/api/v1/surveys/questionnaire", {"token": _token(survey)})
    assert r.status_code == 200
    body = r.json()
    assert body["agency"] == "Ủy ban nhân dân huyện An Phú"
    codes = [q["code"] for q in body["questions"]]
    assert codes[:3] == ["A1", "A2", "C1"]
    a2 = body["questions"][1]
    assert (a2["kind"], a2["allow_na"], a2["required"], a2["element"]) == (
        "scale",
        True,
        False,
        "access",
    )
    assert [c["code"] for c in body["questions"][4]["choices"]] == ["nam", "nu"]
    missing = Client().get("/api/v1/surveys/questionnaire", {"token": "nope"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_token"


def test_submit_with_a_one_time_token(survey: Survey) -> None:
    token = _token(survey)
    client = Client()
    bad = client.post(
        "/api/v1/surveys/responses",
        {"token": token, "answers": {"A1": 6, "C1": 4}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    error = bad.json()["error"]
    assert error["code"] == "validation"
    assert (
        error["message"] == "Phiếu trả lời chưa hợp lệ: vui lòng xem lại các câu hỏi được đánh dấu."
    )
    assert set(error["details"]["errors"]) == {"A1"}
    ok = client.post(
        "/api/v1/surveys/responses",
        {
            "token": token,
            "answers": {"A1": 5, "A2": "na", "C1": 4, "KENH": ["cong"]},
            "contact": {"name": "Lê Văn Bình", "email": "binh@example.vn"},
        },
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert Response.objects.get(pk=ok.json()["id"]).is_anonymous is False
    twice = client.post(
        "/api/v1/surveys/responses",
        {"token": token, "answers": GOOD},
        content_type="application/json",
    )
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] == "already_answered"
    assert "đã được trả lời" in twice.json()["error"]["message"]


def test_indices_per_agency_and_period_for_officials(survey: Survey) -> None:
    for agency, answers in (
        (survey.own, {"A1": "5", "C1": "2"}),
        (survey.other, {"A1": "5", "C1": "5"}),
    ):
        services.response_enter_paper(
            actor=survey.organiser,
            participant=survey.participant(agency),
            answers=answers,
            answered_on=date(2026, 2, 2),
        )
    raw, _token_obj = token_create(user=survey.world.user("home_affairs"))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    rows = api.get("/api/v1/surveys/indices", {"start": "2026-01-01", "end": "2026-03-31"}).json()
    got = {r["agency_code"]: r for r in rows}
    assert got["UBND-A"]["overall"] == "50.00" and got["UBND-A"]["responses"] == 1
    assert got["UBND-B"]["overall"] == "100.00"
    assert got["UBND-A"]["elements"][0]["questions"][0]["code"] == "A1"
    pooled = api.get(
        "/api/v1/surveys/indices", {"pooled": "true", "campaign": survey.campaign.pk}
    ).json()
    assert len(pooled) == 1 and pooled[0]["overall"] == "75.00" and pooled[0]["target"] == 11
    outside = api.get(
        "/api/v1/surveys/indices", {"start": "2025-01-01", "end": "2025-12-31"}
    ).json()
    assert all(r["responses"] == 0 for r in outside)
    reversed_period = api.get(
        "/api/v1/surveys/indices", {"start": "2026-03-01", "end": "2026-01-01"}
    )
    assert reversed_period.status_code == 422
    # a head reads only their own agency
    head_rows = client_for(survey.world, "head").get("/api/v1/surveys/indices").json()
    assert {r["agency_code"] for r in head_rows} == {"UBND-A"}
    # a front-desk official reads none
    assert client_for(survey.world, "front_desk").get("/api/v1/surveys/indices").json() == []


def test_invitations_for_integrated_systems(survey: Survey) -> None:
    client = client_for(survey.world, "front_desk")
    created = client.post(
        "/api/v1/surveys/invitations",
        {"agency_id": survey.own.pk, "subject_type": "onestop.dossier", "subject_id": "9"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["url"].endswith(
        created.json()["token"] + "/"
    )
    again = client.post(
        "/api/v1/surveys/invitations",
        {"agency_id": survey.own.pk, "subject_type": "onestop.dossier", "subject_id": "9"},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["created"] is False
    other = client.post(
        "/api/v1/surveys/invitations",
        {"agency_id": survey.other.pk},
        content_type="application/json",
    )
    assert other.status_code == 403
