"""Background tasks of the one-stop shop: the reminder that a dossier may need an apology."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from danvan.core import scheduling


@task()
def remind_apologies() -> int:
    """Warn handlers and heads of running dossiers due soon without an apology (once each)."""
    from danvan.onestop.services import apology_reminders_send

    return apology_reminders_send()


scheduling.register("onestop.remind_apologies", every=timedelta(minutes=30), task=remind_apologies)
