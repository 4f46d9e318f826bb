"""The plans app's report indicators (computed from assignments)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from danvan.plans.models import Assignment, AssignmentStatus
from danvan.shell.registry import Period

OPEN = (AssignmentStatus.NOT_STARTED, AssignmentStatus.IN_PROGRESS)


def _due_in(period: Period) -> Q:
    return Q(due_on__gte=period.start, due_on__lte=period.end) & ~Q(
        status=AssignmentStatus.CANCELLED
    )


def done_on_time_rate_by_agency(
    agency_ids: list[int], period: Period
) -> dict[int, Decimal | int | None]:
    """Share of the assignments due in the period that were done by their due date (%)."""
    rows = (
        Assignment.objects.filter(_due_in(period), agency_id__in=agency_ids)
        .values("agency_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=AssignmentStatus.DONE, done_on__lte=F("due_on"))),
        )
    )
    out: dict[int, Decimal | int | None] = {}
    for r in rows:
        out[r["agency_id"]] = (Decimal(100) * r["done"] / r["total"]).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
    return out


def done_on_time_rate(agency_ids: list[int], period: Period) -> Decimal | None:
    qs = Assignment.objects.filter(_due_in(period), agency_id__in=agency_ids)
    total = qs.count()
    if not total:
        return None
    done = qs.filter(status=AssignmentStatus.DONE, done_on__lte=F("due_on")).count()
    return (Decimal(100) * done / total).quantize(Decimal("0.01"), ROUND_HALF_UP)


def overdue_at_end_by_agency(
    agency_ids: list[int], period: Period
) -> dict[int, Decimal | int | None]:
    """Assignments past their due date and not done at the end of the period."""
    rows = (
        Assignment.objects.filter(agency_id__in=agency_ids, due_on__lt=period.end)
        .filter(Q(status__in=OPEN) | Q(status=AssignmentStatus.DONE, done_on__gt=period.end))
        .values("agency_id")
        .annotate(n=Count("id"))
    )
    found = {r["agency_id"]: r["n"] for r in rows}
    return {a: found.get(a, 0) for a in agency_ids}


def overdue_at_end(agency_ids: list[int], period: Period) -> int:
    return sum(int(v or 0) for v in overdue_at_end_by_agency(agency_ids, period).values())


def _late_reports(agency_ids: list[int], period: Period) -> dict[int, int]:
    """Periodic reports of periods ending in ``period`` that were submitted after their due time
    or are still not submitted past it."""
    from django.utils import timezone

    from danvan.plans.models import PeriodicReport, ReportStatus

    now = timezone.now()
    rows = (
        PeriodicReport.objects.filter(
            agency_id__in=agency_ids, period_end__gte=period.start, period_end__lte=period.end
        )
        .filter(
            Q(submitted_at__gt=F("due_at"))
            | Q(submitted_at__isnull=True, due_at__lt=now) & ~Q(status=ReportStatus.SUBMITTED)
        )
        .values("agency_id")
        .annotate(n=Count("id"))
    )
    found = {r["agency_id"]: r["n"] for r in rows}
    return {a: found.get(a, 0) for a in agency_ids}


def late_reports_by_agency(
    agency_ids: list[int], period: Period
) -> dict[int, Decimal | int | None]:
    return dict(_late_reports(agency_ids, period))


def late_reports(agency_ids: list[int], period: Period) -> int:
    return sum(_late_reports(agency_ids, period).values())
