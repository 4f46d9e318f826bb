"""The core's part of the JSON API: the working-day calendar."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from danvan.core import calendar, deadlines
from danvan.core.calendar import get_calendar, hours_provider
from danvan.core.errors import PermissionDeniedError, ValidationFailed

router = Router(tags=["Lịch làm việc (calendar)"])


class DayOffOut(Schema):
    date: date
    name: str


class DeadlineOut(Schema):
    due: datetime
    start: datetime = Field(description="when the count started (after-hours rule applied)")
    working_days_skipped: list[DayOffOut] = Field(
        description="non-working days between the start and the deadline, with their names"
    )


class DeadlineQuery(Schema):
    start: datetime
    amount: Decimal = Field(ge=0, le=3650)
    unit: Literal["working_days", "calendar_days", "working_hours"]
    agency: int | None = None


class DaysQuery(Schema):
    from_: date = Field(alias="from")
    to: date


def _official(request: HttpRequest) -> None:
    if not request.user.has_perm("core.use_calculator"):
        raise PermissionDeniedError("Chỉ cán bộ mới dùng được chức năng này.")


@router.get("/calendar/deadline", response=DeadlineOut, summary="Tính hạn (compute a deadline)")
def deadline(request: HttpRequest, q: Query[DeadlineQuery]) -> DeadlineOut:
    _official(request)
    if q.start.tzinfo is None:
        raise ValidationFailed(
            "Thời điểm bắt đầu phải có múi giờ, ví dụ 2026-02-13T09:00:00+07:00.", field="start"
        )
    hours = calendar.DEFAULT_HOURS
    if q.agency is not None:
        found = hours_provider().hours(q.agency)
        if found is None:
            raise HttpError(404, "Không tìm thấy cơ quan.")
        hours = found
    result = deadlines.add(q.start, float(q.amount), q.unit, hours)
    return DeadlineOut(
        due=result.due,
        start=result.start,
        working_days_skipped=[DayOffOut(date=d.day, name=d.name) for d in result.skipped],
    )


@router.get("/calendar/days", response=list[DayOffOut], summary="Ngày nghỉ (non-working days)")
def days(request: HttpRequest, q: Query[DaysQuery]) -> list[DayOffOut]:
    _official(request)
    if q.to < q.from_ or (q.to - q.from_).days > 3660:
        raise ValidationFailed("Khoảng ngày không hợp lệ (tối đa 10 năm).", field="to")
    return [
        DayOffOut(date=d.day, name=d.name) for d in get_calendar().non_working_days(q.from_, q.to)
    ]
