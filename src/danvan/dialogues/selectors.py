"""Reads of the dialogues app: back office (scoped), public pages, the public follow-up of
commitments, counts per commune against the yearly minimum, and the report indicators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from danvan.core import search
from danvan.core.calendar import TZ
from danvan.dialogues.models import (
    Commitment,
    CommitmentState,
    Dialogue,
    DialogueStatus,
    ProgressReport,
    Question,
    QuestionStatus,
    kept_on_time_q,
    overdue_q,
)
from danvan.org.models import AdminUnit, UnitLevel
from danvan.org.selectors import agency_scope_q

SEARCH_DIALOGUE = "dialogues.dialogue"
DUE_SOON_WORKING_DAYS = 3
# Law 10/2022/QH15 on grassroots democracy: the chair of a commune's People's Committee holds a
# dialogue with the people at least once a year.
MIN_DIALOGUES_PER_COMMUNE_YEAR = 1


def due_soon_limit(today: date) -> date:
    """The last day a commitment counts as "due soon": a few working days ahead."""
    from danvan.core.calendar import get_calendar

    return get_calendar().working_days_after(today, DUE_SOON_WORKING_DAYS)


def with_states(rows: list[Commitment], today: date | None = None) -> list[Commitment]:
    """Set every row's state for today with one calendar look-up."""
    today = today or timezone.localdate()
    limit = due_soon_limit(today)
    for c in rows:
        c.__dict__["_derived_state"] = c.state_on(today, soon_limit=limit)
    return rows


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time.min, TZ),
        datetime.combine(end + timedelta(days=1), time.min, TZ),
    )


# --- back office --------------------------------------------------------------------------------
def dialogues_for(user: Any, *, q: str = "", status: str = "") -> QuerySet[Dialogue]:
    qs = Dialogue.objects.filter(agency_scope_q(user))
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = search.filter_queryset(qs, SEARCH_DIALOGUE, q)
    return (
        qs.select_related("agency__unit")
        .annotate(
            n_questions=Count("questions", distinct=True),
            n_pending=Count(
                "questions", filter=Q(questions__status=QuestionStatus.PENDING), distinct=True
            ),
            n_commitments=Count("commitments", distinct=True),
        )
        .order_by("-starts_at", "-pk")
    )


def dialogue_for(user: Any, pk: int) -> Dialogue:
    d = (
        Dialogue.objects.filter(agency_scope_q(user), pk=pk)
        .select_related("agency__unit", "host__user")
        .first()
    )
    if d is None:
        raise Http404
    return d


def questions_of(d: Dialogue, *, public: bool = False) -> list[Question]:
    qs = d.questions.all()
    if public:
        qs = qs.filter(status=QuestionStatus.ACCEPTED)
    return list(qs.order_by("origin", "submitted_at", "pk"))


def commitments_of(d: Dialogue) -> list[Commitment]:
    return with_states(
        list(
            d.commitments.select_related("owner")
            .prefetch_related(
                Prefetch("reports", queryset=ProgressReport.objects.select_related("evidence"))
            )
            .order_by("due_on", "pk")
        )
    )


def commitments_for(
    user: Any, *, overdue_only: bool = False, today: date | None = None
) -> QuerySet[Commitment]:
    """Commitments the user's scope owns, or made at dialogues the scope organised."""
    qs = Commitment.objects.filter(
        agency_scope_q(user, field="owner") | agency_scope_q(user, field="dialogue__agency")
    ).exclude(dialogue__status=DialogueStatus.CANCELLED)
    if overdue_only:
        qs = qs.filter(overdue_q(today or timezone.localdate()))
    return qs.select_related("owner", "dialogue__agency").order_by("due_on", "pk")


def commitment_for(user: Any, pk: int) -> Commitment:
    c = commitments_for(user).filter(pk=pk).first()
    if c is None:
        raise Http404
    return c


# --- public -------------------------------------------------------------------------------------
PUBLIC_STATUSES = (DialogueStatus.SCHEDULED, DialogueStatus.HELD)


def public_dialogues(*, q: str = "", when: str = "") -> QuerySet[Dialogue]:
    qs = Dialogue.objects.filter(status__in=PUBLIC_STATUSES)
    now = timezone.now()
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now)
    elif when == "past":
        qs = qs.filter(ends_at__lt=now)
    if q:
        qs = search.filter_queryset(qs, SEARCH_DIALOGUE, q)
    return (
        qs.select_related("agency__unit")
        .annotate(n_commitments=Count("commitments"))
        .order_by("-starts_at", "-pk")
    )


def public_dialogue(pk: int) -> Dialogue:
    d = (
        Dialogue.objects.filter(pk=pk, status__in=(*PUBLIC_STATUSES, DialogueStatus.CANCELLED))
        .select_related("agency__unit")
        .prefetch_related("participants", "affected_units")
        .first()
    )
    if d is None:
        raise Http404
    return d


def calendar_dialogues(agency_id: int | None = None) -> QuerySet[Dialogue]:
    """The feed: dialogues of the last year and every one to come (cancelled ones too, so that
    calendars that had them learn of the cancellation)."""
    since = timezone.now() - timedelta(days=366)
    qs = Dialogue.objects.filter(starts_at__gte=since)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return qs.select_related("agency").order_by("starts_at")


def public_commitments(*, state: str = "", agency_id: int | None = None) -> list[Commitment]:
    """Every commitment of every (not cancelled) dialogue, with its derived state."""
    qs = (
        Commitment.objects.exclude(dialogue__status=DialogueStatus.CANCELLED)
        .select_related("owner", "dialogue__agency")
        .prefetch_related(
            Prefetch("reports", queryset=ProgressReport.objects.order_by("reported_at"))
        )
        .order_by("-dialogue__starts_at", "due_on", "pk")
    )
    if agency_id:
        qs = qs.filter(Q(owner_id=agency_id) | Q(dialogue__agency_id=agency_id))
    rows = with_states(list(qs))
    for c in rows:
        reports = list(c.reports.all())
        c.latest_report = reports[-1] if reports else None  # type: ignore[attr-defined]
    if state:
        rows = [c for c in rows if c.state == state]
    return rows


@dataclass(frozen=True)
class CommitmentSummary:
    total: int
    done_on_time: int
    done_late: int
    overdue: int
    open: int

    @property
    def kept_share(self) -> Decimal | None:
        done = self.done_on_time + self.done_late + self.overdue
        if not done:
            return None
        return (Decimal(self.done_on_time) * 100 / done).quantize(Decimal("0.1"))


def summarise(commitments: list[Commitment]) -> CommitmentSummary:
    states = [c.state for c in commitments]
    return CommitmentSummary(
        total=len(states),
        done_on_time=states.count(CommitmentState.DONE_ON_TIME),
        done_late=states.count(CommitmentState.DONE_LATE),
        overdue=states.count(CommitmentState.OVERDUE),
        open=states.count(CommitmentState.ON_TRACK) + states.count(CommitmentState.DUE_SOON),
    )


# --- dialogues per commune against the yearly minimum -------------------------------------------
@dataclass(frozen=True)
class UnitCount:
    unit: AdminUnit
    held: int
    minimum: int

    @property
    def meets_minimum(self) -> bool:
        return self.held >= self.minimum


def dialogue_counts(*, units: QuerySet[AdminUnit], start: date, end: date) -> list[UnitCount]:
    """Dialogues held in the period by the agencies of each unit; communes are held to one a year (per full year of the period)."""
    lo, hi = _bounds(start, end)
    years = max(1, round((end - start).days / 365))
    held = Dialogue.objects.filter(status=DialogueStatus.HELD, starts_at__gte=lo, starts_at__lt=hi)
    per_unit = dict(
        held.values_list("agency__unit_id")
        .annotate(n=Count("pk"))
        .values_list("agency__unit_id", "n")
    )
    rows = []
    for unit in units.order_by("path"):
        count = per_unit.get(unit.pk, 0)
        minimum = MIN_DIALOGUES_PER_COMMUNE_YEAR * years if unit.level == UnitLevel.COMMUNE else 0
        rows.append(UnitCount(unit=unit, held=count, minimum=minimum))
    return rows


def units_for_counts(user: Any) -> QuerySet[AdminUnit]:
    """Communes (and districts) in the user's scope: their unit and below, or the province."""
    from danvan.org.selectors import official_of, roles_of

    official = official_of(user)
    if official is None:
        return AdminUnit.objects.none()
    qs = AdminUnit.objects.filter(
        valid_to__isnull=True, level__in=[UnitLevel.COMMUNE, UnitLevel.DISTRICT]
    )
    if roles_of(user) & {"home_affairs", "sysadmin", "inspector"}:
        return qs
    return qs.filter(path__startswith=official.agency.unit.path)


# --- indicators ---------------------------------------------------------------------------------
def dialogues_held(agency_ids: list[int], start: date, end: date) -> int:
    lo, hi = _bounds(start, end)
    return Dialogue.objects.filter(
        agency_id__in=agency_ids, status=DialogueStatus.HELD, starts_at__gte=lo, starts_at__lt=hi
    ).count()


def commitments_kept_on_time_by_agency(
    agency_ids: list[int], start: date, end: date
) -> dict[int, Decimal | int | None]:
    """:func:`commitments_kept_on_time` for each owner agency, in one query."""
    today = timezone.localdate()
    rows = (
        Commitment.objects.filter(
            owner_id__in=agency_ids, due_on__gte=start, due_on__lte=min(end, today)
        )
        .exclude(dialogue__status=DialogueStatus.CANCELLED)
        .values("owner_id")
        .annotate(total=Count("pk"), kept=Count("pk", filter=kept_on_time_q()))
    )
    return {
        r["owner_id"]: (Decimal(r["kept"]) * 100 / Decimal(r["total"])).quantize(Decimal("0.1"))
        for r in rows
        if r["total"]
    }


def commitments_kept_on_time(agency_ids: list[int], start: date, end: date) -> Decimal | None:
    """Share (%) of the commitments owned by the agencies and due in the period (up to today)
    that were done by their due date. None when none was due."""
    today = timezone.localdate()
    qs = Commitment.objects.filter(
        owner_id__in=agency_ids, due_on__gte=start, due_on__lte=min(end, today)
    ).exclude(dialogue__status=DialogueStatus.CANCELLED)
    agg = qs.aggregate(
        total=Count("pk"),
        kept=Count("pk", filter=kept_on_time_q()),
    )
    if not agg["total"]:
        return None
    return (Decimal(agg["kept"]) * 100 / Decimal(agg["total"])).quantize(Decimal("0.1"))
