"""Background jobs of the dialogues app: remind owners of commitments due soon or overdue."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from danvan.core import scheduling


@task()
def remind_commitments() -> int:
    from danvan.dialogues.services import commitments_remind

    return commitments_remind()


scheduling.register(
    "dialogues.remind_commitments", every=timedelta(hours=24), task=remind_commitments
)
