"""Background tasks of the core (Django Tasks API)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.tasks import task

from danvan.core import notify, scheduling
from danvan.core.models import OutboxMessage


@task()
def deliver_message(message_id: int) -> bool:
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return False
        return notify.deliver(message)


@task()
def retry_outbox() -> int:
    """Enqueue the messages whose retry time has come."""
    ids = list(notify.due_for_retry().values_list("pk", flat=True)[:500])
    for pk in ids:
        deliver_message.enqueue(pk)
    return len(ids)


scheduling.register("core.retry_outbox", every=timedelta(minutes=1), task=retry_outbox)


@task()
def prune_rate_stamps() -> int:
    """Delete abuse-limit stamps older than any window."""
    from danvan.core import ratelimit

    return ratelimit.prune()


scheduling.register("core.prune_rate_stamps", every=timedelta(hours=1), task=prune_rate_stamps)
