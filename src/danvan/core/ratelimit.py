"""Sliding-window abuse limits kept in the database (one indexed table, :class:`RateStamp`).

An app names its subjects (``"feedback:ip:<hash>"``) and its windows (``[(seconds, count), …]``).
:func:`recent` reads the subjects' stamps in one query; :func:`blocked` says which window is used
up and for how long; :func:`record` adds one stamp per subject in one insert. Written inside the
caller's transaction, a refused or failed action does not count. The periodic job
``core.prune_rate_stamps`` deletes stamps older than :data:`KEEP`.

Why not the cache: the database cache counts its whole table on every new key (to cull it), and a
busy public form would pay for that on each submission; Redis is optional here.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import datetime, timedelta

from django.utils import timezone

from danvan.core.models import RateStamp

KEEP = timedelta(days=2)  # longer than any window in use


def subject(kind: str, value: str) -> str:
    """A subject name that does not store the address or phone number itself."""
    return f"{kind}:{hashlib.sha256(f'{kind}:{value}'.encode()).hexdigest()[:40]}"


def recent(subjects: list[str], *, now: datetime, longest: int) -> dict[str, list[datetime]]:
    """The stamps of ``subjects`` in the last ``longest`` seconds, oldest first."""
    found: dict[str, list[datetime]] = defaultdict(list)
    if not subjects:
        return found
    rows = (
        RateStamp.objects.filter(subject__in=subjects, at__gt=now - timedelta(seconds=longest))
        .order_by("at")
        .values_list("subject", "at")
    )
    for name, at in rows:
        found[name].append(at)
    return found


def blocked(stamps: list[datetime], windows: list[tuple[int, int]], *, now: datetime) -> int:
    """Seconds until the subject may act again (0: it may act now)."""
    wait = 0
    for window, limit in windows:
        inside = [t for t in stamps if t > now - timedelta(seconds=window)]
        if len(inside) >= limit:
            free_at = inside[-limit] + timedelta(seconds=window)
            wait = max(wait, int((free_at - now).total_seconds()) + 1)
    return wait


def record(subjects: list[str], *, now: datetime) -> None:
    """Count one action for each subject."""
    RateStamp.objects.bulk_create([RateStamp(subject=s, at=now) for s in subjects])


def prune(*, now: datetime | None = None) -> int:
    """Delete the stamps no window looks at any more; return how many."""
    cutoff = (now or timezone.now()) - KEEP
    deleted, _ = RateStamp.objects.filter(at__lt=cutoff).delete()
    return deleted
