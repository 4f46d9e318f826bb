"""The working-day calendar: Vietnam's public holidays plus administrators' exceptions.

Vocabulary (DOMAIN-RULES.md, "Counting time"):

- a *working day* is Monday to Friday, minus public holidays (the ``holidays`` package, with
  Tết, the Hùng Kings' day, days in lieu and the Government's announced swaps), minus the extra
  days off and plus the working Saturdays that administrators add (:class:`CalendarException`);
- *office hours* belong to an agency (:class:`OfficeHours`): two sessions a day, an optional
  Saturday-morning counter, and the after-hours rule (a dossier received after 15:00 counts from
  the next working day);
- "N working days" from a receipt: the day of receipt is not counted; the deadline falls on the
  N-th working day after it, at the time of receipt (the effective start: outside office hours,
  after the cut-off or on a day off, the opening of the next working session);
- "N days" (calendar days, Civil Code art. 147-148): the first day is not counted; a deadline
  whose last day is not a working day moves to the next working day (end of office hours);
- "N working hours" counts office hours only.

Nothing else in the code adds days to a deadline: apps call these functions, through the
versioned rules of :mod:`danvan.core.deadlines`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

WEEKDAY_NAMES = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


@dataclass(frozen=True)
class OfficeHours:
    """An agency's office hours and counting settings."""

    morning: tuple[time, time] = (time(7, 30), time(11, 30))
    afternoon: tuple[time, time] = (time(13, 30), time(17, 0))
    saturday_morning_counter: bool = False
    after_hours_cutoff: time | None = time(15, 0)

    @property
    def sessions(self) -> tuple[tuple[time, time], ...]:
        return (self.morning, self.afternoon)

    @property
    def opening(self) -> time:
        return self.morning[0]

    @property
    def closing(self) -> time:
        return self.afternoon[1]


DEFAULT_HOURS = OfficeHours()


@dataclass(frozen=True)
class DayOff:
    day: date
    name: str

    def as_dict(self) -> dict[str, str]:
        return {"date": self.day.isoformat(), "name": self.name}


@dataclass(frozen=True)
class Deadline:
    """A computed deadline and the non-working days that the count stepped over."""

    due: datetime
    start: datetime
    skipped: list[DayOff] = field(default_factory=list)


_holidays_lock = threading.Lock()
_by_year: dict[int, holidays.HolidayBase] = {}


def _ensure_year(year: int) -> holidays.HolidayBase:
    """Vietnam's statutory holidays for ``year`` (built once per process, shared by threads)."""
    table = _by_year.get(year)
    if table is None:
        with _holidays_lock:
            table = _by_year.get(year)
            if table is None:
                table = holidays.country_holidays("VN", years=year, language="vi", expand=False)
                _by_year[year] = table
    return table


def as_local(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime: every datetime in DânVận is aware")
    return value.astimezone(TZ)


class WorkingCalendar:
    """Working days for Vietnam with the given exceptions (``{date: (is_working, name)}``)."""

    def __init__(self, exceptions: Mapping[date, tuple[bool, str]] | None = None) -> None:
        self.exceptions: dict[date, tuple[bool, str]] = dict(exceptions or {})

    # --- days ----------------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day][0]
        return _ensure_year(day.year).is_working_day(day)

    def day_off_name(self, day: date) -> str | None:
        """Why ``day`` is not a working day (holiday name, exception, weekend); None if it is."""
        if self.is_working_day(day):
            return None
        if day in self.exceptions:
            return self.exceptions[day][1]
        name = _ensure_year(day.year).get(day)
        if name:
            return str(name)
        return WEEKDAY_NAMES[day.weekday()]

    def non_working_days(self, start: date, end: date) -> list[DayOff]:
        """Non-working days in ``[start, end]``, with their names."""
        out: list[DayOff] = []
        day = start
        while day <= end:
            name = self.day_off_name(day)
            if name is not None:
                out.append(DayOff(day, name))
            day += timedelta(days=1)
        return out

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_day_on_or_after(self, day: date) -> date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def working_days_after(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (``day`` itself not counted)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def count_working_days(self, start: date, end: date) -> int:
        """Working days ``d`` with ``start < d <= end`` (0 when ``end <= start``)."""
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += timedelta(days=1)
        return count

    # --- the start of a count ------------------------------------------------------------------
    def is_counter_open(self, moment: datetime, hours: OfficeHours = DEFAULT_HOURS) -> bool:
        """Whether the one-stop counter receives at ``moment`` (Saturday morning if the agency
        opens then)."""
        local = as_local(moment)
        day, now = local.date(), local.time()
        if self.is_working_day(day):
            return any(a <= now < b for a, b in hours.sessions)
        saturday_open = (
            hours.saturday_morning_counter
            and day.weekday() == 5
            and day not in self.exceptions
            and _ensure_year(day.year).get(day) is None
        )
        return bool(saturday_open) and hours.morning[0] <= now < hours.morning[1]

    def effective_start(
        self, received: datetime, hours: OfficeHours = DEFAULT_HOURS, *, apply_cutoff: bool = True
    ) -> datetime:
        """When the clock starts for something received at ``received``.

        Within a working session (and before the agency's cut-off): at once. Otherwise: at the
        opening of the next working session.
        """
        local = as_local(received)
        day, now = local.date(), local.time()
        if self.is_working_day(day):
            cutoff = hours.after_hours_cutoff if apply_cutoff else None
            if cutoff is None or now < cutoff:
                for start, end in hours.sessions:
                    if now < start:
                        return datetime.combine(day, start, TZ)
                    if now < end:
                        return local
        nxt = self.next_working_day(day)
        return datetime.combine(nxt, hours.opening, TZ)

    # --- adding --------------------------------------------------------------------------------
    def add_working_days(
        self, received: datetime, n: int, hours: OfficeHours = DEFAULT_HOURS
    ) -> Deadline:
        start = self.effective_start(received, hours)
        due_day = self.working_days_after(start.date(), n)
        due = datetime.combine(due_day, start.timetz().replace(tzinfo=None), TZ)
        return Deadline(due=due, start=start, skipped=self._skipped(start.date(), due_day))

    def add_calendar_days(
        self, received: datetime, n: int, hours: OfficeHours = DEFAULT_HOURS
    ) -> Deadline:
        """Civil Code: the first day is not counted; the last day moves off a non-working day."""
        local = as_local(received)
        last = local.date() + timedelta(days=n)
        due_day = self.working_day_on_or_after(last)
        due = datetime.combine(due_day, hours.closing, TZ)
        return Deadline(due=due, start=local, skipped=self._skipped(local.date(), due_day))

    def add_working_hours(
        self, received: datetime, amount: float, hours: OfficeHours = DEFAULT_HOURS
    ) -> Deadline:
        """Count ``amount`` office hours from the effective start, across days if needed."""
        start = self.effective_start(received, hours)
        remaining = timedelta(hours=amount)
        cursor = start
        while True:
            for session_start, session_end in self._sessions_from(cursor, hours):
                available = session_end - session_start
                if remaining <= available:
                    due = session_start + remaining
                    return Deadline(
                        due=due, start=start, skipped=self._skipped(start.date(), due.date())
                    )
                remaining -= available
                cursor = session_end
            cursor = datetime.combine(self.next_working_day(cursor.date()), hours.opening, TZ)

    def _sessions_from(
        self, cursor: datetime, hours: OfficeHours
    ) -> Iterator[tuple[datetime, datetime]]:
        day = cursor.date()
        if not self.is_working_day(day):
            return
        for a, b in hours.sessions:
            begin = datetime.combine(day, a, TZ)
            end = datetime.combine(day, b, TZ)
            if cursor >= end:
                continue
            yield max(begin, cursor), end

    def _skipped(self, start: date, due: date) -> list[DayOff]:
        if due <= start + timedelta(days=1):
            return []
        return self.non_working_days(start + timedelta(days=1), due - timedelta(days=1))


def get_calendar() -> WorkingCalendar:
    """The calendar with the administrators' current exceptions (read from the database, so an
    edit in the back office takes effect with no release: at once in the process that saved it,
    within :data:`danvan.core.refcache.TTL` seconds in the others)."""
    from danvan.core import refcache
    from danvan.core.models import CalendarException

    def load() -> WorkingCalendar:
        rows = CalendarException.objects.values_list("day", "is_working_day", "name")
        return WorkingCalendar({day: (working, name) for day, working, name in rows})

    return refcache.memo("core.calendar", load, depends_on=(CalendarException,))


class HoursProvider:
    """Where office hours come from (the org app registers its agencies at start-up)."""

    def hours(self, owner_id: int) -> OfficeHours | None:
        return None

    def choices(self) -> list[tuple[int, str]]:
        return []


_provider: HoursProvider = HoursProvider()


def set_hours_provider(provider: HoursProvider) -> None:
    global _provider  # set once at start-up by the app that owns agencies
    _provider = provider


def hours_provider() -> HoursProvider:
    return _provider
