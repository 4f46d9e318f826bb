"""Notifications through an outbox: the message row is written in the same transaction as the
change that caused it and delivered by a background task after commit, with retries."""

from __future__ import annotations

from datetime import timedelta

from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone

from danvan.core.models import Channel, OutboxMessage, OutboxStatus
from danvan.core.sms import SmsError, get_gateway

MAX_ATTEMPTS = 5
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1)]


def notify(
    *,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    obj: models.Model | None = None,
) -> OutboxMessage | None:
    """Queue one message. Returns None when there is no recipient (nothing to send)."""
    recipient = (recipient or "").strip()
    if not recipient:
        return None
    message = OutboxMessage.objects.create(
        channel=channel,
        recipient=recipient,
        subject=subject[:200],
        body=body,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )
    from danvan.core.tasks import deliver_message

    transaction.on_commit(lambda: deliver_message.enqueue(message.pk))
    return message


def deliver(message: OutboxMessage) -> bool:
    """Try to send ``message`` once; record the outcome. True when sent."""
    if message.status == OutboxStatus.SENT:
        return True
    message.attempts += 1
    try:
        if message.channel == Channel.EMAIL:
            send_mail(message.subject or "DânVận", message.body, None, [message.recipient])
            message.gateway_ref = "smtp"
        else:
            message.gateway_ref = get_gateway().send(message.recipient, message.body)[:100]
    except (SmsError, OSError) as exc:
        message.last_error = str(exc)[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxStatus.FAILED
            message.next_attempt_at = None
        else:
            message.next_attempt_at = (
                timezone.now() + BACKOFF[min(message.attempts - 1, len(BACKOFF) - 1)]
            )
        message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        return False
    message.status = OutboxStatus.SENT
    message.sent_at = timezone.now()
    message.next_attempt_at = None
    message.last_error = ""
    message.save(
        update_fields=[
            "attempts",
            "status",
            "sent_at",
            "next_attempt_at",
            "last_error",
            "gateway_ref",
        ]
    )
    return True


STALE_AFTER = timedelta(minutes=10)


def due_for_retry() -> models.QuerySet[OutboxMessage]:
    """Messages whose retry time has come, and messages never tried whose first delivery task
    was lost (e.g. the worker's queue was emptied): pending for more than 10 minutes."""
    now = timezone.now()
    return OutboxMessage.objects.filter(status=OutboxStatus.PENDING).filter(
        models.Q(attempts__gt=0, next_attempt_at__lte=now)
        | models.Q(attempts=0, created_at__lte=now - STALE_AFTER)
    )
