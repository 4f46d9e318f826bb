"""Background jobs of the consultations app: close consultations whose period has ended (which
notifies their followers)."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from danvan.core import scheduling


@task()
def close_due_consultations() -> int:
    from danvan.consultations.services import close_due

    return close_due()


scheduling.register(
    "consultations.close_due", every=timedelta(minutes=15), task=close_due_consultations
)
