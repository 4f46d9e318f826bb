"""Background work of the feedback app: reminders before answer deadlines, overdue notices."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from danvan.core import scheduling


@task()
def send_reminders() -> dict[str, int]:
    from danvan.feedback.services import feedback_send_reminders

    run = feedback_send_reminders()
    return {"due_soon": run.due_soon, "overdue": run.overdue}


scheduling.register("feedback.reminders", every=timedelta(hours=1), task=send_reminders)
