"""Statistics of feedback for a set of agencies and a period (the shell's report indicators, the
statistics page and its XLSX export).

Definitions (each counted in the period, dates inclusive, Asia/Ho_Chi_Minh):

- *received*: items whose receipt falls in the period, counted at the agency now holding them;
- *answered on time / late*: items whose answer was approved in the period, against their due
  date (the one definition in :mod:`danvan.feedback.selectors`);
- *transferred*: transfers made by the agency in the period (and how many after the 5 days);
- *merged*: items the agency closed as duplicates in the period;
- *share about officials' conduct*: conduct items among those received, in per cent.

Three grouped queries whatever the number of agencies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from danvan.core import memo
from danvan.core.calendar import TZ
from danvan.core.documents import Sheet
from danvan.feedback.models import Category, EventKind, Feedback, FeedbackEvent
from danvan.feedback.selectors import LATE_Q, ON_TIME_Q
from danvan.org.models import Agency
from danvan.shell.registry import Period

FIELDS = (
    "received",
    "answered_on_time",
    "answered_late",
    "transferred",
    "transferred_late",
    "merged",
    "conduct",
)


@dataclass
class Row:
    label: str
    agency_id: int | None = None
    received: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    transferred: int = 0
    transferred_late: int = 0
    merged: int = 0
    conduct: int = 0

    def add(self, other: Row) -> None:
        for name in FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def answered(self) -> int:
        return self.answered_on_time + self.answered_late

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.answered_on_time, self.answered)

    @property
    def conduct_share(self) -> Decimal | None:
        return percent(self.conduct, self.received)


@dataclass
class Report:
    period: Period
    total: Row
    by_category: list[Row] = field(default_factory=list)
    by_agency: list[Row] = field(default_factory=list)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def bounds(period: Period) -> tuple[datetime, datetime]:
    """[start of the first day, start of the day after the last) in local time."""
    start = datetime.combine(period.start, time.min, TZ)
    end = datetime.combine(period.end + timedelta(days=1), time.min, TZ)
    return start, end


Cells = dict[tuple[int, str], Row]


def _cells(agency_ids: list[int], period: Period) -> Cells:
    start, end = bounds(period)
    cells: Cells = defaultdict(lambda: Row(""))
    received = (
        Feedback.objects.filter(
            agency_id__in=agency_ids, received_at__gte=start, received_at__lt=end
        )
        .values_list("agency_id", "category")
        .annotate(n=Count("pk"))
    )
    for agency_id, category, n in received:
        cell = cells[(agency_id, category)]
        cell.received += n
        if category == Category.CONDUCT:
            cell.conduct += n
    answered = (
        Feedback.objects.filter(
            agency_id__in=agency_ids, answered_at__gte=start, answered_at__lt=end
        )
        .values_list("agency_id", "category")
        .annotate(on_time=Count("pk", filter=ON_TIME_Q), late=Count("pk", filter=LATE_Q))
    )
    for agency_id, category, on_time, late in answered:
        cells[(agency_id, category)].answered_on_time += on_time
        cells[(agency_id, category)].answered_late += late
    events = (
        FeedbackEvent.objects.filter(
            agency_id__in=agency_ids,
            kind__in=[EventKind.TRANSFERRED, EventKind.MERGED],
            at__gte=start,
            at__lt=end,
        )
        .values_list("agency_id", "feedback__category", "kind")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(on_time=False)))
    )
    for agency_id, category, kind, n, late in events:
        cell = cells[(agency_id, category)]
        if kind == EventKind.TRANSFERRED:
            cell.transferred += n
            cell.transferred_late += late
        else:
            cell.merged += n
    return cells


@memo.scoped
def report(agency_ids: list[int], period: Period) -> Report:
    cells = _cells(agency_ids, period)
    total = Row("Tổng cộng")
    categories = {c: Row(str(label)) for c, label in Category.choices}
    names = dict(Agency.objects.filter(pk__in={a for a, _c in cells}).values_list("pk", "name"))
    agencies: dict[int, Row] = {}
    for (agency_id, category), cell in cells.items():
        total.add(cell)
        categories[Category(category)].add(cell)
        agencies.setdefault(agency_id, Row(names.get(agency_id, str(agency_id)), agency_id)).add(
            cell
        )
    return Report(
        period=period,
        total=total,
        by_category=list(categories.values()),
        by_agency=sorted(agencies.values(), key=lambda r: (-r.received, r.label)),
    )


def figure(name: str) -> Callable[[list[int], Period], Decimal | int | None]:
    """``compute`` for an indicator: one figure of the report's total."""

    def compute(agency_ids: list[int], period: Period) -> Decimal | int | None:
        value = getattr(report(agency_ids, period).total, name)
        return value

    return compute


def figure_by_agency(
    name: str,
) -> Callable[[list[int], Period], dict[int, Decimal | int | None]]:
    """``compute_by_agency`` for an indicator: the figure of each agency, from one report."""

    def compute(agency_ids: list[int], period: Period) -> dict[int, Decimal | int | None]:
        rows = {r.agency_id: r for r in report(agency_ids, period).by_agency}
        empty = Row("")
        return {a: getattr(rows.get(a, empty), name) for a in agency_ids}

    return compute


HEADERS = [
    "Nội dung",
    "Tiếp nhận",
    "Trả lời đúng hạn",
    "Trả lời trễ hạn",
    "Tỷ lệ đúng hạn (%)",
    "Đã chuyển",
    "Chuyển sau 5 ngày làm việc",
    "Gộp (trùng)",
    "Về thái độ cán bộ",
    "Tỷ lệ về thái độ cán bộ (%)",
]


def _line(row: Row) -> list[object]:
    return [
        row.label,
        row.received,
        row.answered_on_time,
        row.answered_late,
        float(row.on_time_rate) if row.on_time_rate is not None else "",
        row.transferred,
        row.transferred_late,
        row.merged,
        row.conduct,
        float(row.conduct_share) if row.conduct_share is not None else "",
    ]


def sheets(rep: Report) -> list[Sheet]:
    caption = f"Phản ánh, kiến nghị từ {rep.period.start:%d/%m/%Y} đến {rep.period.end:%d/%m/%Y}"
    return [
        Sheet(
            title="Theo loại",
            headers=HEADERS,
            rows=[_line(r) for r in [*rep.by_category, rep.total]],
            caption=caption,
        ),
        Sheet(
            title="Theo cơ quan",
            headers=["Cơ quan", *HEADERS[1:]],
            rows=[_line(r) for r in [*rep.by_agency, rep.total]],
            caption=caption,
        ),
    ]
