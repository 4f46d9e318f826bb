"""The daily counters behind the statistics (:class:`~danvan.onestop.models.DailyStat`).

The services add one to a counter in the same transaction as the step that caused it (one
``INSERT … ON CONFLICT DO UPDATE``); :func:`rebuild` recomputes every counter from the dossiers
(after a bulk load or to repair), and a test checks that both give the same numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate

from danvan.core.calendar import TZ
from danvan.onestop.models import Channel, DailyStat, Dossier, MonthlyStat, Status, Timeliness

RECEIVED_COUNTER: dict[str, str] = {
    Channel.COUNTER: "received_counter",
    Channel.ONLINE: "received_online",
    Channel.POST: "received_post",
}
RESOLVED_COUNTER: dict[str, str] = {
    Timeliness.EARLY: "resolved_early",
    Timeliness.ON_TIME: "resolved_on_time",
    Timeliness.LATE: "resolved_late",
}

StatKey = tuple[int, int, date]  # agency, field, day


def month_of(day: date) -> date:
    return day.replace(day=1)


def _upsert_sql(model: type[models.Model], key: str, add: list[str]) -> str:
    """``INSERT … ON CONFLICT (agency, field, <key>) DO UPDATE`` adding ``add`` counters."""
    table = model._meta.db_table
    names = DailyStat.COUNTERS
    return (
        f"INSERT INTO {table} (agency_id, field_id, {key}, {', '.join(names)}) "  # noqa: S608
        f"VALUES (%s, %s, %s, {', '.join('%s' for _ in names)}) "
        f"ON CONFLICT (agency_id, field_id, {key}) DO UPDATE SET "
        + ", ".join(f"{n} = {table}.{n} + excluded.{n}" for n in add)
    )


def bump(*, agency_id: int, field_id: int, day: date, counter: str, by: int = 1) -> None:
    """Add ``by`` to one counter of the day and of its month (inside the caller's transaction)."""
    if counter not in DailyStat.COUNTERS:
        raise ValueError(f"unknown counter {counter!r}")
    values = [by if name == counter else 0 for name in DailyStat.COUNTERS]
    with connection.cursor() as cursor:
        cursor.execute(
            _upsert_sql(DailyStat, "day", [counter]), [agency_id, field_id, day, *values]
        )
        cursor.execute(
            _upsert_sql(MonthlyStat, "month", [counter]),
            [agency_id, field_id, month_of(day), *values],
        )


def add_counts(counts: dict[StatKey, Counter[str]]) -> int:
    """Add many counts at once (rows may exist): daily rows and their months."""
    months: dict[StatKey, Counter[str]] = {}
    for (agency_id, field_id, day), counter in counts.items():
        months.setdefault((agency_id, field_id, month_of(day)), Counter()).update(counter)
    names = list(DailyStat.COUNTERS)
    with transaction.atomic(), connection.cursor() as cursor:
        for model, key, data in ((DailyStat, "day", counts), (MonthlyStat, "month", months)):
            rows: list[Any] = [
                (a, f, d, *(c.get(n, 0) for n in names)) for (a, f, d), c in data.items()
            ]
            sql = _upsert_sql(model, key, names)
            for i in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[i : i + 5000])
    return len(counts)


def _count_by(
    counts: dict[StatKey, Counter[str]],
    rows: Iterable[dict],
    counter_of: dict | None,
    counter: str | None = None,
) -> None:
    for row in rows:
        name = counter if counter_of is None else counter_of.get(row["key"])
        if not name or row["day"] is None:
            continue
        counts.setdefault((row["agency_id"], row["field_id"], row["day"]), Counter())[name] += row[
            "n"
        ]


@transaction.atomic
def rebuild(agency_ids: list[int] | None = None) -> int:
    """Recompute the counters from the dossiers (all agencies, or the given ones)."""
    dossiers = Dossier.objects.all()
    daily, monthly = DailyStat.objects.all(), MonthlyStat.objects.all()
    if agency_ids is not None:
        dossiers = dossiers.filter(agency_id__in=agency_ids)
        daily = daily.filter(agency_id__in=agency_ids)
        monthly = monthly.filter(agency_id__in=agency_ids)
    daily.delete()
    monthly.delete()
    counts: dict[StatKey, Counter[str]] = {}

    def grouped(qs: Any, stamp: str, key: str | None) -> Iterator[dict[str, Any]]:
        fields = ["agency_id", "field_id", "day"] + ([key] if key else [])
        out = (
            qs.annotate(day=TruncDate(stamp, tzinfo=TZ))
            .values(*fields)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in out:
            row["key"] = row.get(key) if key else None
            yield row

    accepted = dossiers.filter(accepted_at__isnull=False)
    _count_by(counts, grouped(accepted, "accepted_at", "channel"), RECEIVED_COUNTER)
    resolved = dossiers.filter(resolved_at__isnull=False)
    _count_by(counts, grouped(resolved, "resolved_at", "timeliness"), RESOLVED_COUNTER)
    returned = dossiers.filter(returned_at__isnull=False)
    _count_by(counts, grouped(returned, "returned_at", None), None, "returned")
    withdrawn = dossiers.filter(status=Status.WITHDRAWN)
    _count_by(counts, grouped(withdrawn, "finished_at", None), None, "withdrawn")
    refused = dossiers.filter(status=Status.NOT_RECEIVED)
    _count_by(counts, grouped(refused, "finished_at", None), None, "refused")
    return add_counts(counts)
