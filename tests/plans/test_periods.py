"""Statutory reporting periods: the year runs 15/12–14/12."""

from __future__ import annotations

from datetime import date

import pytest

from danvan.plans.periods import PeriodType, ReportingPeriod


@pytest.mark.parametrize(
    ("kind", "day", "label", "start", "end"),
    [
        (PeriodType.YEAR, date(2026, 11, 28), "Năm 2026", date(2025, 12, 15), date(2026, 12, 14)),
        (PeriodType.YEAR, date(2026, 12, 15), "Năm 2027", date(2026, 12, 15), date(2027, 12, 14)),
        (
            PeriodType.HALF_YEAR,
            date(2026, 6, 14),
            "6 tháng đầu năm 2026",
            date(2025, 12, 15),
            date(2026, 6, 14),
        ),
        (
            PeriodType.HALF_YEAR,
            date(2026, 6, 15),
            "6 tháng cuối năm 2026",
            date(2026, 6, 15),
            date(2026, 12, 14),
        ),
        (
            PeriodType.QUARTER,
            date(2025, 12, 20),
            "Quý I năm 2026",
            date(2025, 12, 15),
            date(2026, 3, 14),
        ),
        (
            PeriodType.QUARTER,
            date(2026, 9, 14),
            "Quý III năm 2026",
            date(2026, 6, 15),
            date(2026, 9, 14),
        ),
        (
            PeriodType.QUARTER,
            date(2026, 11, 28),
            "Quý IV năm 2026",
            date(2026, 9, 15),
            date(2026, 12, 14),
        ),
    ],
)
def test_period_containing_a_day(kind: str, day: date, label: str, start: date, end: date) -> None:
    p = ReportingPeriod.containing(kind, day)
    assert (p.label, p.start, p.end) == (label, start, end)
    assert ReportingPeriod.parse(p.key) == p


def test_previous_periods_chain_without_gaps() -> None:
    p = ReportingPeriod(PeriodType.QUARTER, 2026, 1)
    for _ in range(9):
        prev = p.previous()
        assert (p.start - prev.end).days == 1
        p = prev


@pytest.mark.parametrize(
    "key", ["quarter-2026-5", "year-2026-2", "month-2026-1", "half_year-2026-0"]
)
def test_invalid_keys_are_refused(key: str) -> None:
    with pytest.raises(ValueError, match=key.split("-")[0]):
        ReportingPeriod.parse(key)
