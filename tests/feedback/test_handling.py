"""Handling an item: handler, transfer (5 working days), merge as duplicate (with the search for
similar items), answer drafted → approved by the head → sent and published; reminders and the
overdue list. Every step is audited and shows in the timeline."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse

from danvan.core import scheduling
from danvan.core.calendar import TZ
from danvan.core.errors import InvalidTransition, PermissionDeniedError, ValidationFailed
from danvan.core.models import Attachment, AuditRecord
from danvan.feedback import selectors, services
from danvan.feedback.models import Category, EventKind, Feedback, Status
from tests.feedback.conftest import Submit, outbox, pdf_bytes, run_worker, submission, upload
from tests.permissions import client_for, fresh
from tests.world import World

MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def actor(world: World, role: str):  # type: ignore[no-untyped-def]
    return fresh(world.user(role))


@pytest.fixture
def local(world: World, submit: Submit) -> Feedback:
    """A local problem in huyện A, received on Monday 02/03/2026 at 09:00 by UBND huyện A."""
    from danvan.feedback.models import RoutingRule

    RoutingRule.objects.filter(unit=world.units["a1"]).delete()
    with time_machine.travel(MONDAY_9, tick=False):
        return submit(
            category=Category.LOCAL,
            unit=world.units["a1"],
            address="Ấp Phú Hòa",
            title="Đường đất ấp Phú Hòa lầy lội",
            content="Đường đất ấp Phú Hòa lầy lội mỗi mùa mưa, học sinh đi học rất vất vả.",
            sender_name="Võ Thị Mai",
            sender_phone="0911222333",
            sender_email="mai@example.vn",
            publish_consent=True,
        )


def actions(item: Feedback) -> list[str]:
    return list(
        AuditRecord.objects.filter(object_type="feedback.feedback", object_id=str(item.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


# --- handler -------------------------------------------------------------------------------------
def test_the_head_gives_the_item_to_a_handler(world: World, local: Feedback) -> None:
    item = services.feedback_assign(
        actor=actor(world, "head"), item=local, handler=world.user("handler")
    )
    assert item.status == Status.PROCESSING and item.handler == world.user("handler")
    assert actions(item)[-1] == "feedback.feedback_assign"
    assert item.events.last().kind == EventKind.ASSIGNED


def test_the_handler_must_work_in_the_agency(world: World, local: Feedback) -> None:
    with pytest.raises(ValidationFailed):
        services.feedback_assign(
            actor=actor(world, "head"), item=local, handler=world.user("home_affairs")
        )


def test_a_handler_cannot_give_items_out(world: World, local: Feedback) -> None:
    with pytest.raises(PermissionDeniedError):
        services.feedback_assign(
            actor=actor(world, "handler"), item=local, handler=world.user("handler")
        )


# --- transfer ------------------------------------------------------------------------------------
def test_a_transfer_within_5_working_days_is_on_time_and_restarts_the_deadlines(
    world: World, local: Feedback
) -> None:
    mail.outbox = []
    with time_machine.travel(datetime(2026, 3, 6, 10, 0, tzinfo=TZ), tick=False):
        item = services.feedback_transfer(
            actor=actor(world, "front_desk"),
            item=local,
            to_agency=world.agencies["justice"],
            reason="Nội dung thuộc thẩm quyền Sở Tư pháp.",
        )
    assert item.agency == world.agencies["justice"]
    assert item.status == Status.RECEIVED and item.handler is None
    assert item.routed_at == datetime(2026, 3, 6, 10, 0, tzinfo=TZ)
    assert item.due_at == datetime(2026, 3, 20, 10, 0, tzinfo=TZ)  # 10 working days there
    event = item.events.get(kind=EventKind.TRANSFERRED)
    assert event.on_time is True
    assert (event.agency, event.to_agency) == (world.agencies["pc_a"], world.agencies["justice"])
    sms = outbox("sms")[-1]
    assert sms.recipient == "0911222333" and "Sở Tư pháp" in sms.body
    assert actions(item)[-1] == "feedback.feedback_transfer"


def test_a_transfer_after_5_working_days_is_recorded_as_late(world: World, local: Feedback) -> None:
    with time_machine.travel(datetime(2026, 3, 9, 9, 1, tzinfo=TZ), tick=False):
        item = services.feedback_transfer(
            actor=actor(world, "handler"),
            item=local,
            to_agency=world.agencies["justice"],
            reason="Không thuộc thẩm quyền.",
        )
    assert item.events.get(kind=EventKind.TRANSFERRED).on_time is False


def test_after_a_transfer_the_old_agency_no_longer_sees_the_item(
    world: World, local: Feedback
) -> None:
    services.feedback_transfer(
        actor=actor(world, "head"),
        item=local,
        to_agency=world.agencies["pc_b"],
        reason="Địa bàn huyện B.",
    )
    assert not selectors.feedback_for(actor(world, "head")).filter(pk=local.pk).exists()
    assert (
        client_for(world, "head").get(reverse("feedback:detail", args=[local.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(("agency", "reason"), [("pc_a", "Lý do"), ("justice", "  ")])
def test_a_transfer_needs_another_agency_and_a_reason(
    world: World, local: Feedback, agency: str, reason: str
) -> None:
    with pytest.raises(ValidationFailed):
        services.feedback_transfer(
            actor=actor(world, "head"), item=local, to_agency=world.agencies[agency], reason=reason
        )


# --- duplicates ----------------------------------------------------------------------------------
@pytest.fixture
def twin(world: World, submit: Submit, local: Feedback) -> Feedback:
    return submit(
        category=Category.LOCAL,
        unit=world.units["a1"],
        address="ấp phú hòa",
        title="Đường ấp Phú Hòa lầy lội khi mưa",
        content="Xin sửa đường đất ấp Phú Hòa, mưa xuống lầy lội, xe máy không đi được.",
        sender_phone="0933444555",
    )


def test_similar_items_are_found_by_text_and_place(
    world: World, submit: Submit, local: Feedback, twin: Feedback
) -> None:
    unrelated = submit(
        category=Category.LOCAL,
        unit=world.units["a1"],
        title="Xin cấp thêm thùng rác",
        content="Khu chợ cần thêm thùng rác công cộng, hiện tại không đủ chỗ bỏ rác.",
    )
    similar = selectors.similar_items(actor(world, "handler"), twin)
    assert [s.item for s in similar][:1] == [local]
    assert similar[0].same_place and similar[0].shared_words >= 3
    assert unrelated not in [s.item for s in similar]


def test_merging_closes_the_duplicate_and_tells_its_sender(
    world: World, local: Feedback, twin: Feedback
) -> None:
    item = services.feedback_merge(
        actor=actor(world, "handler"), item=twin, into=local, note="Cùng con đường"
    )
    assert item.status == Status.MERGED and item.duplicate_of == local
    assert selectors.public_status(item) == "closed"
    assert local.code in outbox("sms")[-1].body
    assert actions(item)[-1] == "feedback.feedback_merge"


def test_merging_into_a_duplicate_points_to_the_original(
    world: World, submit: Submit, local: Feedback, twin: Feedback
) -> None:
    services.feedback_merge(actor=actor(world, "handler"), item=twin, into=local)
    third = submit(category=Category.LOCAL, unit=world.units["a1"])
    with pytest.raises(ValidationFailed) as exc:
        services.feedback_merge(actor=actor(world, "handler"), item=third, into=twin)
    assert local.code in exc.value.message
    with pytest.raises(ValidationFailed):
        services.feedback_merge(actor=actor(world, "handler"), item=third, into=third)


def test_the_answer_reaches_the_senders_of_merged_duplicates(
    world: World, local: Feedback, twin: Feedback
) -> None:
    services.feedback_merge(actor=actor(world, "handler"), item=twin, into=local)
    services.feedback_answer(
        actor=actor(world, "handler"), item=local, text="Xã sẽ rải đá đường trong tháng 4."
    )
    services.feedback_approve(actor=actor(world, "head"), item=local)
    recipients = [m.recipient for m in outbox("sms")]
    assert "0911222333" in recipients and "0933444555" in recipients
    tracking = selectors.track(twin.code)
    assert tracking is not None and tracking.answered_by == local


# --- answer, approval, publication ---------------------------------------------------------------
def test_the_whole_answer_flow(world: World, local: Feedback) -> None:
    handler, head = actor(world, "handler"), actor(world, "head")
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=TZ), tick=True):
        services.feedback_assign(actor=head, item=local, handler=world.user("handler"))
        item = services.feedback_answer(actor=handler, item=local, text="Nháp", submit=False)
        assert item.status == Status.PROCESSING and item.answer_text == "Nháp"
        item = services.feedback_answer(
            actor=handler,
            item=item,
            text="UBND huyện đã giao xã rải đá tuyến đường ấp Phú Hòa trước 30/4.",
            uploads=[upload("cong-van.pdf", pdf_bytes())],
        )
        assert item.status == Status.AWAITING_APPROVAL
        item = services.feedback_return(actor=head, item=item, note="Ghi rõ kinh phí.")
        assert item.status == Status.PROCESSING
        item = services.feedback_answer(
            actor=handler, item=item, text="UBND huyện đã bố trí 200 triệu đồng, rải đá trước 30/4."
        )
    with time_machine.travel(datetime(2026, 3, 12, 15, 0, tzinfo=TZ), tick=False):
        item = services.feedback_approve(actor=head, item=item, publish=True)
    assert item.status == Status.ANSWERED and item.approved_by == world.user("head")
    assert item.answered_at == datetime(2026, 3, 12, 15, 0, tzinfo=TZ)
    assert item.published_at is not None
    assert item.public_answer.startswith("UBND huyện đã bố trí")
    assert Attachment.objects.filter(owner_id=str(item.pk), purpose="answer").count() == 1
    state = selectors.item_for(head, item.pk)
    assert state.state_on_time and not state.state_late
    assert actions(item) == [
        "feedback.feedback_submit",
        "feedback.feedback_assign",
        "feedback.feedback_answer_draft",
        "feedback.feedback_answer_submit",
        "feedback.feedback_answer_return",
        "feedback.feedback_answer_submit",
        "feedback.feedback_answer_approve",
        "feedback.feedback_publish",
    ]
    kinds = [e.kind for e in item.events.all()]
    assert kinds == [
        EventKind.RECEIVED,
        EventKind.ASSIGNED,
        EventKind.ANSWER_SUBMITTED,
        EventKind.ANSWER_RETURNED,
        EventKind.ANSWER_SUBMITTED,
        EventKind.ANSWERED,
        EventKind.PUBLISHED,
    ]


def test_only_the_head_approves(world: World, local: Feedback) -> None:
    services.feedback_answer(actor=actor(world, "handler"), item=local, text="Trả lời")
    with pytest.raises(PermissionDeniedError):
        services.feedback_approve(actor=actor(world, "handler"), item=local)


def test_an_answer_after_the_due_date_is_late(world: World, local: Feedback) -> None:
    services.feedback_answer(actor=actor(world, "handler"), item=local, text="Trả lời muộn")
    with time_machine.travel(datetime(2026, 3, 16, 9, 1, tzinfo=TZ), tick=False):
        item = services.feedback_approve(actor=actor(world, "head"), item=local)
    state = selectors.item_for(actor(world, "head"), item.pk)
    assert state.state_late and not state.state_on_time
    assert item.events.get(kind=EventKind.ANSWERED).on_time is False


def test_steps_out_of_order_are_refused_with_409(world: World, local: Feedback) -> None:
    with pytest.raises(InvalidTransition):
        services.feedback_approve(actor=actor(world, "head"), item=local)
    with pytest.raises(InvalidTransition):
        services.feedback_publish(actor=actor(world, "head"), item=local)
    services.feedback_answer(actor=actor(world, "handler"), item=local, text="Trả lời")
    services.feedback_approve(actor=actor(world, "head"), item=local, publish=False)
    with pytest.raises(InvalidTransition) as exc:
        services.feedback_transfer(
            actor=actor(world, "head"), item=local, to_agency=world.agencies["justice"], reason="x"
        )
    assert exc.value.status == 409
    assert "Đã trả lời" in exc.value.message


@pytest.mark.django_db(transaction=True)
def test_the_answer_is_sent_by_sms_and_email_after_the_commit(world: World, rules) -> None:  # type: ignore[no-untyped-def]
    mail.outbox = []
    item = services.feedback_submit(
        actor=world.user("anonymous"),
        data=submission(sender_phone="0912345678", sender_email="an@example.vn"),
    )
    run_worker()
    mail.outbox = []
    head = actor(world, "sysadmin")
    Feedback.objects.filter(pk=item.pk).update(agency=world.agencies["pc_a"])
    with transaction.atomic():
        services.feedback_answer(
            actor=actor(world, "handler"), item=item, text="Đã tiếp thu ý kiến."
        )
        services.feedback_approve(actor=actor(world, "head"), item=item)
    run_worker()
    assert len(mail.outbox) == 1
    assert "Đã tiếp thu ý kiến." in mail.outbox[0].body
    assert any("đã được" in m.body and m.status == "sent" for m in outbox("sms"))
    _ = head


# --- reminders and the overdue list --------------------------------------------------------------
def test_reminders_go_once_before_the_deadline_and_heads_hear_of_overdue_items(
    world: World, local: Feedback
) -> None:
    world.user("handler").email = "thuly@example.vn"
    world.user("handler").save()
    world.user("head").email = "truong@example.vn"
    world.user("head").save()
    services.feedback_assign(actor=actor(world, "head"), item=local, handler=world.user("handler"))
    with time_machine.travel(datetime(2026, 3, 5, 8, 0, tzinfo=TZ), tick=False):
        assert services.feedback_send_reminders().due_soon == 0  # due 16/03: not yet
    with time_machine.travel(datetime(2026, 3, 12, 8, 0, tzinfo=TZ), tick=False):
        run = services.feedback_send_reminders()
        assert (run.due_soon, run.overdue) == (1, 0)
        assert services.feedback_send_reminders().due_soon == 0  # only once
    reminder = outbox("email")[-1]
    assert reminder.recipient == "thuly@example.vn" and local.code in reminder.subject
    with time_machine.travel(datetime(2026, 3, 16, 10, 0, tzinfo=TZ), tick=False):
        run = services.feedback_send_reminders()
        assert (run.due_soon, run.overdue) == (0, 1)
        assert services.feedback_send_reminders().overdue == 0
    notice = outbox("email")[-1]
    assert notice.recipient == "truong@example.vn" and "quá hạn" in notice.subject
    assert AuditRecord.objects.filter(action="feedback.reminders_send").count() == 2


def test_the_reminder_job_is_scheduled() -> None:
    job = next(j for j in scheduling.jobs() if j.name == "feedback.reminders")
    assert job.task.name == "send_reminders"


def test_the_head_sees_the_overdue_list(world: World, submit: Submit, local: Feedback) -> None:
    with time_machine.travel(datetime(2026, 3, 16, 10, 0, tzinfo=TZ), tick=False):
        fresh_item = submit(category=Category.LOCAL, unit=world.units["a1"])
        overdue = list(selectors.overdue_for(actor(world, "head")))
        response = client_for(world, "head").get(reverse("feedback:overdue"))
    assert overdue == [local]
    body = response.content.decode()
    assert local.code in body and fresh_item.code not in body
    assert client_for(world, "handler").get(reverse("feedback:overdue")).status_code == 403


def test_the_answer_reaches_duplicates_of_duplicates(
    world: World, submit: Submit, local: Feedback, twin: Feedback
) -> None:
    third = submit(category=Category.LOCAL, unit=world.units["a1"], sender_phone="0944555666")
    handler = actor(world, "handler")
    services.feedback_merge(actor=handler, item=third, into=twin)
    services.feedback_merge(actor=handler, item=twin, into=local)
    assert {i.pk for i in services.duplicates_of(local)} == {twin.pk, third.pk}
    services.feedback_answer(actor=handler, item=local, text="Đã rải đá.")
    services.feedback_approve(actor=actor(world, "head"), item=local)
    assert "0944555666" in [m.recipient for m in outbox("sms")]
    tracking = selectors.track(third.code)
    assert tracking is not None and tracking.answered_by == local
