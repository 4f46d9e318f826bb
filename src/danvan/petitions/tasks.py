"""Background tasks of the petitions app: reminders before deadlines."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from danvan.core import scheduling


@task()
def remind_petition_deadlines() -> int:
    """Remind the assigned officials of petitions due within two working days (once per
    deadline)."""
    from danvan.petitions.selectors import due_soon_until
    from danvan.petitions.services import remind_due_petitions

    now = timezone.now()
    return remind_due_petitions(now=now, until=due_soon_until(now))


scheduling.register(
    "petitions.remind_deadlines", every=timedelta(hours=1), task=remind_petition_deadlines
)
