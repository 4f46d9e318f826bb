"""Versioned deadline rules: the version in force on the day of receipt applies (DOMAIN-RULES.md,
"Counting time" and the Law on Complaints). Rules come from migration core/0004."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest

from danvan.core import deadlines
from danvan.core.calendar import TZ, WorkingCalendar
from danvan.core.errors import ApplicationError, PermissionDeniedError
from danvan.core.models import (
    AuditRecord,
    CalendarException,
    DeadlineRule,
    DeadlineUnit,
    DeadlineVariant,
)
from danvan.core.services import deadline_rule_add_version
from tests.world import World

pytestmark = pytest.mark.django_db


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def test_complaint_acceptance_is_10_working_days_until_30_june_2026() -> None:
    rule = deadlines.rule_in_force("complaint.acceptance", date(2026, 6, 30))
    assert rule.amount == Decimal(10)
    assert rule.unit == DeadlineUnit.WORKING_DAYS
    assert rule.effective_from == date(2012, 7, 1)


def test_complaint_acceptance_is_7_working_days_from_1_july_2026() -> None:
    rule = deadlines.rule_in_force("complaint.acceptance", date(2026, 7, 1))
    assert rule.amount == Decimal(7)
    assert rule.effective_from == date(2026, 7, 1)
    assert rule.verified is False  # seeded from memory: flagged for checking


def test_the_version_switches_on_its_effective_date_for_the_deadline() -> None:
    # Tuesday 30/06/2026 09:00 + 10 working days = Tuesday 14/07/2026
    due, rule = deadlines.deadline_for("complaint.acceptance", at(2026, 6, 30))
    assert rule.amount == 10
    assert due.due == at(2026, 7, 14)
    # Wednesday 01/07/2026 09:00 + 7 working days = Friday 10/07/2026
    due, rule = deadlines.deadline_for("complaint.acceptance", at(2026, 7, 1))
    assert rule.amount == 7
    assert due.due == at(2026, 7, 10)


def test_received_on_decides_the_version_not_the_start_of_the_count() -> None:
    # received 30/06 but counted from 02/07 (e.g. after a supplement): the old rule still applies
    due, rule = deadlines.deadline_for(
        "complaint.acceptance", at(2026, 7, 2), received_on=date(2026, 6, 30)
    )
    assert rule.amount == 10
    assert due.due == at(2026, 7, 16)


@pytest.mark.parametrize(
    ("variant", "days", "due_day"),
    [
        # accepted Monday 2/3/2026: +30 = 1/4 (Wed); +45 = 16/4 (Thu); +60 = 1/5 (holiday) → 4/5
        (DeadlineVariant.NORMAL, 30, date(2026, 4, 1)),
        (DeadlineVariant.COMPLEX, 45, date(2026, 4, 16)),
        (DeadlineVariant.REMOTE, 45, date(2026, 4, 16)),
        (DeadlineVariant.REMOTE_COMPLEX, 60, date(2026, 5, 4)),
    ],
)
def test_first_resolution_variants_are_calendar_days(
    variant: str, days: int, due_day: date
) -> None:
    due, rule = deadlines.deadline_for(
        "complaint.first_resolution", at(2026, 3, 2), variant=variant
    )
    assert rule.amount == days
    assert rule.unit == DeadlineUnit.CALENDAR_DAYS
    assert due.due.date() == due_day


def test_a_missing_rule_raises_an_application_error_in_vietnamese() -> None:
    with pytest.raises(ApplicationError) as caught:
        deadlines.rule_in_force("complaint.acceptance", date(2012, 6, 30))
    assert caught.value.code == "no_rule"
    assert "Chưa có quy định thời hạn" in caught.value.message
    assert "complaint.acceptance" in caught.value.message
    assert "30/06/2012" in caught.value.message
    with pytest.raises(
        ApplicationError, match=re.escape("Chưa có quy định thời hạn “khong.ton.tai”")
    ):
        deadlines.rule_in_force("khong.ton.tai", date(2026, 1, 1))
    with pytest.raises(ApplicationError):
        deadlines.rule_in_force("complaint.acceptance", date(2026, 1, 1), DeadlineVariant.COMPLEX)


def test_deadline_for_uses_the_calendar_exceptions_in_the_database() -> None:
    CalendarException.objects.create(day=date(2026, 7, 13), is_working_day=False, name="Nghỉ bù")
    due, _ = deadlines.deadline_for("complaint.acceptance", at(2026, 6, 30))
    assert due.due == at(2026, 7, 15)


def test_deadline_for_with_an_explicit_calendar() -> None:
    cal = WorkingCalendar({date(2026, 7, 4): (True, "Làm bù")})  # a working Saturday
    due, _ = deadlines.deadline_for("complaint.acceptance", at(2026, 7, 1), calendar=cal)
    assert due.due == at(2026, 7, 9)


def test_add_refuses_an_unknown_unit() -> None:
    with pytest.raises(ValueError, match="unknown deadline unit"):
        deadlines.add(at(2026, 3, 2), 1, "fortnights", calendar=WorkingCalendar())


def test_working_hour_rules_count_office_hours() -> None:
    due = deadlines.add(
        at(2026, 3, 2, 10, 30), 4, DeadlineUnit.WORKING_HOURS, calendar=WorkingCalendar()
    )
    assert due.due == at(2026, 3, 2, 16, 30)


def _new_version(amount: int, since: date) -> DeadlineRule:
    return DeadlineRule(
        key="complaint.acceptance",
        variant=DeadlineVariant.NORMAL,
        amount=Decimal(amount),
        unit=DeadlineUnit.WORKING_DAYS,
        effective_from=since,
        title="Thụ lý khiếu nại (sửa đổi lần 2)",
        legal_basis="Luật sửa đổi (thử nghiệm)",
    )


def test_sysadmin_adds_a_version_that_applies_from_its_date(world: World) -> None:
    admin = world.user("sysadmin")
    rule = deadline_rule_add_version(actor=admin, rule=_new_version(5, date(2027, 1, 1)))
    assert rule.pk is not None
    assert rule.created_by == admin
    assert deadlines.rule_in_force("complaint.acceptance", date(2026, 12, 31)).amount == 7
    assert deadlines.rule_in_force("complaint.acceptance", date(2027, 1, 1)).pk == rule.pk
    # the earlier versions are untouched
    assert deadlines.rule_in_force("complaint.acceptance", date(2026, 6, 30)).amount == 10
    record = AuditRecord.objects.get(action="core.deadline_rule_add_version")
    assert record.actor_id == admin.pk
    assert record.data["effective_from"] == "2027-01-01"
    assert record.data["amount"] == "5"


def test_a_handler_may_not_add_a_version(world: World) -> None:
    before = DeadlineRule.objects.count()
    with pytest.raises(PermissionDeniedError) as caught:
        deadline_rule_add_version(
            actor=world.user("handler"), rule=_new_version(5, date(2027, 1, 1))
        )
    assert caught.value.message == "Bạn không có quyền thực hiện thao tác này."
    assert DeadlineRule.objects.count() == before
    assert not AuditRecord.objects.filter(action="core.deadline_rule_add_version").exists()


def test_a_second_version_on_the_same_date_is_refused(world: World) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        deadline_rule_add_version(
            actor=world.user("sysadmin"), rule=_new_version(8, date(2026, 7, 1))
        )
    assert deadlines.rule_in_force("complaint.acceptance", date(2026, 7, 1)).amount == 7


def test_adding_from_an_existing_row_makes_a_new_row_not_an_edit(world: World) -> None:
    old = deadlines.rule_in_force("complaint.acceptance", date(2026, 7, 1))
    old_pk = old.pk
    old.amount = Decimal(6)
    old.effective_from = date(2028, 1, 1)
    new = deadline_rule_add_version(actor=world.user("sysadmin"), rule=old)
    assert new.pk != old_pk
    assert DeadlineRule.objects.get(pk=old_pk).amount == 7
    assert deadlines.rule_in_force("complaint.acceptance", date(2028, 1, 1)).amount == 6
