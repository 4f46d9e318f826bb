"""Background work of the dashboard: the leaders' figures recomputed before they expire."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from danvan.core import scheduling


@task()
def warm_figures() -> int:
    from danvan.dashboard.selectors import warm

    return warm()


# every four minutes: the cached figures live five
scheduling.register("dashboard.warm_figures", every=timedelta(minutes=4), task=warm_figures)
