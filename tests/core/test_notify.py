"""Notifications through the outbox: written in the caller's transaction, delivered after commit by
the real task worker (django-tasks-db), retried with back-off, given up after MAX_ATTEMPTS. Only the
outside world is faked: the mail server (Django's locmem backend) and the SMS gateway."""

from __future__ import annotations

import signal
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings as SettingsWrapper

from danvan.core import notify, scheduling
from danvan.core.models import Channel, OutboxMessage, OutboxStatus
from danvan.core.sms import SmsError
from tests.world import World

DELIVER = "danvan.core.tasks.deliver_message"
RETRY = "danvan.core.tasks.retry_outbox"


class FailingGateway:
    """An SMS gateway that is down (the edge of the outside world)."""

    calls: list[str] = []

    def send(self, to: str, body: str) -> str:
        FailingGateway.calls.append(to)
        raise SmsError("Cổng SMS không phản hồi (503)")


@pytest.fixture(autouse=True)
def _fresh_outbox() -> None:
    mail.outbox = []
    FailingGateway.calls = []


def run_worker() -> None:
    """The real worker, in batch mode: runs what is queued, then returns."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {sig: signal.getsignal(sig) for sig in signals}
    try:
        call_command("worker", batch=True, interval=0, verbosity=0)
    finally:  # the worker installs its own shutdown handlers: give pytest its own back
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def tasks(path: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=path).order_by("enqueued_at"))


# --- the outbox in the transaction -----------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_a_message_is_written_with_the_change_and_delivered_by_the_worker() -> None:
    with transaction.atomic():
        message = notify.notify(
            channel=Channel.EMAIL,
            recipient=" dan@example.vn ",
            subject="Hồ sơ đã được tiếp nhận",
            body="Hồ sơ 000.00.12.H56-260302-0001 đã được tiếp nhận.",
        )
        assert message is not None
        assert tasks(DELIVER) == []  # enqueued only when the transaction commits
    assert message.status == OutboxStatus.PENDING
    assert message.recipient == "dan@example.vn"
    assert len(tasks(DELIVER)) == 1
    assert mail.outbox == []

    run_worker()

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["dan@example.vn"]
    assert sent.subject == "Hồ sơ đã được tiếp nhận"
    assert "đã được tiếp nhận" in sent.body
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.gateway_ref == "smtp"
    [task] = tasks(DELIVER)
    assert task.status == "SUCCESSFUL"
    assert task.return_value is True


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_message_and_no_task() -> None:
    class Refused(Exception):
        pass

    @transaction.atomic
    def refused_change() -> None:
        notify.notify(channel=Channel.EMAIL, recipient="dan@example.vn", body="Không được gửi")
        raise Refused

    with pytest.raises(Refused):
        refused_change()
    assert OutboxMessage.objects.count() == 0
    assert tasks(DELIVER) == []
    run_worker()
    assert mail.outbox == []


@pytest.mark.django_db
def test_no_recipient_means_nothing_to_send() -> None:
    assert notify.notify(channel=Channel.SMS, recipient="  ", body="x") is None
    assert notify.notify(channel=Channel.EMAIL, recipient="", body="x") is None
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_the_message_remembers_what_caused_it(world: World) -> None:
    agency = world.agencies["pc_a"]
    message = notify.notify(
        channel=Channel.EMAIL, recipient="a@example.vn", body="x", obj=agency, subject="T" * 300
    )
    assert message is not None
    message.refresh_from_db()
    assert (message.object_type, message.object_id) == ("org.agency", str(agency.pk))
    assert len(message.subject) == 200


@pytest.mark.django_db(transaction=True)
def test_a_sent_message_is_not_sent_twice() -> None:
    from danvan.core.tasks import deliver_message

    with transaction.atomic():
        message = notify.notify(channel=Channel.EMAIL, recipient="dan@example.vn", body="Một lần")
    run_worker()
    deliver_message.enqueue(message.pk)  # a duplicate delivery, e.g. a retry racing the first
    run_worker()
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


# --- SMS -------------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_sms_through_the_fake_gateway_gets_a_fake_reference(settings: SettingsWrapper) -> None:
    settings.SMS_GATEWAY = "danvan.core.sms.FakeGateway"
    with transaction.atomic():
        message = notify.notify(
            channel=Channel.SMS, recipient="0912345678", body="Ho so cua ong/ba da co ket qua."
        )
    run_worker()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.gateway_ref.startswith("fake-")
    assert len(message.gateway_ref) > len("fake-")
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_failing_gateway_is_retried_with_back_off_then_given_up(
    settings: SettingsWrapper,
) -> None:
    settings.SMS_GATEWAY = f"{__name__}.FailingGateway"
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        with transaction.atomic():
            message = notify.notify(channel=Channel.SMS, recipient="0912345678", body="Lịch hẹn")
        run_worker()
        message.refresh_from_db()
        assert message.attempts == 1
        assert message.status == OutboxStatus.PENDING
        assert "503" in message.last_error
        assert message.next_attempt_at == start + notify.BACKOFF[0]

        # not yet due: the scheduler's retry job finds nothing
        traveller.shift(timedelta(seconds=30))
        assert "core.retry_outbox" in scheduling.run_due_jobs()
        run_worker()
        message.refresh_from_db()
        assert message.attempts == 1
        assert tasks(RETRY)[-1].return_value == 0

        # due at +60 s, but the retry job ran at +30 s: it runs again at +90 s
        traveller.shift(timedelta(seconds=30))
        assert "core.retry_outbox" not in scheduling.run_due_jobs()
        traveller.shift(timedelta(seconds=30))

        for attempt in range(2, notify.MAX_ATTEMPTS + 1):
            assert "core.retry_outbox" in scheduling.run_due_jobs()
            run_worker()
            message.refresh_from_db()
            assert message.attempts == attempt
            if attempt < notify.MAX_ATTEMPTS:
                assert message.status == OutboxStatus.PENDING
                expected = notify.BACKOFF[min(attempt - 1, len(notify.BACKOFF) - 1)]
                assert message.next_attempt_at == timezone.now() + expected
                traveller.shift(expected)

        assert message.status == OutboxStatus.FAILED
        assert message.next_attempt_at is None
        assert message.sent_at is None
        assert len(FailingGateway.calls) == notify.MAX_ATTEMPTS

        # a failed message is not retried any more
        traveller.shift(timedelta(days=1))
        scheduling.run_due_jobs()
        run_worker()
        message.refresh_from_db()
        assert message.attempts == notify.MAX_ATTEMPTS
        assert len(FailingGateway.calls) == notify.MAX_ATTEMPTS
    assert all(t.status == "SUCCESSFUL" for t in tasks(DELIVER))


@pytest.mark.django_db(transaction=True)
def test_a_message_that_fails_once_is_sent_on_retry(settings: SettingsWrapper) -> None:
    settings.SMS_GATEWAY = f"{__name__}.FailingGateway"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        with transaction.atomic():
            message = notify.notify(channel=Channel.SMS, recipient="0912345678", body="Lịch hẹn")
        run_worker()
        settings.SMS_GATEWAY = "danvan.core.sms.FakeGateway"  # the gateway is back
        traveller.shift(notify.BACKOFF[0])
        scheduling.run_due_jobs()
        run_worker()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert message.gateway_ref.startswith("fake-")


# --- the scheduler ---------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_run_due_jobs_enqueues_the_retry_job_once_per_period() -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        first = scheduling.run_due_jobs()
        assert "core.retry_outbox" in first
        assert len(tasks(RETRY)) == 1
        second = scheduling.run_due_jobs()
        assert "core.retry_outbox" not in second
        assert len(tasks(RETRY)) == 1
        traveller.shift(timedelta(seconds=59))
        assert "core.retry_outbox" not in scheduling.run_due_jobs()
        traveller.shift(timedelta(seconds=1))
        assert "core.retry_outbox" in scheduling.run_due_jobs()
        assert len(tasks(RETRY)) == 2


@pytest.mark.django_db(transaction=True)
def test_a_job_claimed_in_a_rolled_back_transaction_runs_again() -> None:
    claimed: list[str] = []

    @transaction.atomic
    def claim_then_fail() -> None:
        claimed.extend(scheduling.run_due_jobs())
        raise RuntimeError

    with pytest.raises(RuntimeError):
        claim_then_fail()
    assert "core.retry_outbox" in claimed
    assert tasks(RETRY) == []
    assert "core.retry_outbox" in scheduling.run_due_jobs()
    assert len(tasks(RETRY)) == 1


def test_a_job_name_is_registered_once() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from danvan.core.tasks import retry_outbox

    assert "core.retry_outbox" in [j.name for j in scheduling.jobs()]
    with pytest.raises(ImproperlyConfigured):
        scheduling.register("core.retry_outbox", every=timedelta(minutes=1), task=retry_outbox)
