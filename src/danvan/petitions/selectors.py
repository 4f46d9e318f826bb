"""Reads of the petitions app. Every selector that returns records to a person takes that person
and applies their scope; what a person reads of a protected identity goes through
:func:`petitioner_label` (masked) or the audited reveal service."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core import memo, search
from danvan.core.calendar import as_local, get_calendar
from danvan.core.text import terms
from danvan.org.models import Agency, AgencyKind, Official, UnitLevel
from danvan.org.roles import Role
from danvan.org.selectors import official_of
from danvan.petitions import identity as idn
from danvan.petitions.models import (
    MASS_CASE_MIN,
    OPEN_STATUSES,
    Assignment,
    Petition,
    PetitionKind,
    ReceptionDay,
    ReceptionEntry,
    ReceptionQuota,
    Status,
    due_before_q,
    long_running_q,
    overdue_q,
)
from danvan.petitions.services import SEARCH_KIND, identity_of
from danvan.shell.registry import Period

DUE_SOON_WORKING_DAYS = 2
ANONYMOUS_LABEL = "Nặc danh"


# --- scope --------------------------------------------------------------------------------------
def scope_q(user: Any, field: str = "agency") -> Q:
    """Petitions (or reception entries) a person may see: their own agency's (front desk,
    handlers, head, committee leader); their unit and below (committee leaders, inspectors).
    Home Affairs and administrators see none (statistics only)."""
    official = official_of(user)
    if official is None:
        return Q(pk__in=[])
    roles = official.role_codes
    q = Q(pk__in=[])
    if roles & {Role.FRONT_DESK, Role.HANDLER, Role.HEAD, Role.COMMITTEE_LEADER}:
        q |= Q(**{f"{field}_id": official.agency_id})
    if roles & {Role.COMMITTEE_LEADER, Role.INSPECTOR}:
        q |= Q(**{f"{field}__unit__path__startswith": official.agency.unit.path})
    return q


def stats_agencies(user: Any) -> QuerySet[Agency]:
    """Agencies whose statistics a person may read (Home Affairs: the whole province)."""
    official = official_of(user)
    if official is None:
        return Agency.objects.none()
    roles = official.role_codes
    if roles & {Role.HOME_AFFAIRS, Role.SYSADMIN}:
        return Agency.objects.filter(is_partner=False)
    if roles & {Role.COMMITTEE_LEADER, Role.INSPECTOR}:
        return Agency.objects.filter(unit__path__startswith=official.agency.unit.path)
    return Agency.objects.filter(pk=official.agency_id)


def petitions_for(
    user: Any,
    *,
    status: str = "",
    kind: str = "",
    tag: str = "",
    q: str = "",
    agency_id: int | None = None,
) -> QuerySet[Petition]:
    qs: QuerySet[Petition] = (
        Petition.objects.filter(scope_q(user)).select_related("agency").prefetch_related("tags")
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if tag:
        qs = qs.filter(tags__code=tag)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if q:
        qs = search.filter_queryset(qs, SEARCH_KIND, q)
    return qs.order_by("-received_at", "-pk")


def petition_for(user: Any, pk: int) -> Petition | None:
    return (
        Petition.objects.filter(scope_q(user), pk=pk)
        .select_related(
            "agency__unit",
            "first_round",
            "duplicate_of",
            "transferred_to",
            "transferred_from__agency",
            "received_by",
        )
        .prefetch_related(
            "tags",
            Prefetch("assignments", queryset=Assignment.objects.select_related("official__user")),
            "events__actor",
            "documents",
            "extensions",
        )
        .first()
    )


def overdue_for(user: Any, now: datetime | None = None) -> QuerySet[Petition]:
    now = now or timezone.now()
    return (
        Petition.objects.filter(scope_q(user))
        .overdue(now)
        .select_related("agency")
        .order_by("current_due_at")
    )


def long_running_for(user: Any, now: datetime | None = None) -> QuerySet[Petition]:
    now = now or timezone.now()
    return (
        Petition.objects.filter(scope_q(user))
        .long_running(now)
        .select_related("agency")
        .prefetch_related("tags")
        .order_by("resolution_due_at")
    )


def due_soon_until(now: datetime) -> datetime:
    """The end of the "due soon" window: the end of the 2nd working day after today."""
    day = get_calendar().working_days_after(as_local(now).date(), DUE_SOON_WORKING_DAYS)
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))


def due_soon_for(user: Any, now: datetime | None = None) -> QuerySet[Petition]:
    now = now or timezone.now()
    return (
        Petition.objects.filter(scope_q(user))
        .due_before(now, due_soon_until(now))
        .select_related("agency")
        .order_by("current_due_at")
    )


def duplicate_candidates(user: Any, petition: Petition, limit: int = 10) -> list[Petition]:
    """Earlier cases of the same agency from the same person (blind index of the name) or with
    similar content (full-text search on the main words of the subject)."""
    base = Petition.objects.filter(scope_q(user), agency_id=petition.agency_id).exclude(
        pk=petition.pk
    )
    by_person: QuerySet[Petition] = base.none()
    if petition.person_digest:
        name = identity_of(petition).name
        digests = idn.person_digests(name) or [petition.person_digest]
        by_person = base.filter(person_digest__in=digests)
    words = list(dict.fromkeys(w for w in terms(petition.subject) if len(w) > 2))[:8]
    by_text: QuerySet[Petition] = base.none()
    if words:
        hits: dict[int, int] = {}
        for word in words:
            for pk in search.search_ids(SEARCH_KIND, f"{word} ", limit=500):
                hits[pk] = hits.get(pk, 0) + 1
        needed = max(2, (len(words) + 1) // 2)
        by_text = base.filter(pk__in=[pk for pk, n in hits.items() if n >= needed])
    person_ids = set(by_person.values_list("pk", flat=True))
    found = list(
        (by_person | by_text).select_related("agency").order_by("-received_at")[: limit * 3]
    )
    found.sort(key=lambda p: (p.pk not in person_ids, -p.received_at.timestamp()))
    for p in found:
        p.same_person = p.pk in person_ids  # type: ignore[attr-defined]
    return found[:limit]


def may_see_identity(user: Any, petition: Petition) -> bool:
    return bool(user.has_perm("petitions.reveal_identity", petition))


def petitioner_label(petition: Petition) -> str:
    """What lists, exports and the API show as the sender: never a protected identity."""
    if petition.is_anonymous:
        return ANONYMOUS_LABEL
    if petition.protected:
        return str(idn.MASKED_LABEL)
    name = petition.petitioner_name
    if petition.is_mass_case:
        return f"{name} ({_('và')} {petition.signers_count - 1} {_('người khác')})"
    return name


def entry_visitors_label(entry: ReceptionEntry) -> str:
    if entry.protected:
        return str(idn.MASKED_LABEL)
    names = [v.get("name", "") for v in entry.visitors or []]
    if not names:
        return ""
    more = entry.visitor_count - 1
    return names[0] + (f" ({_('và')} {more} {_('người khác')})" if more > 0 else "")


# --- reception ----------------------------------------------------------------------------------
def reception_entries_for(user: Any, *, q: str = "") -> QuerySet[ReceptionEntry]:
    qs = (
        ReceptionEntry.objects.filter(scope_q(user))
        .select_related("agency", "receiver", "petition", "reception_day__leader__user")
        .order_by("-received_at", "-pk")
    )
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(content__icontains=q))
    return qs


def reception_days_for(user: Any, start: date, end: date) -> QuerySet[ReceptionDay]:
    return (
        ReceptionDay.objects.filter(scope_q(user), day__gte=start, day__lte=end)
        .select_related("agency", "leader__user")
        .order_by("day", "start_time")
    )


def public_schedule(start: date, end: date) -> QuerySet[ReceptionDay]:
    """Published reception days (public information: leader, position, place, time)."""
    return (
        ReceptionDay.objects.filter(published=True, day__gte=start, day__lte=end)
        .select_related("agency__unit", "leader__user")
        .order_by("day", "start_time", "agency__name")
    )


def leader_level(agency: Agency) -> str:
    if agency.kind == AgencyKind.PEOPLES_COMMITTEE:
        return {
            UnitLevel.COMMUNE: ReceptionQuota.Level.COMMUNE_CHAIR,
            UnitLevel.DISTRICT: ReceptionQuota.Level.DISTRICT_CHAIR,
            UnitLevel.PROVINCE: ReceptionQuota.Level.PROVINCE_CHAIR,
        }[UnitLevel(agency.unit.level)]
    return ReceptionQuota.Level.AGENCY_HEAD


def quota_for(level: str, on: date) -> ReceptionQuota | None:
    return (
        ReceptionQuota.objects.filter(level=level, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


@dataclass(frozen=True)
class Shortfall:
    leader: Official
    agency: Agency
    level: str
    quota: ReceptionQuota
    required: int
    scheduled: int
    missing_weeks: list[date]

    @property
    def message(self) -> str:
        if self.quota.per == ReceptionQuota.Per.WEEK:
            weeks = ", ".join(f"{d:%d/%m}" for d in self.missing_weeks)
            return _(
                "Chưa có ngày tiếp trong các tuần bắt đầu %(weeks)s (tối thiểu %(n)s ngày/tuần)."
            ) % {
                "weeks": weeks,
                "n": self.quota.days,
            }
        return _("Mới có %(got)s/%(need)s ngày tiếp trong tháng.") % {
            "got": self.scheduled,
            "need": self.required,
        }


def _weeks_of_month(year: int, month: int) -> list[date]:
    """Mondays of the ISO weeks that belong to the month (their Thursday is in it)."""
    first = date(year, month, 1)
    monday = first - timedelta(days=first.weekday())
    out = []
    while True:
        thursday = monday + timedelta(days=3)
        if thursday.month == month and thursday.year == year:
            out.append(monday)
        elif thursday > first and thursday.month != month:
            break
        monday += timedelta(days=7)
    return out


def reception_shortfalls(user: Any, year: int, month: int) -> list[Shortfall]:
    """Leaders (heads and People's Committee leaders) of the agencies in the user's scope who are
    below the legal minimum of reception days for their level in the month."""
    first = date(year, month, 1)
    last = date(year, month, pycalendar.monthrange(year, month)[1])
    leaders = list(
        Official.objects.filter(
            scope_q(user, field="agency"),
            is_active=True,
            roles__role__in=[Role.HEAD, Role.COMMITTEE_LEADER],
        )
        .select_related("agency__unit", "user")
        .distinct()
        .order_by("agency__name", "user__full_name")
    )
    days = list(
        ReceptionDay.objects.filter(
            leader__in=leaders,
            day__gte=first - timedelta(days=6),
            day__lte=last + timedelta(days=6),
        ).values_list("leader_id", "day")
    )
    by_leader: dict[int, list[date]] = {}
    for leader_id, day in days:
        by_leader.setdefault(leader_id, []).append(day)
    quotas = {lvl: quota_for(lvl, first) for lvl in ReceptionQuota.Level.values}
    out: list[Shortfall] = []
    for leader in leaders:
        level = leader_level(leader.agency)
        quota = quotas.get(level)
        if quota is None:
            continue
        scheduled_days = by_leader.get(leader.pk, [])
        in_month = [d for d in scheduled_days if first <= d <= last]
        if quota.per == ReceptionQuota.Per.WEEK:
            weeks = _weeks_of_month(year, month)
            missing = [
                w
                for w in weeks
                if sum(1 for d in scheduled_days if w <= d < w + timedelta(days=7)) < quota.days
            ]
            if missing:
                out.append(
                    Shortfall(
                        leader,
                        leader.agency,
                        level,
                        quota,
                        quota.days * len(weeks),
                        len(in_month),
                        missing,
                    )
                )
        elif len(in_month) < quota.days:
            out.append(
                Shortfall(leader, leader.agency, level, quota, quota.days, len(in_month), [])
            )
    return out


# --- the public status page ---------------------------------------------------------------------
@dataclass(frozen=True)
class PublicStatus:
    """What the tracking page shows: the case's progress, never a person's data."""

    code: str
    kind: str
    agency: str
    received_on: date
    status: str
    status_code: str
    handling_due_on: date | None
    resolution_due_on: date | None
    forwarded_to: str
    resolved_on: date | None
    decision_symbol: str


def public_status(tracking_code: str) -> PublicStatus | None:
    code = (tracking_code or "").strip().upper().replace(" ", "")
    if len(code) == 12 and "-" not in code:
        code = f"{code[:4]}-{code[4:8]}-{code[8:]}"
    if len(code) != 14:
        return None
    p = Petition.objects.select_related("agency").filter(tracking_code=code).first()
    if p is None:
        return None
    return PublicStatus(
        code=p.code,
        kind=p.get_kind_display(),
        agency=p.agency.name,
        received_on=as_local(p.received_at).date(),
        status=p.get_status_display(),
        status_code=p.status,
        handling_due_on=as_local(p.handling_due_at).date()
        if p.handling_due_at and p.status == Status.RECEIVED
        else None,
        resolution_due_on=as_local(p.resolution_due_at).date() if p.resolution_due_at else None,
        forwarded_to=p.guided_to or p.transferred_to_name,
        resolved_on=as_local(p.resolved_at).date() if p.resolved_at else None,
        decision_symbol=p.decision_symbol if p.status == Status.RESOLVED else "",
    )


# --- statistics ---------------------------------------------------------------------------------
STAT_KEYS = [
    "visits",
    "visitors",
    "mass_visits",
    "received",
    "complaint",
    "denunciation",
    "recommendation",
    "report",
    "mixed",
    "mass_cases",
    "accepted",
    "transferred",
    "guided",
    "stored",
    "information",
    "resolved",
    "resolved_on_time",
    "resolved_late",
    "overdue",
    "long_running",
]

STAT_LABELS = {
    "visits": _("Lượt tiếp công dân"),
    "visitors": _("Số người được tiếp"),
    "mass_visits": _("Lượt tiếp đoàn đông người"),
    "received": _("Đơn nhận trong kỳ"),
    "complaint": _("Khiếu nại"),
    "denunciation": _("Tố cáo"),
    "recommendation": _("Kiến nghị"),
    "report": _("Phản ánh"),
    "mixed": _("Đơn nhiều nội dung"),
    "mass_cases": _("Đơn đông người"),
    "accepted": _("Thụ lý"),
    "transferred": _("Chuyển đơn"),
    "guided": _("Hướng dẫn"),
    "stored": _("Lưu đơn"),
    "information": _("Lưu làm thông tin (nặc danh)"),
    "resolved": _("Đã giải quyết"),
    "resolved_on_time": _("Giải quyết đúng hạn"),
    "resolved_late": _("Giải quyết quá hạn"),
    "overdue": _("Đang quá hạn"),
    "long_running": _("Tồn đọng, kéo dài"),
}


def _bounds(period: Period) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(period.start, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), datetime.min.time()))
    return start, end


@memo.scoped
def statistics_by_agency(agency_ids: list[int], period: Period) -> dict[int, dict[str, int]]:
    """Counts per agency for the period (two aggregate queries, whatever the number of agencies). Received / accepted / … count the steps taken in the period; overdue and
    long-running are the state at the end of the period."""
    start, end = _bounds(period)
    now = min(timezone.now(), end)
    out: dict[int, dict[str, int]] = {a: dict.fromkeys(STAT_KEYS, 0) for a in agency_ids}

    def put(rows: Any, key: str | None = None) -> None:
        for row in rows:
            agency = row.pop("agency_id")
            for k, v in row.items():
                out.setdefault(agency, dict.fromkeys(STAT_KEYS, 0))[key or k] = v or 0

    entries = ReceptionEntry.objects.filter(
        agency_id__in=agency_ids, received_at__gte=start, received_at__lt=end
    )
    put(
        entries.values("agency_id").annotate(
            visits=Count("pk"),
            visitors=Sum("visitor_count"),
            mass_visits=Count("pk", filter=Q(visitor_count__gte=MASS_CASE_MIN)),
        )
    )
    # every figure on petitions in one pass: conditional counts over the agencies' rows
    received = Q(received_at__gte=start, received_at__lt=end)
    handled = Q(handled_at__gte=start, handled_at__lt=end)
    resolved = Q(resolved_at__gte=start, resolved_at__lt=end, status=Status.RESOLVED)
    existing = Q(received_at__lt=end)
    put(
        Petition.objects.filter(agency_id__in=agency_ids)
        .values("agency_id")
        .annotate(
            received=Count("pk", filter=received),
            mass_cases=Count("pk", filter=received & Q(signers_count__gte=MASS_CASE_MIN)),
            information=Count("pk", filter=received & Q(status=Status.INFORMATION)),
            **{k: Count("pk", filter=received & Q(kind=k)) for k in PetitionKind.values},
            accepted=Count("pk", filter=handled & Q(accepted_at__isnull=False)),
            transferred=Count("pk", filter=handled & Q(status=Status.TRANSFERRED)),
            guided=Count("pk", filter=handled & Q(status=Status.GUIDED)),
            stored=Count("pk", filter=handled & Q(status=Status.STORED)),
            resolved=Count("pk", filter=resolved),
            resolved_on_time=Count(
                "pk", filter=resolved & Q(resolved_at__lte=F("resolution_due_at"))
            ),
            resolved_late=Count("pk", filter=resolved & Q(resolved_at__gt=F("resolution_due_at"))),
            overdue=Count("pk", filter=existing & overdue_q(now)),
            long_running=Count("pk", filter=existing & long_running_q(now)),
        )
    )
    return out


def statistics(agency_ids: list[int], period: Period) -> dict[str, int]:
    total = dict.fromkeys(STAT_KEYS, 0)
    for row in statistics_by_agency(agency_ids, period).values():
        for k, v in row.items():
            total[k] += v
    return total


def open_counts_for(user: Any, now: datetime | None = None) -> dict[str, int]:
    """For the dashboard widget: open, due soon and overdue petitions in the user's scope."""
    now = now or timezone.now()
    qs = Petition.objects.filter(scope_q(user))
    soon = due_soon_until(now)
    return qs.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        due_soon=Count("pk", filter=due_before_q(now, soon)),
        overdue=Count("pk", filter=overdue_q(now)),
    )
