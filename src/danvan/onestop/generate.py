"""Realistic dossiers in bulk (``danvan onestop generate --dossiers N``): for demos and for
measuring at a province's volume (about 1,000,000 dossiers a year).

Dossiers are spread over the working days of the period (weekdays of heavier and lighter load,
working hours, the after-15:00 rule), over the agencies in proportion to what they carry, with the
channels, outcomes (returned early / on time / late, withdrawn, refused, still pending, some past
due) and appointment dates that the core calendar gives. Rows go in with ``bulk_create`` in
batches (memory stays flat), the codes follow the per-agency daily sequence, and the daily
counters of the statistics are written from the same pass.
"""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from danvan.core.calendar import TZ, OfficeHours, WorkingCalendar, get_calendar
from danvan.core.models import DeadlineUnit
from danvan.onestop import stats
from danvan.onestop.models import (
    Channel,
    Decision,
    Dossier,
    DossierCounter,
    DossierEvent,
    EventKind,
    Level,
    Procedure,
    ReturnMethod,
    Status,
    timeliness_of,
)
from danvan.org.models import Agency

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Hoàng",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
    "Ngô",
    "Hồ",
    "Dương",
    "Lý",
    "Đoàn",
    "Lâm",
    "Mai",
    "Tô",
]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Hữu", "Kim", "Thu", "Đức", "Bảo"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Duyên",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khang",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Nhân",
    "Phúc",
    "Phương",
    "Quang",
    "Quyên",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thành",
    "Trang",
    "Trí",
    "Tuấn",
    "Uyên",
    "Vân",
    "Việt",
    "Vy",
    "Xuân",
    "Yến",
]
HAMLETS = [
    "Ấp 1",
    "Ấp 2",
    "Ấp 3",
    "Ấp Phú Hòa",
    "Ấp Tân Lợi",
    "Khu phố 1",
    "Khu phố 2",
    "Ấp Bình Thạnh",
    "Ấp An Thới",
    "Ấp Long Hòa",
]
CHANNEL_WEIGHTS = [(Channel.COUNTER, 58), (Channel.ONLINE, 38), (Channel.POST, 4)]
RETURN_OF = {
    Channel.COUNTER: ReturnMethod.COUNTER,
    Channel.ONLINE: ReturnMethod.ONLINE,
    Channel.POST: ReturnMethod.POST,
}
WEEKDAY_LOAD = [1.25, 1.05, 1.0, 0.95, 0.9, 0.35, 0.0]  # Monday … Sunday
LOAD_HOURS = [
    (7, 45, 3),
    (8, 30, 5),
    (9, 30, 5),
    (10, 30, 3),
    (13, 45, 3),
    (14, 30, 4),
    (15, 20, 2),
    (16, 15, 1),
]  # (hour, minute, weight)


@dataclass
class Result:
    dossiers: int = 0
    events: int = 0
    stat_rows: int = 0
    seconds: float = 0.0
    by_status: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class _Offer:
    """One (agency, procedure) pair a dossier may be for, with its weight."""

    agency: Agency
    procedure: Procedure
    weight: float
    doc_list: tuple[dict, ...]


def _offers(agencies: Sequence[Agency]) -> list[_Offer]:
    procedures = list(
        Procedure.objects.filter(is_published=True).prefetch_related("documents").order_by("code")
    )
    offers = []
    for agency in agencies:
        level = agency.unit.level
        for p in procedures:
            if p.agency_id == agency.pk or (p.agency_id is None and p.level == level):
                docs = tuple(
                    {"id": d.pk, "name": d.name, "originals": d.originals, "copies": d.copies}
                    for d in p.documents.all()
                    if d.required
                )
                # short procedures (certifications, civil status) are the most frequent
                days = (
                    float(p.processing_amount)
                    if p.processing_unit != DeadlineUnit.WORKING_HOURS
                    else 0.5
                )
                weight = 3.0 if days <= 1 else 1.5 if days <= 5 else 1.0
                if level == Level.PROVINCE:
                    weight *= 4  # a department serves the whole province
                offers.append(_Offer(agency, p, weight, docs))
    return offers


class _Due:
    """Due times from the core calendar, memoised: a generated year has few distinct
    (office hours, start minute, amount, unit) combinations. Working days use the calendar's own
    steps (effective start, then the n-th working day); other units go through
    :func:`danvan.core.deadlines.add`."""

    def __init__(self, cal: WorkingCalendar) -> None:
        self.cal = cal
        self.cache: dict[tuple, tuple[datetime, datetime]] = {}
        self.days: dict[tuple[date, int], date] = {}

    def __call__(
        self, hours: OfficeHours, start: datetime, amount: Decimal, unit: str
    ) -> tuple[datetime, datetime]:
        key = (hours, start, amount, unit)
        hit = self.cache.get(key)
        if hit is None:
            if unit == DeadlineUnit.WORKING_DAYS:
                begin = self.cal.effective_start(start, hours)
                dkey = (begin.date(), int(amount))
                day = self.days.get(dkey)
                if day is None:
                    day = self.days[dkey] = self.cal.working_days_after(begin.date(), int(amount))
                due = datetime.combine(day, begin.timetz().replace(tzinfo=None), TZ)
                hit = (begin, due)
            else:
                from danvan.core import deadlines

                d = deadlines.add(start, float(amount), unit, hours, self.cal)
                hit = (d.start, d.due)
            if len(self.cache) > 200_000:
                self.cache.clear()
            self.cache[key] = hit
        return hit


def _working_days(cal: WorkingCalendar, start: date, end: date) -> list[date]:
    days = []
    d = start
    while d <= end:
        if cal.is_working_day(d) or d.weekday() == 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


_LOAD_CUM = list(itertools.accumulate(w for *_x, w in LOAD_HOURS))


def _moment(rng: random.Random, day: date) -> datetime:
    hour, minute, _w = rng.choices(LOAD_HOURS, cum_weights=_LOAD_CUM)[0]
    return datetime.combine(day, time(hour, minute), TZ) + timedelta(minutes=rng.randint(0, 40))


def _spread(
    total: int, days: list[date], cal: WorkingCalendar, rng: random.Random
) -> Iterator[tuple[date, int]]:
    """How many dossiers each day gets (weekday load; Saturday only at Saturday counters)."""
    weights = [WEEKDAY_LOAD[d.weekday()] if cal.is_working_day(d) else 0.3 for d in days]
    s = sum(weights) or 1.0
    assigned = 0
    for i, (d, w) in enumerate(zip(days, weights, strict=True)):
        n = (
            total - assigned
            if i == len(days) - 1
            else round(total * w / s * rng.uniform(0.85, 1.15))
        )
        n = max(0, min(n, total - assigned))
        assigned += n
        if n:
            yield d, n


COLUMNS = [
    "code",
    "agency_id",
    "handling_agency_id",
    "handler_id",
    "procedure_id",
    "field_id",
    "status",
    "channel",
    "applicant_name",
    "applicant_phone",
    "phone_last4",
    "applicant_address",
    "applicant_email",
    "applicant_id_encrypted",
    "documents",
    "missing",
    "processing_amount",
    "processing_unit",
    "received_at",
    "received_by_id",
    "accepted_at",
    "clock_started_at",
    "due_at",
    "appointment_at",
    "paused_at",
    "forwarded_at",
    "resolved_at",
    "returned_at",
    "finished_at",
    "decision",
    "result_note",
    "timeliness",
    "return_method",
    "supplement_count",
    "insufficient_count",
    "apology_count",
    "apology_reminded_at",
    "backdated",
]


class _Writer:
    """Rows straight into the table with the driver's ``executemany`` (the ORM's bulk_create
    spends most of its time compiling SQL at this volume), values adapted as Django would."""

    def __init__(self, batch_size: int) -> None:
        self.batch_size = batch_size
        self.vendor = connection.vendor
        self.rows: list[tuple[Any, ...]] = []
        mark = "?" if self.vendor == "sqlite" else "%s"
        table = Dossier._meta.db_table
        self.sql = (
            f"INSERT INTO {table} ({', '.join(COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join(mark for _ in COLUMNS)})"
        )

    def when(self, value: datetime | None) -> Any:
        if value is None or self.vendor != "sqlite":
            return value
        # Django's SQLite adapter: naive UTC text
        return str(value.astimezone(UTC).replace(tzinfo=None))

    def amount(self, value: Decimal) -> Any:
        return str(value) if self.vendor == "sqlite" else value

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)

    def flush(self) -> int:
        n = len(self.rows)
        if not n:
            return 0
        connection.ensure_connection()
        raw = connection.connection
        assert raw is not None
        with transaction.atomic():
            cursor = raw.cursor()
            try:
                cursor.executemany(self.sql, self.rows)
            finally:
                cursor.close()
        self.rows.clear()
        return n


def generate(
    *,
    dossiers: int,
    years: float = 1.0,
    end: date | None = None,
    agencies: Sequence[Agency] | None = None,
    seed: int = 5793,
    batch_size: int = 5000,
    with_events: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Result:
    """Write ``dossiers`` dossiers received over the ``years`` before ``end`` (default today)."""
    import time as _time

    started = _time.monotonic()
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    cal = get_calendar()
    now = timezone.now()
    end = end or timezone.localdate()
    # the span of synthetic receipt dates (not a deadline: appointments below use the calendar)
    start = end - timedelta(days=max(1, round(365 * years)) - 1)
    agencies = (
        list(agencies)
        if agencies is not None
        else list(Agency.objects.filter(is_active=True, is_partner=False).select_related("unit"))
    )
    offers = _offers(agencies)
    if not offers:
        raise ValueError("no published procedure fits the agencies: load the catalogue first")
    cum_weights = list(itertools.accumulate(o.weight for o in offers))
    channels = [c for c, _w in CHANNEL_WEIGHTS]
    channel_cum = list(itertools.accumulate(w for _c, w in CHANNEL_WEIGHTS))
    hours_of = {a.pk: a.office_hours() for a in agencies}
    saturday_ok = {a.pk for a in agencies if a.saturday_morning_counter}
    docs_json = {id(o): json.dumps(list(o.doc_list), ensure_ascii=False) for o in offers}
    channel_label = {c: str(Channel(c).label) for c in channels}
    due_of = _Due(cal)
    writer = _Writer(batch_size)
    counters: dict[tuple[int, date], int] = {
        (a, d): n
        for a, d, n in DossierCounter.objects.filter(day__gte=start, day__lte=end).values_list(
            "agency_id", "day", "last_number"
        )
    }
    stat_counts: dict[stats.StatKey, Counter[str]] = {}
    result = Result()
    events: list[tuple[str, list[DossierEvent]]] = []
    when, amount_of = writer.when, writer.amount

    def bump(agency_id: int, field_id: int, day: date, name: str) -> None:
        stat_counts.setdefault((agency_id, field_id, day), Counter())[name] += 1

    def flush() -> None:
        result.dossiers += writer.flush()
        if with_events and events:
            ids = dict(
                Dossier.objects.filter(code__in=[c for c, _e in events]).values_list("code", "pk")
            )
            rows = []
            for code, evs in events:
                for ev in evs:
                    ev.dossier_id = ids[code]
                    rows.append(ev)
            DossierEvent.objects.bulk_create(rows, batch_size=1000)
            result.events += len(rows)
            events.clear()
        if progress:
            progress(result.dossiers)

    for day, n in _spread(dossiers, _working_days(cal, start, end), cal, rng):
        working = cal.is_working_day(day)
        for _ in range(n):
            offer = rng.choices(offers, cum_weights=cum_weights)[0]
            agency, procedure = offer.agency, offer.procedure
            if not working and agency.pk not in saturday_ok:
                channel = Channel.ONLINE  # on a Saturday only online dossiers arrive there
            else:
                channel = rng.choices(channels, cum_weights=channel_cum)[0]
            received = _moment(rng, day)
            if received > now:
                received = now - timedelta(minutes=rng.randint(1, 120))
            rday = received.date()
            key = (agency.pk, rday)
            counters[key] = number = counters.get(key, 0) + 1
            code = f"{agency.code}-{rday:%y%m%d}-{number:04d}"
            phone = f"09{rng.randint(10000000, 99999999)}"
            clock, due = due_of(
                hours_of[agency.pk],
                received,
                procedure.processing_amount,
                procedure.processing_unit,
            )
            status = Status.PROCESSING
            accepted: datetime | None = received
            resolved_at = returned_at = finished_at = None
            decision = timeliness = return_method = ""
            evs: list[DossierEvent] = []
            if with_events:
                evs.append(
                    DossierEvent(
                        kind=EventKind.SUBMITTED,
                        at=received,
                        agency=agency,
                        public_note=channel_label[channel],
                    )
                )
            roll = rng.random()
            field_id = procedure.field_id
            if roll < 0.025:  # refused at the counter
                status = Status.NOT_RECEIVED
                accepted = clock = due = None  # type: ignore[assignment]
                finished_at = received + timedelta(minutes=rng.randint(5, 30))
                bump(agency.pk, field_id, rday, "refused")
                if with_events:
                    evs.append(
                        DossierEvent(
                            kind=EventKind.REFUSED,
                            at=finished_at,
                            agency=agency,
                            public_note="Hồ sơ không thuộc thẩm quyền giải quyết",
                        )
                    )
            else:
                bump(agency.pk, field_id, rday, stats.RECEIVED_COUNTER[channel])
                if with_events:
                    evs.append(
                        DossierEvent(
                            kind=EventKind.RECEIVED,
                            at=received,
                            agency=agency,
                            public_note=f"Hẹn trả kết quả: {due.astimezone(TZ):%H:%M %d/%m/%Y}",
                        )
                    )
                span = max(due - clock, timedelta(hours=2))
                r = rng.random()  # most early, some on the due day, some late
                if r < 0.62:
                    resolved = clock + span * rng.uniform(0.25, 0.9)
                elif r < 0.93:
                    resolved = due - timedelta(minutes=rng.randint(1, 120))
                else:
                    resolved = due + timedelta(hours=rng.randint(2, 24 * 6))
                if roll < 0.04:  # withdrawn by the citizen
                    status = Status.WITHDRAWN
                    finished_at = min(received + span * 0.3, now)
                    bump(agency.pk, field_id, local(finished_at), "withdrawn")
                    if with_events:
                        evs.append(
                            DossierEvent(kind=EventKind.WITHDRAWN, at=finished_at, agency=agency)
                        )
                elif resolved <= now:
                    status = Status.RESOLVED
                    resolved_at = resolved
                    decision = Decision.APPROVED if rng.random() > 0.02 else Decision.DENIED
                    timeliness = timeliness_of(resolved, due)
                    bump(agency.pk, field_id, local(resolved), stats.RESOLVED_COUNTER[timeliness])
                    if with_events:
                        evs.append(
                            DossierEvent(
                                kind=EventKind.RESOLVED,
                                at=resolved,
                                agency=agency,
                                public_note=str(Decision(decision).label),
                            )
                        )
                    returned = resolved + timedelta(hours=rng.choice([1, 2, 4, 20, 24, 48, 72]))
                    if returned <= now:
                        status = Status.RETURNED
                        returned_at = finished_at = returned
                        return_method = RETURN_OF[channel]
                        bump(agency.pk, field_id, local(returned), "returned")
                        if with_events:
                            evs.append(
                                DossierEvent(
                                    kind=EventKind.RESULT_RETURNED,
                                    at=returned,
                                    agency=agency,
                                    public_note=str(ReturnMethod(return_method).label),
                                )
                            )
            result.by_status[status] += 1
            writer.add(
                (
                    code,
                    agency.pk,
                    agency.pk,
                    None,
                    procedure.pk,
                    field_id,
                    status,
                    channel,
                    _name(rng),
                    phone,
                    phone[-4:],
                    f"{rng.choice(HAMLETS)}, {agency.unit.name}",
                    "",
                    "",
                    docs_json[id(offer)],
                    "[]",
                    amount_of(procedure.processing_amount),
                    procedure.processing_unit,
                    when(received),
                    None,
                    when(accepted),
                    when(clock),
                    when(due),
                    when(due),
                    None,
                    when(clock),
                    when(resolved_at),
                    when(returned_at),
                    when(finished_at),
                    decision,
                    "",
                    timeliness,
                    return_method,
                    0,
                    0,
                    0,
                    None,
                    False,
                )
            )
            if with_events:
                events.append((code, evs))
            if len(writer.rows) >= batch_size:
                flush()
    flush()
    _write_counters(counters)
    result.stat_rows = _write_stats(stat_counts)
    result.seconds = _time.monotonic() - started
    return result


def local(value: datetime) -> date:
    return value.astimezone(TZ).date()


def _write_counters(counters: dict[tuple[int, date], int]) -> None:
    table = DossierCounter._meta.db_table
    sql = (
        f"INSERT INTO {table} (agency_id, day, last_number) VALUES (%s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (agency_id, day) DO UPDATE SET last_number = "
        f"CASE WHEN {table}.last_number > excluded.last_number THEN {table}.last_number "
        "ELSE excluded.last_number END"
    )
    rows: list[Any] = [(a, d, n) for (a, d), n in counters.items()]
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i : i + 5000])


def _write_stats(counts: dict[stats.StatKey, Counter[str]]) -> int:
    """Add the generated counts to the daily and monthly counters (rows may already exist)."""
    return stats.add_counts(counts)
