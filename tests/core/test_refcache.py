"""Per-process memos of reference tables: kept between requests, dropped when the table changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from danvan.core import refcache
from danvan.core.calendar import get_calendar
from danvan.core.deadlines import rule_in_force
from danvan.core.models import CalendarException, DeadlineRule, DeadlineUnit, DeadlineVariant

DAY = date(2031, 3, 3)  # a Monday


def _queries(fn: object) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()  # type: ignore[operator]
    return len(ctx.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_the_calendar_is_read_once_and_again_after_an_exception_is_saved() -> None:
    assert _queries(get_calendar) == 1
    assert _queries(get_calendar) == 0
    assert get_calendar().is_working_day(DAY)
    CalendarException.objects.create(day=DAY, is_working_day=False, name="Nghỉ bù")
    assert not get_calendar().is_working_day(DAY)  # at once, in this process
    CalendarException.objects.filter(day=DAY).delete()
    assert get_calendar().is_working_day(DAY)


@pytest.mark.django_db(transaction=True)
def test_a_new_rule_version_applies_at_once_and_older_days_keep_theirs() -> None:
    old = rule_in_force("feedback.answer", DAY)
    assert _queries(lambda: rule_in_force("feedback.answer", DAY)) == 0
    DeadlineRule.objects.create(
        key="feedback.answer",
        variant=DeadlineVariant.NORMAL,
        amount=Decimal(7),
        unit=DeadlineUnit.WORKING_DAYS,
        effective_from=DAY,
        title="Thời hạn trả lời (sửa đổi)",
        legal_basis="Thử nghiệm",
    )
    assert rule_in_force("feedback.answer", DAY).amount == 7
    assert rule_in_force("feedback.answer", date(2031, 3, 2)).pk == old.pk


@pytest.mark.django_db(transaction=True)
def test_nothing_read_inside_a_transaction_is_kept() -> None:
    with transaction.atomic():
        CalendarException.objects.create(day=DAY, is_working_day=False, name="Chưa chốt")
        assert not get_calendar().is_working_day(DAY)
        transaction.set_rollback(True)
    assert get_calendar().is_working_day(DAY)


@pytest.mark.django_db(transaction=True)
def test_a_memo_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    get_calendar()
    monkeypatch.setattr(refcache, "TTL", 0.0)
    assert _queries(get_calendar) == 1
