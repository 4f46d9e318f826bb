"""The services of the surveys app: questionnaire versions, campaigns and their targets,
invitations, the four channels of responses with their checks and limits, voiding, audit."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings

from danvan.core.calendar import TZ
from danvan.core.errors import (
    InvalidTransition,
    NotFoundError,
    PermissionDeniedError,
    RateLimited,
    ValidationFailed,
)
from danvan.core.models import AuditRecord, OutboxMessage
from danvan.surveys import answers as msg
from danvan.surveys import services
from danvan.surveys.answers import Contact
from danvan.surveys.models import (
    Answer,
    CampaignStatus,
    Invitation,
    Question,
    QuestionnaireStatus,
    Response,
    ResponseChannel,
)
from danvan.surveys.sipas import Element
from tests.surveys.conftest import END, GOOD, Survey, build_questionnaire, open_campaign
from tests.world import World

NOW = datetime(2026, 3, 18, 9, 30, tzinfo=TZ)


# --- questionnaires --------------------------------------------------------------------------------
def test_a_published_questionnaire_is_frozen_and_a_new_version_copies_it(world: World) -> None:
    actor = world.user("home_affairs")
    q = build_questionnaire(actor)
    assert q.status == QuestionnaireStatus.PUBLISHED and q.version == 1
    section = q.sections.first()
    with pytest.raises(InvalidTransition, match="Hãy tạo phiên bản mới"):
        services.question_add(actor=actor, section=section, code="A9", kind="scale", text="Thêm")
    v2 = services.questionnaire_new_version(actor=actor, questionnaire=q)
    assert (v2.code, v2.version, v2.status, v2.based_on_id) == ("thu-nghiem", 2, "draft", q.pk)
    assert list(
        v2.questions.values_list("code", flat=True).order_by("section__order", "order")
    ) == [
        "A1",
        "A2",
        "C1",
        "X1",
        "GT",
        "KENH",
        "SOLAN",
        "GY",
    ]
    assert Question.objects.get(questionnaire=v2, code="KENH").choices.count() == 3
    services.question_add(
        actor=actor, section=v2.sections.first(), code="A3", kind="scale", text="Câu mới"
    )
    assert q.questions.count() == 8 and v2.questions.count() == 9


def test_publishing_needs_an_index_question_and_choices(world: World) -> None:
    actor = world.user("home_affairs")
    q = services.questionnaire_create(actor=actor, code="rong", title="Phiếu rỗng")
    with pytest.raises(InvalidTransition, match="chưa có câu hỏi"):
        services.questionnaire_publish(actor=actor, questionnaire=q)
    info = services.section_add(
        actor=actor, questionnaire=q, element=Element.CUSTOM, title="Thông tin", in_index=False
    )
    services.question_add(actor=actor, section=info, code="GY", kind="text", text="Góp ý")
    with pytest.raises(InvalidTransition, match="ít nhất một câu hỏi thang 5 mức"):
        services.questionnaire_publish(actor=actor, questionnaire=q)


def test_question_rules(world: World) -> None:
    actor = world.user("home_affairs")
    q = services.questionnaire_create(actor=actor, code="luat", title="Phiếu")
    s = services.section_add(actor=actor, questionnaire=q, element=Element.ACCESS, title="Tiếp cận")
    services.question_add(actor=actor, section=s, code="A1", kind="scale", text="Câu 1")
    with pytest.raises(ValidationFailed, match="“A1” đã có"):
        services.question_add(actor=actor, section=s, code="A1", kind="scale", text="Trùng")
    with pytest.raises(ValidationFailed, match="ít nhất hai phương án"):
        services.question_add(
            actor=actor,
            section=s,
            code="B",
            kind="single",
            text="Chọn",
            choices=[services.ChoiceIn("a", "Một")],
        )
    with pytest.raises(ValidationFailed, match="Chỉ câu hỏi thang 5 mức"):
        services.question_add(
            actor=actor, section=s, code="C", kind="text", text="?", allow_na=True
        )
    with pytest.raises(ValidationFailed, match="nhỏ hơn hoặc bằng"):
        services.question_add(
            actor=actor,
            section=s,
            code="D",
            kind="number",
            text="Số",
            min_value=Decimal(5),
            max_value=Decimal(1),
        )


def test_only_home_affairs_and_sysadmin_write_questionnaires(world: World) -> None:
    with pytest.raises(PermissionDeniedError):
        services.questionnaire_create(actor=world.user("head"), code="x", title="X")


# --- campaigns -------------------------------------------------------------------------------------
def test_campaign_targets_follow_the_population_and_margin(survey: Survey) -> None:
    a = survey.participant(survey.own)
    assert (a.population, a.target_sample) == (10, 10)
    p = services.participant_set(
        actor=survey.organiser, campaign=survey.campaign, agency=survey.own, population=1000
    )
    assert p.target_sample == 286
    draft = services.campaign_create(
        actor=survey.organiser,
        questionnaire=survey.questionnaire,
        agency=survey.world.agencies["home_affairs"],
        title="Đợt thử",
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 6, 30),
        participants=[(survey.own, 1000)],
    )
    services.campaign_update(
        actor=survey.organiser,
        campaign=draft,
        title="Đợt thử",
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 6, 30),
        margin=Decimal("0.1"),
    )
    assert draft.participants.get().target_sample == 91


def test_opening_a_campaign(survey: Survey) -> None:
    actor = survey.organiser
    empty = services.campaign_create(
        actor=actor,
        questionnaire=survey.questionnaire,
        agency=survey.world.agencies["home_affairs"],
        title="Không có cơ quan",
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 30),
    )
    with pytest.raises(InvalidTransition, match="chưa có cơ quan"):
        services.campaign_open(actor=actor, campaign=empty)
    services.participant_set(actor=actor, campaign=empty, agency=survey.own, population=5)
    with pytest.raises(InvalidTransition, match="Ủy ban nhân dân huyện An Phú đang được khảo sát"):
        services.campaign_open(actor=actor, campaign=empty)
    with pytest.raises(ValidationFailed, match="Ngày kết thúc"):
        services.campaign_create(
            actor=actor,
            questionnaire=survey.questionnaire,
            agency=survey.world.agencies["home_affairs"],
            title="Ngược",
            starts_on=date(2026, 6, 30),
            ends_on=date(2026, 6, 1),
        )
    draft_q = services.questionnaire_create(actor=actor, code="nhap", title="Nháp")
    with pytest.raises(ValidationFailed, match="đã ban hành"):
        services.campaign_create(
            actor=actor,
            questionnaire=draft_q,
            agency=survey.world.agencies["home_affairs"],
            title="Nháp",
            starts_on=date(2026, 6, 1),
            ends_on=date(2026, 6, 30),
        )


def test_a_head_runs_campaigns_of_their_own_agency_only(survey: Survey) -> None:
    head = survey.world.user("head")
    mine = services.campaign_create(
        actor=head,
        questionnaire=survey.questionnaire,
        agency=survey.own,
        title="Của huyện",
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 4, 30),
    )
    assert mine.agency == survey.own
    with pytest.raises(PermissionDeniedError):
        services.campaign_create(
            actor=head,
            questionnaire=survey.questionnaire,
            agency=survey.other,
            title="Của huyện khác",
            starts_on=date(2026, 4, 1),
            ends_on=date(2026, 4, 30),
        )
    with pytest.raises(PermissionDeniedError):
        services.campaign_close(actor=head, campaign=survey.campaign)


# --- invitations -----------------------------------------------------------------------------------
def test_an_invitation_has_a_token_shown_once_a_qr_and_messages(survey: Survey) -> None:
    issued = services.invitation_create(
        actor=survey.world.user("front_desk"),
        agency=survey.own,
        subject_type="onestop.dossier",
        subject_id="42",
        field="Hộ tịch",
        phone="0912345678",
        email="dan@example.vn",
    )
    assert issued is not None
    inv = issued.invitation
    assert (
        inv.token_hash == services.token_hash(issued.token) and issued.token not in inv.token_hash
    )
    assert issued.url.endswith(f"/khao-sat/phieu/{issued.token}/")
    assert issued.qr.startswith("data:image/svg+xml")
    # 30 calendar days from 18/03 → 17/04 (a Friday), valid to the end of that day
    assert inv.expires_at == datetime(2026, 4, 17, 23, 59, 59, tzinfo=TZ)
    email, sms = OutboxMessage.objects.order_by("channel")
    assert (email.channel, sms.channel) == ("email", "sms")
    assert issued.url in sms.body and "17/04/2026" in sms.body
    assert AuditRecord.objects.filter(action="surveys.invitation_create").count() == 1
    assert "0912345678" not in json.dumps(
        AuditRecord.objects.get(action="surveys.invitation_create").data
    )
    # the same dossier is not invited twice in a campaign
    assert (
        services.invitation_create(
            actor=None, agency=survey.own, subject_type="onestop.dossier", subject_id="42"
        )
        is None
    )


def test_no_invitation_without_an_open_campaign(survey: Survey) -> None:
    justice = survey.world.agencies["justice"]
    assert services.invitation_create(actor=None, agency=justice) is None
    with pytest.raises(PermissionDeniedError):
        services.invitation_create(actor=survey.world.user("front_desk"), agency=survey.other)


def test_the_invitation_expires_with_the_campaign(world: World) -> None:
    q = build_questionnaire(world.user("home_affairs"))
    open_campaign(world, q, end=date(2026, 3, 31))
    issued = services.invitation_create(actor=None, agency=world.agencies["pc_a"])
    assert issued is not None
    assert issued.invitation.expires_at == datetime(2026, 3, 31, 23, 59, 59, tzinfo=TZ)


# --- answering by token ----------------------------------------------------------------------------
def _invite(survey: Survey) -> str:
    issued = services.invitation_create(actor=None, agency=survey.own, field="Chứng thực")
    assert issued is not None
    return issued.token


def test_a_token_takes_exactly_one_response(survey: Survey) -> None:
    token = _invite(survey)
    response = services.response_submit_by_token(token=token, answers=GOOD)
    assert (response.channel, response.agency, response.field) == (
        "invitation",
        survey.own,
        "Chứng thực",
    )
    assert response.is_anonymous and response.contact_encrypted == ""
    assert Invitation.objects.get(pk=response.invitation_id).used_at is not None
    with pytest.raises(InvalidTransition) as exc:
        services.response_submit_by_token(token=token, answers=GOOD)
    assert exc.value.message == msg_used()
    assert exc.value.code == "already_answered"
    assert Response.objects.count() == 1
    # citizens' answers are not in the audit trail (it keeps the client address)
    assert not AuditRecord.objects.filter(object_type="surveys.response").exists()


def msg_used() -> str:
    return services.ERR_TOKEN_USED


def test_the_database_refuses_a_second_response_for_an_invitation(survey: Survey) -> None:
    token = _invite(survey)
    first = services.response_submit_by_token(token=token, answers=GOOD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            campaign=survey.campaign,
            agency=survey.own,
            questionnaire=survey.questionnaire,
            channel=ResponseChannel.INVITATION,
            invitation_id=first.invitation_id,
            answered_on=date(2026, 3, 18),
            submitted_at=NOW,
        )


def test_unknown_expired_and_closed_tokens(survey: Survey) -> None:
    with pytest.raises(NotFoundError, match="Đường dẫn khảo sát không đúng"):
        services.response_submit_by_token(token="khong-co", answers=GOOD)
    token = _invite(survey)
    with pytest.raises(InvalidTransition, match="hết hạn"):
        services.response_submit_by_token(token=token, answers=GOOD, now=NOW + timedelta(days=31))
    services.campaign_close(actor=survey.organiser, campaign=survey.campaign)
    with pytest.raises(InvalidTransition, match="đã kết thúc"):
        services.response_submit_by_token(token=token, answers=GOOD)
    assert Invitation.objects.get().used_at is None


def test_an_invalid_response_is_refused_with_clear_messages_and_the_token_stays_usable(
    survey: Survey,
) -> None:
    token = _invite(survey)
    with pytest.raises(ValidationFailed) as exc:
        services.response_submit_by_token(
            token=token,
            answers={
                "A1": "7",
                "A2": "",
                "C1": "na",
                "GT": "khac",
                "KENH": ["cong", "x"],
                "SOLAN": "21",
                "ZZ": "1",
            },
        )
    errors = exc.value.details["errors"]
    assert exc.value.message == msg.ERR_INVALID
    assert errors == {
        "A1": msg.ERR_SCALE,
        "C1": msg.ERR_NA,
        "GT": msg.ERR_CHOICE,
        "KENH": msg.ERR_CHOICE,
        "SOLAN": "Số nhập vào không được lớn hơn 20.",
        "ZZ": "Phiếu không có câu hỏi mã “ZZ”.",
    }
    with pytest.raises(ValidationFailed) as exc:
        services.response_submit_by_token(token=token, answers={"A2": "4"})
    assert exc.value.details["errors"] == {"A1": msg.ERR_REQUIRED, "C1": msg.ERR_REQUIRED}
    assert Invitation.objects.get().used_at is None
    response = services.response_submit_by_token(
        token=token,
        answers={
            **GOOD,
            "A2": "na",
            "GT": "nu",
            "KENH": ["niemyet", "cong", "cong"],
            "SOLAN": "2,5",
            "GY": "  Cảm ơn  ",
        },
    )
    got = {
        a.question.code: a
        for a in Answer.objects.filter(response=response).select_related("question")
    }
    assert got["A2"].not_applicable and got["A2"].scale is None
    assert got["KENH"].choices == ["cong", "niemyet"]
    assert got["SOLAN"].number == Decimal("2.50")
    assert got["GY"].text == "Cảm ơn"


def test_a_respondent_may_leave_contact_details_which_are_encrypted(survey: Survey) -> None:
    token = _invite(survey)
    with pytest.raises(ValidationFailed) as exc:
        services.response_submit_by_token(token=token, answers=GOOD, contact=Contact(name="An"))
    assert exc.value.details["errors"] == {"contact_phone": msg.ERR_CONTACT_WAY}
    response = services.response_submit_by_token(
        token=token, answers=GOOD, contact=Contact(name="Nguyễn Văn An", phone="0912 345 678")
    )
    assert not response.is_anonymous
    assert "Nguyễn" not in response.contact_encrypted
    assert json.loads(response.contact)["phone"] == "0912 345 678"


# --- public link -----------------------------------------------------------------------------------
def test_public_link_limits_per_address(survey: Survey) -> None:
    for _ in range(5):
        services.response_submit_public(agency=survey.own, answers=GOOD, client_ip="203.0.113.7")
    with pytest.raises(RateLimited, match="nhiều phiếu trong thời gian ngắn"):
        services.response_submit_public(agency=survey.own, answers=GOOD, client_ip="203.0.113.7")
    services.response_submit_public(agency=survey.own, answers=GOOD, client_ip="203.0.113.8")
    assert Response.objects.filter(channel="public").count() == 6
    # the address itself is never stored; the hash changes with the day
    stored = set(Response.objects.values_list("source_hash", flat=True))
    assert len(stored) == 2 and all("203.0.113" not in h for h in stored)
    assert services.source_hash("203.0.113.7", survey.own.pk, date(2026, 3, 19)) not in stored
    # after a day the hashes are forgotten
    assert services.sources_forget(before=NOW + timedelta(days=1)) == 6
    assert set(Response.objects.values_list("source_hash", flat=True)) == {""}


@override_settings(SURVEYS_PUBLIC_PER_AGENCY_HOUR=2)
def test_public_link_ceiling_per_agency(survey: Survey) -> None:
    services.response_submit_public(agency=survey.own, answers=GOOD, client_ip="1.1.1.1")
    services.response_submit_public(agency=survey.own, answers=GOOD, client_ip="1.1.1.2")
    with pytest.raises(RateLimited, match="quá nhiều phiếu cho cơ quan này"):
        services.response_submit_public(agency=survey.own, answers=GOOD, client_ip="1.1.1.3")


def test_public_link_needs_an_open_campaign_that_allows_it(survey: Survey) -> None:
    with pytest.raises(NotFoundError, match="Sở Tư pháp không có đợt khảo sát"):
        services.response_submit_public(
            agency=survey.world.agencies["justice"], answers=GOOD, client_ip="1.1.1.1"
        )
    services.campaign_update(
        actor=survey.organiser,
        campaign=survey.campaign,
        title=survey.campaign.title,
        starts_on=survey.campaign.starts_on,
        ends_on=END,
        allow_public_link=False,
    )
    with pytest.raises(InvalidTransition, match="không nhận phiếu qua đường dẫn công khai"):
        services.response_submit_public(agency=survey.own, answers=GOOD, client_ip="1.1.1.1")


# --- kiosk -----------------------------------------------------------------------------------------
def test_kiosk_submissions_are_idempotent_and_may_be_dated_back(survey: Survey) -> None:
    kiosk = services.kiosk_create(
        actor=survey.world.user("front_desk"), agency=survey.own, name="Quầy 1"
    )
    cid = uuid.uuid4()
    first = services.response_submit_kiosk(
        key=kiosk.key, answers=GOOD, client_id=cid, answered_at=NOW - timedelta(days=2)
    )
    again = services.response_submit_kiosk(key=kiosk.key, answers=GOOD, client_id=cid)
    assert first.created and not again.created and again.response.pk == first.response.pk
    assert first.response.answered_on == date(2026, 3, 16)
    assert first.response.channel == "kiosk" and first.response.is_anonymous
    too_old = services.response_submit_kiosk(
        key=kiosk.key, answers=GOOD, client_id=uuid.uuid4(), answered_at=NOW - timedelta(days=30)
    )
    assert too_old.response.answered_on == date(2026, 3, 18)
    kiosk.refresh_from_db()
    assert kiosk.last_seen_at is not None
    services.kiosk_set_active(actor=survey.world.user("head"), kiosk=kiosk, active=False)
    with pytest.raises(NotFoundError, match="Máy khảo sát không đúng"):
        services.response_submit_kiosk(key=kiosk.key, answers=GOOD)


@override_settings(SURVEYS_KIOSK_PER_HOUR=2)
def test_kiosk_limit_per_hour(survey: Survey) -> None:
    kiosk = services.kiosk_create(actor=survey.world.user("head"), agency=survey.own, name="Quầy 2")
    services.response_submit_kiosk(key=kiosk.key, answers=GOOD)
    services.response_submit_kiosk(key=kiosk.key, answers=GOOD)
    with pytest.raises(RateLimited):
        services.response_submit_kiosk(key=kiosk.key, answers=GOOD)


def test_only_own_counter_staff_manage_kiosks(survey: Survey) -> None:
    with pytest.raises(PermissionDeniedError):
        services.kiosk_create(actor=survey.world.user("front_desk"), agency=survey.other, name="X")
    with pytest.raises(PermissionDeniedError):
        services.kiosk_create(actor=survey.world.user("handler"), agency=survey.own, name="X")


# --- paper -----------------------------------------------------------------------------------------
def test_paper_entry_records_who_entered_it_and_refuses_a_sheet_twice(survey: Survey) -> None:
    clerk = survey.world.user("front_desk")
    participant = survey.participant(survey.own)
    response = services.response_enter_paper(
        actor=clerk,
        participant=participant,
        answers=GOOD,
        answered_on=date(2026, 3, 2),
        paper_ref="03-0001",
    )
    assert (response.channel, response.entered_by, response.answered_on) == (
        "paper",
        clerk,
        date(2026, 3, 2),
    )
    audit = AuditRecord.objects.get(action="surveys.response_enter_paper")
    assert audit.actor_id == clerk.pk and audit.data["paper_ref"] == "03-0001"
    with pytest.raises(ValidationFailed) as exc:
        services.response_enter_paper(
            actor=clerk,
            participant=participant,
            answers=GOOD,
            answered_on=date(2026, 3, 2),
            paper_ref="03-0001",
        )
    assert (
        exc.value.details["errors"]["paper_ref"]
        == "Phiếu giấy số “03-0001” của cơ quan này đã được nhập trước đó."
    )
    with pytest.raises(ValidationFailed, match=r"01/01/2026 – 31/12/2026\) và không sau hôm nay"):
        services.response_enter_paper(
            actor=clerk, participant=participant, answers=GOOD, answered_on=date(2026, 3, 20)
        )
    with pytest.raises(PermissionDeniedError):
        services.response_enter_paper(
            actor=clerk,
            participant=survey.participant(survey.other),
            answers=GOOD,
            answered_on=date(2026, 3, 2),
        )


def test_the_database_refuses_a_paper_response_without_who_entered_it(survey: Survey) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            campaign=survey.campaign,
            agency=survey.own,
            questionnaire=survey.questionnaire,
            channel=ResponseChannel.PAPER,
            answered_on=date(2026, 3, 18),
            submitted_at=NOW,
        )


def test_voiding_needs_a_reason_and_happens_once(survey: Survey) -> None:
    head = survey.world.user("head")
    response = services.response_enter_paper(
        actor=head,
        participant=survey.participant(survey.own),
        answers=GOOD,
        answered_on=date(2026, 3, 2),
    )
    with pytest.raises(ValidationFailed, match="lý do"):
        services.response_void(actor=head, response=response, reason=" ")
    services.response_void(actor=head, response=response, reason="Nhập trùng phiếu")
    with pytest.raises(InvalidTransition, match="đã bị hủy"):
        services.response_void(actor=head, response=response, reason="Lần nữa")
    with pytest.raises(PermissionDeniedError):
        services.response_void(actor=survey.world.user("front_desk"), response=response, reason="x")
    assert Response.objects.valid().count() == 0


def test_closing_and_publishing(survey: Survey) -> None:
    actor = survey.organiser
    published = services.campaign_publish_results(
        actor=actor, campaign=survey.campaign, published=True
    )
    assert published.results_published
    closed = services.campaign_close(actor=actor, campaign=survey.campaign)
    assert closed.status == CampaignStatus.CLOSED
    with pytest.raises(InvalidTransition):
        services.campaign_close(actor=actor, campaign=closed)
