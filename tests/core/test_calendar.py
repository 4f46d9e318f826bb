"""The working-day calendar (DOMAIN-RULES.md, "Counting time"): statutory holidays from the
``holidays`` package, announced swaps, administrators' exceptions, office hours and cut-off."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from danvan.core.calendar import TZ, OfficeHours, WorkingCalendar, get_calendar
from danvan.core.models import CalendarException

CAL = WorkingCalendar()
HOURS = OfficeHours()


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def in_office_hours(moment: datetime, hours: OfficeHours = HOURS) -> bool:
    t = moment.astimezone(TZ).time()
    return any(a <= t <= b for a, b in hours.sessions)


# --- property tests ------------------------------------------------------------------------------
moments = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
    max_value=datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(TZ),
)
cutoffs = st.sampled_from([time(15, 0), None])


@settings(max_examples=300, deadline=None, database=None)
@given(received=moments, n=st.integers(min_value=0, max_value=60), cutoff=cutoffs)
def test_add_working_days_lands_on_a_working_day_n_working_days_after_the_start(
    received: datetime, n: int, cutoff: time | None
) -> None:
    hours = OfficeHours(after_hours_cutoff=cutoff)
    result = CAL.add_working_days(received, n, hours)
    assert CAL.is_working_day(result.due.date())
    assert CAL.is_working_day(result.start.date())
    assert result.start >= received
    assert in_office_hours(result.start, hours)
    assert CAL.count_working_days(result.start.date(), result.due.date()) == n
    assert result.due.timetz() == result.start.timetz()
    # every day the count stepped over is reported, and only those
    skipped = {d.day for d in result.skipped}
    between = [
        result.start.date() + timedelta(days=i)
        for i in range(1, (result.due.date() - result.start.date()).days)
    ]
    assert skipped == {d for d in between if not CAL.is_working_day(d)}


@settings(max_examples=300, deadline=None, database=None)
@given(received=moments, n=st.integers(min_value=1, max_value=120))
def test_add_calendar_days_ends_on_a_working_day_not_before_the_nth_day(
    received: datetime, n: int
) -> None:
    result = CAL.add_calendar_days(received, n)
    last = received.date() + timedelta(days=n)
    assert CAL.is_working_day(result.due.date())
    assert result.due.date() >= last
    # it moves only as far as the first working day on or after the n-th day
    assert all(
        not CAL.is_working_day(last + timedelta(days=i))
        for i in range((result.due.date() - last).days)
    )
    assert result.due.time() == HOURS.closing


@settings(max_examples=300, deadline=None, database=None)
@given(
    received=moments,
    amount=st.integers(min_value=0, max_value=4 * 60).map(lambda m: m / 4),  # quarter hours
    cutoff=cutoffs,
)
def test_add_working_hours_ends_inside_office_hours_on_a_working_day(
    received: datetime, amount: float, cutoff: time | None
) -> None:
    hours = OfficeHours(after_hours_cutoff=cutoff)
    result = CAL.add_working_hours(received, amount, hours)
    assert CAL.is_working_day(result.due.date())
    assert in_office_hours(result.due, hours)
    assert result.due >= result.start >= received
    # the office time between start and due is exactly the amount asked for
    assert _office_time(result.start, result.due, hours) == timedelta(hours=amount)


def _office_time(start: datetime, end: datetime, hours: OfficeHours) -> timedelta:
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if CAL.is_working_day(day):
            for a, b in hours.sessions:
                lo = max(datetime.combine(day, a, TZ), start)
                hi = min(datetime.combine(day, b, TZ), end)
                if hi > lo:
                    total += hi - lo
        day += timedelta(days=1)
    return total


# --- Tết and the holidays of 2026-2027 -----------------------------------------------------------
def test_tet_2026_is_off_from_16_to_20_february() -> None:
    for d in range(16, 21):
        assert not CAL.is_working_day(date(2026, 2, d)), d
    assert CAL.is_working_day(date(2026, 2, 13))
    assert CAL.is_working_day(date(2026, 2, 23))
    assert "Tết" in (CAL.day_off_name(date(2026, 2, 17)) or "")


def test_friday_afternoon_before_tet_2026_after_the_cutoff_counts_from_after_tet() -> None:
    # Friday 13/02/2026 16:00 is after the 15:00 cut-off: the clock starts Monday 23/02 07:30
    # (16-20/02 Tết, then a weekend), and 3 working days later is Thursday 26/02 07:30.
    result = CAL.add_working_days(at(2026, 2, 13, 16), 3)
    assert result.start == at(2026, 2, 23, 7, 30)
    assert result.due == at(2026, 2, 26, 7, 30)
    skipped = {d.day for d in result.skipped}
    assert {date(2026, 2, 24), date(2026, 2, 25)}.isdisjoint(skipped)


def test_before_the_cutoff_the_same_friday_counts_through_tet() -> None:
    result = CAL.add_working_days(at(2026, 2, 13, 10), 3)
    assert result.start == at(2026, 2, 13, 10)
    assert result.due == at(2026, 2, 25, 10)
    skipped = {d.day for d in result.skipped}
    assert {date(2026, 2, d) for d in range(16, 21)} <= skipped
    assert any("Tết" in d.name for d in result.skipped)


def test_tet_2027_is_off_from_4_to_10_february() -> None:
    assert "Tết" in (CAL.day_off_name(date(2027, 2, 6)) or "")
    for d in range(4, 11):
        assert not CAL.is_working_day(date(2027, 2, d)), d
    assert CAL.is_working_day(date(2027, 2, 3))
    assert CAL.is_working_day(date(2027, 2, 11))


def test_the_2026_swap_makes_saturday_22_august_a_working_day_and_monday_31_august_off() -> None:
    assert CAL.is_working_day(date(2026, 8, 22))
    assert CAL.day_off_name(date(2026, 8, 22)) is None
    assert not CAL.is_working_day(date(2026, 8, 31))
    assert not CAL.is_working_day(date(2026, 9, 1))
    assert not CAL.is_working_day(date(2026, 9, 2))
    assert CAL.is_working_day(date(2026, 9, 3))
    # Friday 21/08 + 1 working day is the swapped Saturday
    assert CAL.add_working_days(at(2026, 8, 21, 9), 1).due == at(2026, 8, 22, 9)
    # Friday 28/08 + 1 working day skips the weekend, 31/08, 1/9 and 2/9
    assert CAL.add_working_days(at(2026, 8, 28, 9), 1).due == at(2026, 9, 3, 9)


def test_hung_kings_2026_falls_on_sunday_and_monday_27_april_is_off_in_lieu() -> None:
    assert not CAL.is_working_day(date(2026, 4, 27))
    assert "Hùng" in (CAL.day_off_name(date(2026, 4, 27)) or "")
    assert CAL.next_working_day(date(2026, 4, 24)) == date(2026, 4, 28)


def test_a_calendar_day_deadline_ending_on_a_sunday_moves_to_monday() -> None:
    # Thursday 5/3/2026 + 10 days = Sunday 15/3 → Monday 16/3, end of office hours
    result = CAL.add_calendar_days(at(2026, 3, 5, 9), 10)
    assert date(2026, 3, 15).weekday() == 6
    assert result.due == at(2026, 3, 16, 17)


def test_a_calendar_day_deadline_ending_inside_tet_moves_to_the_first_working_day_after() -> None:
    # 8/2/2026 + 10 days = 18/2/2026, in Tết → Monday 23/2
    result = CAL.add_calendar_days(at(2026, 2, 8, 9), 10)
    assert result.due == at(2026, 2, 23, 17)
    # the first day is not counted: 8/1 + 30 days = 7/2 (Saturday) → Monday 9/2
    assert CAL.add_calendar_days(at(2026, 1, 8, 9), 30).due == at(2026, 2, 9, 17)


def test_a_calendar_day_deadline_on_a_working_day_does_not_move() -> None:
    assert CAL.add_calendar_days(at(2026, 3, 2, 9), 30).due == at(2026, 4, 1, 17)


# --- working hours ---------------------------------------------------------------------------------
def test_working_hours_skip_the_lunch_break() -> None:
    # 10:30 + 2 h: 1 h until 11:30, then 1 h from 13:30
    assert CAL.add_working_hours(at(2026, 3, 3, 10, 30), 2).due == at(2026, 3, 3, 14, 30)


def test_working_hours_continue_the_next_working_day() -> None:
    # Friday 6/3/2026 14:00 (before the cut-off, counts at once) + 4 h: 14:00-17:00 is 3 h,
    # the last hour is Monday 07:30-08:30.
    assert CAL.add_working_hours(at(2026, 3, 6, 14), 4).due == at(2026, 3, 9, 8, 30)


def test_working_hours_received_at_lunch_start_at_13_30() -> None:
    result = CAL.add_working_hours(at(2026, 3, 3, 12, 0), 1)
    assert result.start == at(2026, 3, 3, 13, 30)
    assert result.due == at(2026, 3, 3, 14, 30)


def test_a_full_working_day_is_seven_and_a_half_office_hours() -> None:
    # 07:30-11:30 and 13:30-17:00
    assert CAL.add_working_hours(at(2026, 3, 3, 7, 30), 7.5).due == at(2026, 3, 3, 17, 0)
    assert CAL.add_working_hours(at(2026, 3, 3, 7, 30), 8).due == at(2026, 3, 4, 8, 0)
    # 4 working hours from Friday 13/02/2026 14:00 run into Tết: 3 h on Friday, 1 h on 23/02
    result = CAL.add_working_hours(at(2026, 2, 13, 14), 4)
    assert result.due == at(2026, 2, 23, 8, 30)
    assert {date(2026, 2, d) for d in range(16, 21)} <= {d.day for d in result.skipped}


# --- the counter and the cut-off -----------------------------------------------------------------
def test_saturday_morning_counter_opens_only_where_the_agency_says_so() -> None:
    saturday = at(2026, 3, 7, 8, 30)
    assert not CAL.is_counter_open(saturday)
    hours = OfficeHours(saturday_morning_counter=True)
    assert CAL.is_counter_open(saturday, hours)
    assert not CAL.is_counter_open(at(2026, 3, 7, 14), hours)  # afternoon: closed
    assert not CAL.is_counter_open(at(2026, 3, 8, 8, 30), hours)  # Sunday
    # a Saturday inside Tết 2027 (6/2/2027, Tết day): closed even with a Saturday counter
    assert not CAL.is_counter_open(at(2027, 2, 6, 8, 30), hours)


def test_counter_hours_on_a_weekday() -> None:
    assert CAL.is_counter_open(at(2026, 3, 3, 7, 30))
    assert not CAL.is_counter_open(at(2026, 3, 3, 7, 29))
    assert not CAL.is_counter_open(at(2026, 3, 3, 12, 0))
    assert CAL.is_counter_open(at(2026, 3, 3, 16, 59))
    assert not CAL.is_counter_open(at(2026, 3, 3, 17, 0))
    assert not CAL.is_counter_open(at(2026, 2, 17, 9, 0))  # Tết


def test_a_dossier_received_on_a_saturday_counter_starts_monday() -> None:
    hours = OfficeHours(saturday_morning_counter=True)
    result = CAL.add_working_days(at(2026, 3, 7, 9), 1, hours)
    assert result.start == at(2026, 3, 9, 7, 30)
    assert result.due == at(2026, 3, 10, 7, 30)


def test_without_a_cutoff_a_dossier_received_at_16_00_counts_the_same_day() -> None:
    hours = OfficeHours(after_hours_cutoff=None)
    result = CAL.add_working_days(at(2026, 3, 3, 16), 2, hours)
    assert result.start == at(2026, 3, 3, 16)
    assert result.due == at(2026, 3, 5, 16)
    # with the default 15:00 cut-off it starts the next morning
    default = CAL.add_working_days(at(2026, 3, 3, 16), 2)
    assert default.start == at(2026, 3, 4, 7, 30)
    assert default.due == at(2026, 3, 6, 7, 30)


def test_received_after_closing_starts_the_next_working_morning_even_without_a_cutoff() -> None:
    hours = OfficeHours(after_hours_cutoff=None)
    assert CAL.effective_start(at(2026, 3, 3, 18), hours) == at(2026, 3, 4, 7, 30)
    assert CAL.effective_start(at(2026, 3, 3, 6), hours) == at(2026, 3, 3, 7, 30)


def test_a_utc_datetime_is_read_in_vietnam_time() -> None:
    from datetime import UTC

    # 09:00 UTC = 16:00 in Hà Nội: after the cut-off
    received = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert CAL.effective_start(received) == at(2026, 3, 4, 7, 30)


# --- administrators' exceptions ------------------------------------------------------------------
def test_an_exception_makes_a_weekday_a_day_off() -> None:
    cal = WorkingCalendar({date(2026, 3, 4): (False, "Nghỉ bù")})
    assert not cal.is_working_day(date(2026, 3, 4))
    assert cal.day_off_name(date(2026, 3, 4)) == "Nghỉ bù"
    assert cal.add_working_days(at(2026, 3, 3, 9), 1).due == at(2026, 3, 5, 9)
    assert CAL.add_working_days(at(2026, 3, 3, 9), 1).due == at(2026, 3, 4, 9)


def test_an_exception_makes_a_saturday_a_working_day() -> None:
    cal = WorkingCalendar({date(2026, 3, 7): (True, "Làm bù")})
    assert cal.is_working_day(date(2026, 3, 7))
    assert cal.add_working_days(at(2026, 3, 6, 9), 1).due == at(2026, 3, 7, 9)
    assert cal.is_counter_open(at(2026, 3, 7, 9))


@pytest.mark.django_db
def test_get_calendar_reads_an_exception_saved_in_the_database_at_once() -> None:
    day = date(2026, 3, 4)
    assert get_calendar().is_working_day(day)
    CalendarException.objects.create(day=day, is_working_day=False, name="Nghỉ bù bão lũ")
    cal = get_calendar()
    assert not cal.is_working_day(day)
    assert cal.day_off_name(day) == "Nghỉ bù bão lũ"
    CalendarException.objects.create(day=date(2026, 3, 7), is_working_day=True, name="Làm bù")
    assert get_calendar().is_working_day(date(2026, 3, 7))


# --- naive datetimes -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call",
    [
        lambda m: CAL.add_working_days(m, 1),
        lambda m: CAL.add_calendar_days(m, 1),
        lambda m: CAL.add_working_hours(m, 1),
        lambda m: CAL.effective_start(m),
        lambda m: CAL.is_counter_open(m),
    ],
)
def test_naive_datetimes_are_refused(call: Callable[[datetime], object]) -> None:
    with pytest.raises(ValueError, match="naive"):
        call(datetime(2026, 3, 3, 9, 0))  # noqa: DTZ001 - the point of the test
