"""Dialogues from schedule to commitments kept: questions (moderated), answers, numbered minutes
(re-opened with python-docx), commitments with evidence, reminders and overdue lists, the
iCalendar feed (parsed back), counts per commune against the yearly minimum, indicators."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from docx import Document
from icalendar import Calendar

from danvan.core.calendar import TZ
from danvan.core.documents import render_docx
from danvan.core.errors import InvalidTransition, PermissionDeniedError, ValidationFailed
from danvan.core.models import AuditRecord, OutboxMessage
from danvan.dialogues import selectors, services
from danvan.dialogues.documents import minutes_document
from danvan.dialogues.models import (
    Commitment,
    CommitmentState,
    CommitmentStatus,
    Dialogue,
    DialogueStatus,
    QuestionStatus,
    overdue_q,
)
from danvan.org.models import Agency
from tests.world import World

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), TZ)


def schedule(world: World, agency: Agency | None = None, *, days: int = 7, **kw) -> Dialogue:  # type: ignore[no-untyped-def]
    agency = agency or world.own("committee_leader")
    actor = kw.pop("actor", world.user("committee_leader"))
    day = timezone.localdate() + timedelta(days=days)
    return services.dialogue_schedule(
        actor=actor,
        agency=agency,
        topic=kw.pop("topic", "Đối thoại về giải phóng mặt bằng"),
        host_name="Ông Võ Văn Chủ Tịch, Chủ tịch UBND huyện",
        place="Hội trường UBND huyện",
        starts_at=at(day, 8),
        ends_at=at(day, 11),
        participants=[world.agencies["justice"]],
        affected_units=[world.units["a1"]],
        **kw,
    )


def hold(world: World, d: Dialogue) -> Dialogue:
    with time_machine.travel(d.ends_at):
        return services.dialogue_record_held(
            actor=world.user("committee_leader"),
            dialogue=d,
            attendance=40,
            secretary="Lê Thư Ký",
            minutes_text="Nghe 5 ý kiến.\nTrả lời trực tiếp 4 ý kiến.",
        )


# --- schedule and questions -----------------------------------------------------------------------
def test_scheduling_needs_the_organising_agency(world: World) -> None:
    with pytest.raises(PermissionDeniedError):
        schedule(world, world.other)
    with pytest.raises(PermissionDeniedError):
        schedule(world, actor=world.user("front_desk"))
    d = schedule(world)
    assert d.status == DialogueStatus.SCHEDULED and d.accepts_questions_now()
    assert AuditRecord.objects.get(action="dialogues.dialogue_schedule").object_id == str(d.pk)


def test_questions_in_advance_are_moderated_against_the_policy(world: World) -> None:
    d = schedule(world)
    with pytest.raises(ValidationFailed):
        services.question_submit(
            actor=None,
            dialogue=d,
            body="Câu hỏi không tên người hỏi.",
            author_name="",
            author_address="",
        )
    good = services.question_submit(
        actor=None,
        dialogue=d,
        author_name="Ông Bảy",
        author_address="ấp 3, xã An Hòa",
        phone="0912345678",
        body="Khi nào chi trả tiền bồi thường đợt 2?",
    )
    bad = services.question_submit(
        actor=None,
        dialogue=d,
        author_name="X",
        author_address="Y",
        body="Mua bán đất nền giá rẻ, xem www.quangcao.vn",
    )
    leader = world.user("committee_leader")
    with pytest.raises(ValidationFailed):
        services.question_moderate(actor=leader, question=bad, accept=False)
    services.question_moderate(actor=leader, question=good, accept=True)
    services.question_moderate(actor=leader, question=bad, accept=False, reason="spam")
    assert [q.pk for q in selectors.questions_of(d, public=True)] == [good.pk]
    page = Client().get(f"/doi-thoai/{d.pk}/").content.decode()
    assert "Khi nào chi trả" in page and "quangcao" not in page and "0912345678" not in page
    # Questions in advance close when the dialogue starts.
    with time_machine.travel(d.starts_at), pytest.raises(InvalidTransition):
        services.question_submit(
            actor=None,
            dialogue=d,
            author_name="A",
            author_address="B",
            body="Câu hỏi gửi muộn sau giờ bắt đầu.",
        )


def test_the_day_questions_in_the_room_answers_and_numbered_minutes(world: World) -> None:
    d = schedule(world)
    leader = world.user("committee_leader")
    advance = services.question_submit(
        actor=None,
        dialogue=d,
        author_name="Ông Bảy",
        author_address="ấp 3",
        body="Khi nào chi trả bồi thường đợt 2?",
    )
    services.question_moderate(actor=leader, question=advance, accept=True)
    with pytest.raises(InvalidTransition):
        services.dialogue_record_held(actor=leader, dialogue=d, minutes_text="x")  # not yet
    room = services.question_record(
        actor=leader,
        dialogue=d,
        body="Đường vào ấp bị ngập.",
        author_name="Bà Mười",
        author_address="ấp 2",
        answer="Huyện sẽ nâng cấp trong năm.",
        answered_by="Chủ tịch UBND huyện",
    )
    services.question_answer(
        actor=leader,
        question=advance,
        answer="Trong tháng 12.",
        answered_by="Trưởng phòng Tài nguyên",
    )
    c = services.commitment_add(
        actor=leader,
        dialogue=d,
        question=room,
        owner=world.agencies["pc_a1"],
        description="Nâng cấp đường vào ấp 2.",
        due_on=d.starts_at.date() + timedelta(days=60),
    )
    hold(world, d)
    with pytest.raises(PermissionDeniedError):
        services.minutes_issue(actor=world.user("handler"), dialogue=d)
    d = services.minutes_issue(actor=world.user("head"), dialogue=d)
    assert d.minutes_symbol == "01/BB-UBND"
    doc = Document(
        io.BytesIO(
            render_docx(
                minutes_document(
                    d, selectors.questions_of(d, public=True), selectors.commitments_of(d)
                )
            )
        )
    )
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BIÊN BẢN" in text and "Chủ trì: Ông Võ Văn Chủ Tịch" in text
    assert "Số người dân tham dự: 40 người." in text and "Trả lời trực tiếp 4 ý kiến." in text
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in doc.tables]
    assert "Số: 01/BB-UBND" in str(tables[0])
    questions = next(t for t in tables if t[0][0] == "STT" and "Câu hỏi, kiến nghị" in t[0])
    assert [r[3] for r in questions[1:]] == [
        "Khi nào chi trả bồi thường đợt 2?",
        "Đường vào ấp bị ngập.",
    ]
    assert questions[1][4] == "Trong tháng 12. (Trưởng phòng Tài nguyên)"
    commitments = next(t for t in tables if t[0][0] == "STT" and "Nội dung cam kết" in t[0])
    assert commitments[1][1:] == [
        c.description,
        "Ủy ban nhân dân xã An Hòa",
        c.due_on.strftime("%d/%m/%Y"),
    ]


# --- commitments ------------------------------------------------------------------------------------
def _commitment(world: World, *, due_in: int = 10, owner: Agency | None = None) -> Commitment:
    d = schedule(world, days=-3)
    return services.commitment_add(
        actor=world.user("committee_leader"),
        dialogue=d,
        owner=owner or world.own("handler"),
        description="Sửa 8 bóng đèn đường ấp 2.",
        due_on=timezone.localdate() + timedelta(days=due_in),
    )


def test_the_owner_reports_progress_and_done_needs_evidence(world: World) -> None:
    c = _commitment(world)
    with pytest.raises(PermissionDeniedError):
        services.commitment_report(
            actor=world.user("home_affairs"), commitment=c, text="x", status="in_progress"
        )
    services.commitment_report(
        actor=world.user("handler"), commitment=c, text="Đã khảo sát.", status="in_progress"
    )
    with pytest.raises(ValidationFailed) as err:
        services.commitment_report(
            actor=world.user("handler"), commitment=c, text="Xong.", status="done"
        )
    assert err.value.message == services.ERR_EVIDENCE
    services.commitment_report(
        actor=world.user("handler"),
        commitment=c,
        text="Đã thay 8 bóng.",
        status="done",
        evidence=SimpleUploadedFile("anh.pdf", PDF),
    )
    c.refresh_from_db()
    assert c.status == CommitmentStatus.DONE and c.done_on == timezone.localdate()
    assert c.state == CommitmentState.DONE_ON_TIME and c.kept_on_time is True
    assert c.reports.count() == 2 and c.reports.last().evidence.original_name == "anh.pdf"  # type: ignore[union-attr]
    with pytest.raises(InvalidTransition):
        services.commitment_report(
            actor=world.user("handler"), commitment=c, text="x", status="done"
        )


def test_states_overdue_list_and_their_database_form_agree(world: World) -> None:
    soon = _commitment(world, due_in=1)
    later = _commitment(world, due_in=30)
    late = _commitment(world, due_in=2)
    today = timezone.localdate()
    assert soon.state == CommitmentState.DUE_SOON and later.state == CommitmentState.ON_TRACK
    in_40 = today + timedelta(days=40)
    with time_machine.travel(at(in_40, 9)):
        assert {c.state for c in Commitment.objects.all()} == {CommitmentState.OVERDUE}
        assert set(Commitment.objects.filter(overdue_q(in_40))) == set(Commitment.objects.all())
        services.commitment_report(
            actor=world.user("handler"),
            commitment=late,
            text="Xong muộn.",
            status="done",
            evidence=SimpleUploadedFile("a.pdf", PDF),
        )
        late.refresh_from_db()
        assert late.state == CommitmentState.DONE_LATE and late.kept_on_time is False
        overdue = selectors.commitments_for(world.user("head"), overdue_only=True)
        assert {c.pk for c in overdue} == {soon.pk, later.pk}
        assert not selectors.commitments_for(world.user("head"), overdue_only=True).filter(
            pk=late.pk
        )
        assert {c.pk for c in Commitment.objects.filter(overdue_q(in_40))} == {soon.pk, later.pk}


@pytest.mark.django_db(transaction=True)
def test_reminders_go_out_before_the_due_date_and_again_while_overdue(world: World) -> None:
    agency = world.own("handler")
    agency.email = "ubnd-anphu@example.vn"
    agency.save()
    c = _commitment(world, due_in=20)
    call_command("worker", batch=True, interval=0, verbosity=0)  # the "assigned" e-mail
    assigned = OutboxMessage.objects.get(recipient="ubnd-anphu@example.vn")
    assert assigned.status == "sent" and "Hạn hoàn thành" in assigned.body
    today = timezone.localdate()
    assert services.commitments_remind(today=today) == 0  # not yet due
    due_soon_day = c.due_on - timedelta(days=1)
    while due_soon_day.weekday() >= 5:
        due_soon_day -= timedelta(days=1)
    assert services.commitments_remind(today=due_soon_day) == 1
    assert services.commitments_remind(today=due_soon_day) == 0  # once while due soon
    overdue_day = c.due_on + timedelta(days=1)
    assert services.commitments_remind(today=overdue_day) == 1
    assert services.commitments_remind(today=overdue_day + timedelta(days=1)) == 0
    assert services.commitments_remind(today=overdue_day + timedelta(days=14)) == 1
    call_command("worker", batch=True, interval=0, verbosity=0)
    bodies = list(
        OutboxMessage.objects.filter(recipient="ubnd-anphu@example.vn")
        .order_by("pk")
        .values_list("body", "status")
    )
    assert len(bodies) == 4 and all(s == "sent" for _, s in bodies)
    assert bodies[1][0].startswith("Sắp đến hạn") and bodies[2][0].startswith("QUÁ HẠN")
    assert AuditRecord.objects.filter(action="dialogues.commitment_remind").count() == 3


def test_the_scheduled_job_reminds_through_the_worker(world: World) -> None:
    from danvan.dialogues.tasks import remind_commitments

    c = _commitment(world, due_in=-0)
    c.due_on = timezone.localdate() - timedelta(days=1)
    c.save()
    assert remind_commitments.call() == 1


# --- calendar, counts, indicators, search -------------------------------------------------------------
def test_the_icalendar_feed_parses_back(world: World) -> None:
    d = schedule(world, topic="Đối thoại về đất đai, tái định cư")
    cancelled = schedule(world, days=9, topic="Tọa đàm bị hủy")
    services.dialogue_cancel(
        actor=world.user("committee_leader"), dialogue=cancelled, reason="mưa bão"
    )
    response = Client().get("/doi-thoai/lich.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert cal["VERSION"] == "2.0" and "DânVận" in str(cal["PRODID"])
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    event = events["Đối thoại: Đối thoại về đất đai, tái định cư"]
    assert event.decoded("DTSTART") == d.starts_at
    assert event.decoded("DTEND") == d.ends_at
    assert str(event["LOCATION"]) == "Hội trường UBND huyện"
    assert str(event["UID"]).startswith(f"dialogue-{d.pk}@")
    assert str(event["URL"]).endswith(f"/doi-thoai/{d.pk}/")
    assert str(events["Đối thoại: Tọa đàm bị hủy"]["STATUS"]) == "CANCELLED"
    single = Calendar.from_ical(Client().get(f"/doi-thoai/{d.pk}/lich.ics").content)
    assert len(list(single.walk("VEVENT"))) == 1


def test_dialogues_per_commune_against_the_yearly_minimum(world: World) -> None:
    from danvan.org import services as org_services
    from danvan.org.models import AdminUnit, User

    chair = User.objects.create(username="chutich.a1")
    org_services.official_add(
        actor=None, user=chair, agency=world.agencies["pc_a1"], roles=["committee_leader"]
    )
    d = schedule(world, world.agencies["pc_a1"], days=-10, actor=chair)
    with time_machine.travel(d.ends_at):
        services.dialogue_record_held(actor=chair, dialogue=d, minutes_text="Đã tổ chức.")
    schedule(world, world.agencies["pc_a1"], days=5, actor=chair)  # scheduled, not held
    year = d.starts_at.year
    rows = selectors.dialogue_counts(
        units=AdminUnit.objects.filter(level="commune"),
        start=date(year, 1, 1),
        end=date(year, 12, 31),
    )
    by_name = {r.unit.name: (r.held, r.minimum, r.meets_minimum) for r in rows}
    assert by_name == {"Xã An Hòa": (1, 1, True), "Xã Bình Lợi": (0, 1, False)}
    page = Client()
    page.force_login(world.user("home_affairs"))
    body = page.get(f"/office/dialogues/counts/?nam={year}").content.decode()
    assert "1/2 xã chưa đạt tối thiểu." in body


def test_indicators_dialogues_held_and_commitments_kept_on_time(world: World) -> None:
    from danvan.shell.registry import Period, indicators

    d = schedule(world, days=-30)
    hold(world, d)
    leader = world.user("committee_leader")
    today = timezone.localdate()
    owner = world.own("handler")
    kept = services.commitment_add(
        actor=leader,
        dialogue=d,
        owner=owner,
        description="Việc 1",
        due_on=today - timedelta(days=5),
    )
    services.commitment_add(
        actor=leader,
        dialogue=d,
        owner=owner,
        description="Việc 2",
        due_on=today - timedelta(days=2),
    )
    services.commitment_add(
        actor=leader,
        dialogue=d,
        owner=owner,
        description="Việc 3",
        due_on=today + timedelta(days=30),
    )  # not due yet: not counted
    services.commitment_report(
        actor=world.user("handler"),
        commitment=kept,
        text="Xong.",
        status="done",
        done_on=today - timedelta(days=6),
        evidence=SimpleUploadedFile("a.pdf", PDF),
    )
    year = Period(date(today.year - 1, 1, 1), date(today.year + 1, 12, 31))
    assert indicators.get("dialogues.held").compute([owner.pk], year) == 1
    assert indicators.get("dialogues.held").compute([world.other.pk], year) == 0
    assert (
        str(indicators.get("dialogues.commitments_kept_on_time").compute([owner.pk], year))
        == "50.0"
    )
    assert (
        indicators.get("dialogues.commitments_kept_on_time").compute([world.other.pk], year) is None
    )


def test_search_without_diacritics_finds_dialogues_by_topic_questions_and_commitments(
    world: World,
) -> None:
    d = schedule(world, topic="Đối thoại về đất đai")
    leader = world.user("committee_leader")
    services.question_record(actor=leader, dialogue=d, body="Đường vào ấp bị ngập nước.")
    services.commitment_add(
        actor=leader,
        dialogue=d,
        owner=world.own("handler"),
        description="Lắp đèn chiếu sáng",
        due_on=d.starts_at.date(),
    )
    schedule(world, topic="Tọa đàm chuyển đổi số")
    for q in ("dat dai", "bi ngap nuoc", "den chieu sang"):
        assert [x.pk for x in selectors.public_dialogues(q=q)] == [d.pk], q
    assert [x.pk for x in selectors.dialogues_for(world.user("head"), q="chuyen doi so")] != [d.pk]


def test_question_status_values() -> None:
    assert QuestionStatus.ACCEPTED == "accepted"
