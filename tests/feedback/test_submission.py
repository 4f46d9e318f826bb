"""Submitting feedback: required fields per category (Decree 20), attachments, tracking code,
deadlines from the versioned rules, the sender's confirmation, the audit trail, abuse limits."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from danvan.core.calendar import TZ
from danvan.core.errors import RateLimited, ValidationFailed
from danvan.core.models import Attachment, AuditRecord, OutboxStatus
from danvan.feedback import services
from danvan.feedback.models import Category, Channel, EventKind, Feedback, Status
from tests.feedback.conftest import (
    Submit,
    jpeg_bytes,
    outbox,
    pdf_bytes,
    png_bytes,
    run_worker,
    upload,
)
from tests.world import World

MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


# --- required fields per category ----------------------------------------------------------------
@pytest.mark.parametrize("missing", ["sender_name", "sender_address", "sender_phone"])
def test_feedback_on_a_regulation_needs_name_address_and_phone(
    submit: Submit, missing: str
) -> None:
    sender = {
        "sender_name": "Nguyễn Văn An",
        "sender_address": "12 Lê Lợi, phường An Hội",
        "sender_phone": "0912345678",
    }
    sender[missing] = ""
    with pytest.raises(ValidationFailed) as exc:
        submit(category=Category.REGULATION, **sender)
    assert exc.value.message == services.ERR_IDENTITY
    assert exc.value.details["field"] == missing
    assert Feedback.objects.count() == 0


def test_feedback_on_a_regulation_with_name_address_and_phone_is_received(submit: Submit) -> None:
    item = submit(
        category=Category.REGULATION,
        sender_name="Nguyễn Văn An",
        sender_address="12 Lê Lợi, phường An Hội",
        sender_phone="+84 912.345.678",
    )
    assert item.status == Status.RECEIVED
    assert item.sender_phone == "0912345678"


@pytest.mark.parametrize("category", [Category.DOSSIER, Category.CONDUCT, Category.INITIATIVE])
def test_other_categories_may_be_sent_without_a_name(submit: Submit, category: str) -> None:
    item = submit(category=category)
    assert item.is_anonymous
    assert re.fullmatch(r"PA-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", item.code)


def test_a_local_problem_needs_its_commune(world: World, submit: Submit) -> None:
    with pytest.raises(ValidationFailed) as exc:
        submit(category=Category.LOCAL)
    assert exc.value.details["field"] == "unit"
    item = submit(category=Category.LOCAL, unit=world.units["b1"], address="Ấp 3")
    assert item.unit == world.units["b1"]


def test_the_place_must_be_a_current_commune(world: World, submit: Submit) -> None:
    with pytest.raises(ValidationFailed) as exc:
        submit(category=Category.LOCAL, unit=world.units["a"])
    assert exc.value.message == services.ERR_UNIT


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"content": "quá ngắn"}, "content"),
        ({"content": "x" * 5001}, "content"),
        ({"sender_phone": "12345"}, "sender_phone"),
        ({"sender_email": "khong-phai-thu"}, "sender_email"),
        ({"latitude": Decimal("10.24")}, "latitude"),
        ({"latitude": Decimal("91"), "longitude": Decimal("106")}, "latitude"),
        ({"category": "khac"}, "category"),
    ],
)
def test_invalid_fields_are_refused_by_name(submit: Submit, fields: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        submit(**fields)
    assert exc.value.details["field"] == field


def test_the_dossier_code_and_map_point_are_kept(submit: Submit) -> None:
    item = submit(
        category=Category.DOSSIER,
        dossier_code="000.00.31.H05-260302-0001",
        latitude=Decimal("10.241500"),
        longitude=Decimal("106.375900"),
    )
    item.refresh_from_db()
    assert item.dossier_code == "000.00.31.H05-260302-0001"
    assert item.latitude == Decimal("10.241500")


# --- deadlines -----------------------------------------------------------------------------------
def test_deadlines_come_from_the_rules_in_working_days(world: World, submit: Submit) -> None:
    with time_machine.travel(MONDAY_9, tick=False):
        item = submit(category=Category.LOCAL, unit=world.units["a1"])
    assert item.received_at == MONDAY_9
    # feedback.transfer: 5 working days; feedback.answer: 10 working days (core migration 0004)
    assert item.transfer_due_at == datetime(2026, 3, 9, 9, 0, tzinfo=TZ)
    assert item.due_at == datetime(2026, 3, 16, 9, 0, tzinfo=TZ)
    assert item.answer_rule is not None and item.answer_rule.key == "feedback.answer"


def test_feedback_received_after_the_cutoff_counts_from_the_next_working_day(
    world: World, submit: Submit
) -> None:
    with time_machine.travel(datetime(2026, 3, 6, 16, 30, tzinfo=TZ), tick=False):  # a Friday
        item = submit()
    # received on Friday at 16:30: the count starts Monday at the opening (after-15:00 rule)
    assert item.transfer_due_at == datetime(2026, 3, 16, 7, 30, tzinfo=TZ)
    assert item.due_at == datetime(2026, 3, 23, 7, 30, tzinfo=TZ)


def test_the_count_steps_over_tet(world: World, submit: Submit) -> None:
    with time_machine.travel(datetime(2026, 2, 12, 10, 0, tzinfo=TZ), tick=False):
        item = submit()
    # Tết 2026: 16-20 February off; 10 working days from Thursday 12/02 end on 05/03.
    assert item.due_at == datetime(2026, 3, 5, 10, 0, tzinfo=TZ)


def test_a_paper_submission_entered_later_keeps_its_receipt_date(submit: Submit) -> None:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        item = submit(received_at=MONDAY_9)
    assert item.due_at == datetime(2026, 3, 16, 9, 0, tzinfo=TZ)


# --- attachments ---------------------------------------------------------------------------------
def test_images_and_pdf_are_attached(submit: Submit) -> None:
    item = submit(
        uploads=[
            upload("ảnh hiện trường.png", png_bytes()),
            upload("IMG_001.JPG", jpeg_bytes()),
            upload("don.pdf", pdf_bytes()),
        ]
    )
    rows = list(
        Attachment.objects.filter(owner_type="feedback.feedback", owner_id=str(item.pk)).order_by(
            "pk"
        )
    )
    assert [a.content_type for a in rows] == ["image/png", "image/jpeg", "application/pdf"]
    assert {a.purpose for a in rows} == {"submission"}
    assert rows[0].original_name == "ảnh hiện trường.png"


def test_more_than_five_attachments_are_refused(submit: Submit) -> None:
    with pytest.raises(ValidationFailed) as exc:
        submit(uploads=[upload(f"a{i}.png", png_bytes()) for i in range(6)])
    assert exc.value.details["field"] == "files"
    assert Attachment.objects.count() == 0
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("trang.pdf", b"<html><script>alert(1)</script></html>"),
        ("anh.png", pdf_bytes()),
        ("tai-lieu.docx", b"PK\x03\x04 not really"),
        ("virus.exe", b"MZ\x90\x00"),
    ],
)
def test_a_wrong_attachment_refuses_the_whole_submission(
    submit: Submit, name: str, data: bytes
) -> None:
    with pytest.raises(ValidationFailed):
        submit(uploads=[upload("tot.png", png_bytes()), upload(name, data)])
    assert Attachment.objects.count() == 0
    assert Feedback.objects.count() == 0


# --- confirmation, audit, timeline ---------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_the_sender_gets_an_sms_and_an_email_after_the_commit(world: World, rules) -> None:  # type: ignore[no-untyped-def]
    mail.outbox = []
    with transaction.atomic():
        from tests.feedback.conftest import submission

        item = services.feedback_submit(
            actor=world.user("anonymous"),
            data=submission(sender_phone="0912345678", sender_email="an@example.vn"),
        )
    run_worker()
    sms, email = outbox("sms"), outbox("email")
    assert [m.recipient for m in sms] == ["0912345678"]
    assert item.code in sms[0].body and "Hạn trả lời" in sms[0].body
    assert sms[0].status == OutboxStatus.SENT
    assert len(mail.outbox) == 1 and item.code in mail.outbox[0].subject
    assert f"/phan-anh/tra-cuu/{item.code}/" in mail.outbox[0].body
    assert email[0].status == OutboxStatus.SENT


def test_an_anonymous_sender_gets_no_message(submit: Submit) -> None:
    submit()
    assert outbox() == []


def test_the_submission_is_audited_and_starts_the_timeline(submit: Submit) -> None:
    item = submit(sender_name="Trần Thị Bé", sender_phone="0987654321")
    record = AuditRecord.objects.get(action="feedback.feedback_submit")
    assert record.object_id == str(item.pk)
    assert record.actor_label == "công dân"
    assert record.data["agency"] == item.agency_id
    assert "Trần Thị Bé" not in str(record.data) and "0987654321" not in str(record.data)
    assert [e.kind for e in item.events.all()] == [EventKind.RECEIVED]


# --- abuse limits --------------------------------------------------------------------------------
def test_one_address_is_limited(settings, submit: Submit) -> None:  # type: ignore[no-untyped-def]
    settings.FEEDBACK_RATE_LIMITS = {"ip": [(600, 3)], "phone": [(3600, 10)]}
    for _ in range(3):
        submit(ip="203.113.1.5")
    with pytest.raises(RateLimited) as exc:
        submit(ip="203.113.1.5")
    assert "quá nhiều phản ánh" in exc.value.message
    assert exc.value.details["limited_by"] == "ip"
    submit(ip="203.113.1.6")  # another address is not affected
    assert Feedback.objects.count() == 4


def test_one_phone_is_limited_whatever_its_spelling(settings, submit: Submit) -> None:  # type: ignore[no-untyped-def]
    settings.FEEDBACK_RATE_LIMITS = {"ip": [(600, 100)], "phone": [(86400, 2)]}
    submit(sender_phone="0912345678", ip="10.0.0.1")
    submit(sender_phone="+84 912 345 678", ip="10.0.0.2")
    with pytest.raises(RateLimited) as exc:
        submit(sender_phone="0912.345.678", ip="10.0.0.3")
    assert exc.value.details["limited_by"] == "phone"


def test_the_window_passes(settings, submit: Submit) -> None:  # type: ignore[no-untyped-def]
    settings.FEEDBACK_RATE_LIMITS = {"ip": [(600, 1)]}
    with time_machine.travel(MONDAY_9, tick=False):
        submit(ip="203.113.1.5")
        with pytest.raises(RateLimited):
            submit(ip="203.113.1.5")
    with time_machine.travel(datetime(2026, 3, 2, 9, 11, tzinfo=TZ), tick=False):
        submit(ip="203.113.1.5")


def test_a_refused_submission_does_not_count(settings, submit: Submit) -> None:  # type: ignore[no-untyped-def]
    settings.FEEDBACK_RATE_LIMITS = {"ip": [(600, 1)]}
    with pytest.raises(ValidationFailed):
        submit(ip="203.113.1.5", content="ngắn")
    submit(ip="203.113.1.5")


# --- the public form -----------------------------------------------------------------------------
def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": Category.LOCAL,
        "title": "Cống thoát nước bị tắc",
        "content": "Cống thoát nước đầu hẻm 5 bị tắc, nước tràn lên đường mỗi khi mưa.",
        "address": "Hẻm 5",
        "sender_name": "",
        "sender_address": "",
        "sender_phone": "",
        "sender_email": "",
    }
    data.update(overrides)
    return data


def test_the_form_receives_feedback_with_a_photo_and_shows_the_code(
    client: Client, world: World, rules
) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("feedback-public:submit"),
        _form(unit=world.units["a1"].pk, attachments=[upload("cong.png", png_bytes())]),
        follow=True,
    )
    item = Feedback.objects.get()
    assert item.channel == Channel.WEB
    assert item.agency == world.agencies["pc_a1"]
    assert response.redirect_chain[-1][0] == reverse("feedback-public:track", args=[item.code])
    body = response.content.decode()
    assert item.code in body and "Đã gửi phản ánh" in body
    assert Attachment.objects.filter(owner_id=str(item.pk)).count() == 1


def test_the_form_shows_the_decree_20_error_on_the_field(
    client: Client, world: World, rules
) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("feedback-public:submit"), _form(category=Category.REGULATION))
    assert response.status_code == 422
    assert response.context["form"].errors["sender_name"] == [services.ERR_IDENTITY]
    assert 'href="#id_sender_name"' in response.content.decode()
    assert Feedback.objects.count() == 0


def test_the_form_refuses_a_disguised_file(client: Client, world: World, rules) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("feedback-public:submit"),
        _form(unit=world.units["a1"].pk, attachments=[upload("anh.jpg", b"<svg onload=x>")]),
    )
    assert response.status_code == 422
    assert "không đúng định dạng" in str(response.context["form"].errors)
    assert Feedback.objects.count() == 0


def test_the_form_answers_429_when_the_address_is_limited(
    client: Client, settings, world: World, rules
) -> None:  # type: ignore[no-untyped-def]
    settings.FEEDBACK_RATE_LIMITS = {"ip": [(600, 1)]}
    data = _form(unit=world.units["a1"].pk)
    assert client.post(reverse("feedback-public:submit"), data).status_code == 302
    response = client.post(reverse("feedback-public:submit"), data)
    assert response.status_code == 429
    assert "quá nhiều phản ánh" in response.content.decode()
    assert Feedback.objects.count() == 1


def test_robots_filling_the_hidden_field_are_refused(client: Client, world: World, rules) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("feedback-public:submit"),
        _form(unit=world.units["a1"].pk, website="http://spam.example"),
    )
    assert response.status_code == 422
    assert Feedback.objects.count() == 0


def test_the_form_page_renders_with_the_commune_list(client: Client, world: World) -> None:
    response = client.get(reverse("feedback-public:submit"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Xã An Hòa — Huyện An Phú" in body
    assert 'enctype="multipart/form-data"' in body
    assert "<script>" not in body.split("</main>")[0]


# --- feedback received on paper or by phone ------------------------------------------------------
def test_the_front_desk_enters_a_phone_call_received_earlier(
    client: Client, world: World, rules
) -> None:  # type: ignore[no-untyped-def]
    from tests.permissions import client_for

    office = client_for(world, "front_desk")
    with time_machine.travel(datetime(2026, 3, 4, 10, 0, tzinfo=TZ), tick=False):
        response = office.post(
            reverse("feedback:new"),
            _form(
                category=Category.CONDUCT,
                received_at="2026-03-02T09:00",
                sender_name="Hà Văn Lộc",
                sender_phone="0913000444",
            ),
        )
    item = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{item.pk}/")
    assert item.channel == Channel.OFFICE
    assert item.agency == world.agencies["pc_a"]  # where it arrived, not routed
    assert item.received_at == MONDAY_9
    assert item.due_at == datetime(2026, 3, 16, 9, 0, tzinfo=TZ)
    record = AuditRecord.objects.get(action="feedback.feedback_submit")
    assert record.actor_id == world.user("front_desk").pk


def test_an_entry_cannot_be_dated_in_the_future(world: World, rules) -> None:  # type: ignore[no-untyped-def]
    from tests.feedback.conftest import submission
    from tests.permissions import fresh

    with time_machine.travel(MONDAY_9, tick=False), pytest.raises(ValidationFailed) as exc:
        services.feedback_submit(
            actor=fresh(world.user("handler")),
            data=submission(channel=Channel.OFFICE),
            received_at=datetime(2026, 3, 3, 9, 0, tzinfo=TZ),
            at_agency=world.agencies["pc_a"],
        )
    assert exc.value.details["field"] == "received_at"


def test_only_officials_of_the_agency_enter_feedback_there(world: World, rules) -> None:  # type: ignore[no-untyped-def]
    from danvan.core.errors import PermissionDeniedError
    from tests.feedback.conftest import submission
    from tests.permissions import fresh

    with pytest.raises(PermissionDeniedError):
        services.feedback_submit(
            actor=fresh(world.user("front_desk")),
            data=submission(channel=Channel.OFFICE),
            at_agency=world.agencies["pc_b"],
        )
