"""Reads of the one-stop shop. Selectors that return records to a person take that person and
apply their scope (:func:`danvan.org.selectors.agency_scope_q`)."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danvan.core import search
from danvan.core.calendar import TZ, get_calendar
from danvan.core.errors import NotFoundError, RateLimited
from danvan.onestop.models import (
    DailyStat,
    Dossier,
    DossierEvent,
    DossierQuerySet,
    EventKind,
    MonthlyStat,
    Procedure,
    ProcedureDocument,
    ProcedureField,
    ProcedureReview,
    Status,
)
from danvan.onestop.services import SEARCH_KIND
from danvan.org.models import Agency
from danvan.org.selectors import agency_scope_q, official_of

ERR_LOOKUP = gettext_noop(
    "Không tìm thấy hồ sơ với mã số và 4 số cuối điện thoại này. Vui lòng kiểm tra lại mã số in "
    "trên giấy tiếp nhận."
)
ERR_LOOKUP_LIMIT = gettext_noop(
    "Bạn đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút hoặc liên hệ Bộ phận "
    "Một cửa."
)
ERR_NO_PROCEDURE = gettext_noop("Không tìm thấy thủ tục.")
ERR_NO_DOSSIER = gettext_noop("Không tìm thấy hồ sơ.")
LOOKUP_FAILURES = 10  # per address, and per dossier code, in the window
LOOKUP_WINDOW = 15 * 60  # seconds


# --- catalogue ---------------------------------------------------------------------------------
def procedure_catalogue(
    *,
    q: str = "",
    field: int | None = None,
    agency: int | None = None,
    level: str = "",
    online: bool = False,
) -> QuerySet[Procedure]:
    """The public catalogue: published procedures, searched without diacritics, filtered."""
    qs = Procedure.objects.filter(is_published=True).select_related("field", "agency")
    if field:
        qs = qs.filter(field_id=field)
    if agency:
        qs = qs.filter(agency_id=agency)
    if level:
        qs = qs.filter(level=level)
    if online:
        qs = qs.exclude(online="none")
    return search.filter_queryset(qs, SEARCH_KIND, q).order_by("field__name", "name")


def procedure_detail(code: str) -> Procedure:
    procedure = (
        Procedure.objects.filter(code=code, is_published=True)
        .select_related("field", "agency")
        .prefetch_related(
            Prefetch("documents", queryset=ProcedureDocument.objects.order_by("position", "pk")),
            "forms",
        )
        .first()
    )
    if procedure is None:
        raise NotFoundError(_(ERR_NO_PROCEDURE))
    return procedure


def fields_in_use() -> QuerySet[ProcedureField]:
    return ProcedureField.objects.filter(
        pk__in=Procedure.objects.filter(is_published=True).values("field_id")
    ).order_by("name")


def agencies_with_procedures() -> QuerySet[Agency]:
    return Agency.objects.filter(
        pk__in=Procedure.objects.filter(is_published=True).values("agency_id")
    ).order_by("name")


def procedures_receivable_by(user: Any) -> QuerySet[Procedure]:
    """Procedures the user's agency receives: its own, and those of its level with no agency."""
    official = official_of(user)
    if official is None:
        return Procedure.objects.none()
    agency = official.agency
    return (
        Procedure.objects.filter(is_published=True)
        .filter(Q(agency=agency) | Q(agency__isnull=True, level=agency.unit.level))
        .select_related("field")
        .order_by("name")
    )


def reviews_for(user: Any) -> QuerySet[ProcedureReview]:
    return (
        ProcedureReview.objects.filter(agency_scope_q(user, "agency"))
        .select_related("procedure", "agency", "reviewed_by")
        .order_by("-year", "-created_at")
    )


# --- dossiers ----------------------------------------------------------------------------------
def dossier_scope_q(user: Any) -> Q:
    """Dossiers received by, or being handled in, an agency the user may see."""
    received = agency_scope_q(user, "agency")
    if not received.children and not received.negated:  # Q(): the whole province
        return received
    return received | agency_scope_q(user, "handling_agency")


def dossiers_for(user: Any) -> DossierQuerySet:
    return (
        Dossier.objects.filter(dossier_scope_q(user))
        .select_related("agency", "handling_agency", "procedure", "handler")
        .order_by("-received_at")
    )


def dossier_for(user: Any, code: str) -> Dossier:
    dossier = (
        Dossier.objects.filter(dossier_scope_q(user), code=code)
        .select_related(
            "agency__unit", "handling_agency__unit", "procedure__field", "handler", "received_by"
        )
        .first()
    )
    if dossier is None:
        raise NotFoundError(_(ERR_NO_DOSSIER))
    return dossier


@dataclass(frozen=True)
class DossierFilter:
    q: str = ""
    status: str = ""
    state: str = ""  # overdue, due_soon, late_without_apology, unfinished, mine
    agency: int | None = None
    field: int | None = None
    received_from: date | None = None
    received_to: date | None = None


def dossier_list(user: Any, f: DossierFilter) -> DossierQuerySet:
    qs = dossiers_for(user)
    now = timezone.now()
    if f.q:
        term = f.q.strip()
        qs = qs.filter(
            Q(code__iexact=term)
            | Q(code__startswith=term.upper())
            | Q(applicant_name__icontains=term)
        )
    if f.status:
        qs = qs.filter(status=f.status)
    if f.state == "overdue":
        qs = qs.overdue(now)
    elif f.state == "due_soon":
        qs = qs.due_soon(now, get_calendar())
    elif f.state == "late_without_apology":
        qs = qs.late_without_apology(now)
    elif f.state == "unfinished":
        qs = qs.unfinished()
    elif f.state == "mine":
        qs = qs.unfinished().filter(handler=user)
    if f.agency:
        qs = qs.filter(Q(agency_id=f.agency) | Q(handling_agency_id=f.agency))
    if f.field:
        qs = qs.filter(field_id=f.field)
    if f.received_from:
        qs = qs.filter(received_at__gte=datetime.combine(f.received_from, time.min, TZ))
    if f.received_to:
        qs = qs.filter(received_at__lte=datetime.combine(f.received_to, time.max, TZ))
    return qs


def late_without_apology_for(user: Any) -> QuerySet[Dossier]:
    """Running dossiers past their due time that have no apology: for the heads of agencies."""
    return dossiers_for(user).late_without_apology(timezone.now()).order_by("due_at")


def register_for(user: Any, day: date, agency: Agency | None = None) -> QuerySet[Dossier]:
    """Form 06: the dossiers received on ``day`` by the agencies in the user's scope."""
    qs = Dossier.objects.filter(agency_scope_q(user, "agency")).filter(
        received_at__gte=datetime.combine(day, time.min, TZ),
        received_at__lte=datetime.combine(day, time.max, TZ),
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.select_related("agency", "procedure", "handling_agency").order_by(
        "agency__name", "code"
    )


def timeline(dossier: Dossier, *, public: bool) -> list[DossierEvent]:
    qs = dossier.events.select_related("agency").order_by("at", "pk")
    if not public:
        qs = qs.select_related("actor")
    return list(qs)


# --- public look-up ----------------------------------------------------------------------------
def _fail_keys(client: str, code: str) -> list[str]:
    return [f"onestop:lookup:ip:{client}", f"onestop:lookup:code:{code.upper()}"]


def _limited[T](
    code: str, client: str, fetch: Callable[[str], tuple[T, str] | None]
) -> tuple[tuple[T, str] | None, list[str]]:
    """The rate-limited check shared by the look-up page and the API."""
    code = (code or "").strip().upper()
    keys = _fail_keys(client, code)
    counts = cache.get_many(keys)
    if any(int(counts.get(k, 0)) >= LOOKUP_FAILURES for k in keys):
        raise RateLimited(_(ERR_LOOKUP_LIMIT).format(minutes=LOOKUP_WINDOW // 60))
    found = fetch(code) if code else None
    return found, keys


def _check[T](found: tuple[T, str] | None, digits: str, keys: list[str]) -> T:
    digits = "".join(ch for ch in (digits or "") if ch.isdigit())
    expected = found[1] if found is not None else "0000"
    if found is None or not hmac.compare_digest(expected.encode(), digits.encode()):
        for k in keys:
            try:
                cache.incr(k)
            except ValueError:
                cache.set(k, 1, LOOKUP_WINDOW)
        raise NotFoundError(_(ERR_LOOKUP))
    return found[0]


def public_lookup(*, code: str, phone_last4: str, client: str) -> Dossier:
    """The dossier for a code and the last 4 digits of the applicant's phone.

    A wrong combination — unknown code or wrong digits — answers the same "not found"; after
    :data:`LOOKUP_FAILURES` failures from one address, or on one code, within the window every
    attempt is refused (:class:`RateLimited`), right or wrong, so guessing learns nothing.
    """

    def fetch(c: str) -> tuple[Dossier, str] | None:
        d = (
            Dossier.objects.filter(code=c)
            .select_related("procedure", "agency", "handling_agency")
            .first()
        )
        return (d, d.phone_last4) if d is not None else None

    found, keys = _limited(code, client, fetch)
    return _check(found, phone_last4, keys)


def _dt(value: Any) -> datetime | None:
    """A datetime from a raw row (SQLite gives naive UTC text, PostgreSQL aware values)."""
    if value is None or isinstance(value, datetime):
        return value.astimezone(TZ) if value is not None and value.tzinfo else value
    parsed = parse_datetime(str(value))
    assert parsed is not None
    return parsed.replace(tzinfo=UTC).astimezone(TZ)


def public_lookup_data(*, code: str, phone_last4: str, client: str) -> dict[str, Any]:
    """The same look-up for the API, read with two plain indexed queries (the public look-up
    is the busiest read of the site): only what the citizen may see, no personal data."""
    d, p, a = Dossier._meta.db_table, Procedure._meta.db_table, Agency._meta.db_table
    sql = (
        f"SELECT d.id, d.code, d.status, d.received_at, d.appointment_at, d.returned_at, "  # noqa: S608
        f"p.code, p.name, a.name, d.phone_last4 FROM {d} d JOIN {p} p ON p.id = d.procedure_id "
        f"JOIN {a} a ON a.id = d.agency_id WHERE d.code = %s"
    )

    def fetch(c: str) -> tuple[tuple[Any, ...], str] | None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [c])
            row = cursor.fetchone()
        return (row, row[9]) if row is not None else None

    found, keys = _limited(code, client, fetch)
    row = _check(found, phone_last4, keys)
    events = DossierEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT at, kind, public_note FROM {events} WHERE dossier_id = %s ORDER BY at, id",  # noqa: S608
            [row[0]],
        )
        timeline = cursor.fetchall()
    return {
        "code": row[1],
        "procedure": {"code": row[6], "name": row[7]},
        "agency": row[8],
        "status": row[2],
        "status_label": str(Status(row[2]).label),
        "received_at": _dt(row[3]),
        "appointment_at": _dt(row[4]),
        "returned_at": _dt(row[5]),
        "timeline": [
            {"at": _dt(at), "step": str(EventKind(kind).label), "note": note}
            for at, kind, note in timeline
        ],
    }


def dossier_by_token(code: str) -> Dossier:
    dossier = (
        Dossier.objects.filter(code=code.strip().upper())
        .select_related("procedure", "agency", "handling_agency")
        .first()
    )
    if dossier is None:
        raise NotFoundError(_(ERR_LOOKUP))
    return dossier


# --- statistics --------------------------------------------------------------------------------
@dataclass
class StatRow:
    """One line of the statistics (an agency, a field, or the total)."""

    key: Any = None
    label: str = ""
    received_counter: int = 0
    received_online: int = 0
    received_post: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    returned: int = 0
    withdrawn: int = 0
    refused: int = 0
    pending_within: int = 0
    pending_overdue: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def received(self) -> int:
        return self.received_counter + self.received_online + self.received_post

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def pending(self) -> int:
        return self.pending_within + self.pending_overdue

    @property
    def on_time_rate(self) -> Decimal | None:
        """Share of resolved dossiers resolved early or on time, in percent (1 decimal)."""
        if not self.resolved:
            return None
        return (
            Decimal(100 * (self.resolved_early + self.resolved_on_time)) / self.resolved
        ).quantize(Decimal("0.1"))

    def add(self, other: StatRow) -> None:
        for name in (*DailyStat.COUNTERS, "pending_within", "pending_overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Statistics:
    start: date
    end: date
    group_by: str
    rows: list[StatRow]
    total: StatRow
    overdue_today: int


def _stat_scope(user: Any | None, agency_ids: Iterable[int] | None) -> Q:
    q = agency_scope_q(user, "agency") if user is not None else Q()
    if agency_ids is not None:
        q &= Q(agency_id__in=list(agency_ids))
    return q


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _counter_sources(start: date, end: date) -> list[QuerySet[Any]]:
    """The counter rows that make up ``[start, end]``: whole months from the monthly table, the
    days of the partial months at either end from the daily table."""
    first_full = start if start.day == 1 else _next_month(start)
    after_last_full = (
        _next_month(end) if _next_month(end) - timedelta(days=1) == end else end.replace(day=1)
    )
    if first_full >= after_last_full:  # no whole month inside: days only
        return [DailyStat.objects.filter(day__gte=start, day__lte=end)]
    sources: list[QuerySet[Any]] = [
        MonthlyStat.objects.filter(month__gte=first_full, month__lt=after_last_full)
    ]
    if start < first_full:
        sources.append(DailyStat.objects.filter(day__gte=start, day__lt=first_full))
    if after_last_full <= end:
        sources.append(DailyStat.objects.filter(day__gte=after_last_full, day__lte=end))
    return sources


def statistics(
    *,
    user: Any | None,
    start: date,
    end: date,
    group_by: str = "agency",
    agency_ids: Iterable[int] | None = None,
    field_id: int | None = None,
    now: datetime | None = None,
) -> Statistics:
    """Received (at the counter / online / by post), resolved early / on time / late, returned,
    withdrawn and refused in ``[start, end]`` from the daily counters; pending within and past
    due (as of ``now``, for dossiers received up to ``end``) and past due today from the running
    dossiers (a partial index keeps that small). ``user=None``: no person's scope (indicators)."""
    now = now or timezone.now()
    agency_ids = list(agency_ids) if agency_ids is not None else None
    scope = _stat_scope(user, agency_ids)
    key = "agency_id" if group_by == "agency" else "field_id"
    sums = {name: Sum(name) for name in DailyStat.COUNTERS}
    rows: dict[Any, StatRow] = {}
    for qs in _counter_sources(start, end):
        qs = qs.filter(scope)
        if field_id:
            qs = qs.filter(field_id=field_id)
        for r in qs.values(key).annotate(**sums).order_by():
            row = rows.setdefault(r[key], StatRow(key=r[key]))
            for name in DailyStat.COUNTERS:
                setattr(row, name, getattr(row, name) + int(r[name] or 0))
    running = Dossier.objects.running().filter(scope)
    if field_id:
        running = running.filter(field_id=field_id)
    end_moment = datetime.combine(end, time.max, TZ)
    pending = (
        running.filter(received_at__lte=end_moment)
        .values(key)
        .annotate(
            within=Count("pk", filter=Q(due_at__gte=now)),
            overdue=Count("pk", filter=Q(due_at__lt=now)),
        )
        .order_by()
    )
    for r in pending:
        row = rows.setdefault(r[key], StatRow(key=r[key]))
        row.pending_within = r["within"]
        row.pending_overdue = r["overdue"]
    today_start = datetime.combine(now.astimezone(TZ).date(), time.min, TZ)
    overdue_today = running.filter(due_at__gte=today_start, due_at__lt=now).count()
    labels: dict[Any, str]
    if group_by == "agency":
        labels = dict(Agency.objects.filter(pk__in=list(rows)).values_list("pk", "name"))
    else:
        labels = dict(ProcedureField.objects.filter(pk__in=list(rows)).values_list("pk", "name"))
    total = StatRow(label=_("Tổng cộng"))
    out = []
    for k, row in rows.items():
        row.label = labels.get(k, str(k))
        total.add(row)
        out.append(row)
    out.sort(key=lambda r: r.label)
    return Statistics(start, end, group_by, out, total, overdue_today)


def dossier_counts_for(user: Any) -> dict[str, int]:
    """The back-office widget: running, overdue, due soon, late without apology, waiting — each
    from the one definition of its state (:class:`~danvan.onestop.models.DossierQuerySet`)."""
    now = timezone.now()
    base: DossierQuerySet = Dossier.objects.filter(dossier_scope_q(user))
    return {
        "running": base.running().count(),
        "overdue": base.overdue(now).count(),
        "due_soon": base.due_soon(now, get_calendar()).count(),
        "late_without_apology": base.late_without_apology(now).count(),
        "waiting": base.filter(
            status__in=[Status.NEW, Status.SUPPLEMENT, Status.AWAITING_PAYMENT, Status.SUSPENDED]
        ).count(),
    }
