"""A small scheduler for periodic jobs (reminders, outbox retries).

Apps register a job with the task to enqueue and how often; ``danvan scheduler`` (started by
``make run`` and ``danvan serve``) calls :func:`run_due_jobs` every half minute. The last run of
each job is kept in the database and claimed under a row lock, so several schedulers on several
machines never enqueue the same run twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from danvan.core.models import PeriodicJobRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: Any  # a django.tasks Task taking no arguments


_jobs: dict[str, PeriodicJob] = {}


def register(name: str, *, every: timedelta, task: Any) -> PeriodicJob:
    if name in _jobs:
        raise ImproperlyConfigured(f"periodic job {name!r} is already registered")
    job = PeriodicJob(name, every, task)
    _jobs[name] = job
    return job


def jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda j: j.name)


def run_due_jobs() -> list[str]:
    """Enqueue every job whose period has elapsed; return their names."""
    started: list[str] = []
    now = timezone.now()
    for job in jobs():
        with transaction.atomic():
            PeriodicJobRun.objects.get_or_create(name=job.name)
            run = PeriodicJobRun.objects.select_for_update().get(name=job.name)
            if run.last_run_at is not None and now - run.last_run_at < job.every:
                continue
            run.last_run_at = now
            run.save(update_fields=["last_run_at"])
            transaction.on_commit(job.task.enqueue)
            started.append(job.name)
    return started
