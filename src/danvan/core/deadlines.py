"""Deadlines from versioned rules: the rule version in force on the day an item was received
applies to it, whatever was amended since."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danvan.core import refcache
from danvan.core.calendar import (
    DEFAULT_HOURS,
    Deadline,
    OfficeHours,
    WorkingCalendar,
    as_local,
    get_calendar,
)
from danvan.core.errors import ApplicationError
from danvan.core.models import DeadlineRule, DeadlineUnit, DeadlineVariant

ERR_NO_RULE = gettext_noop("Chưa có quy định thời hạn “{key}” ({variant}) áp dụng ngày {day}.")


def _all_versions() -> dict[tuple[str, str], list[DeadlineRule]]:
    """Every version of every rule, newest first (a few dozen rows)."""
    out: dict[tuple[str, str], list[DeadlineRule]] = {}
    for rule in DeadlineRule.objects.order_by("-effective_from", "-pk"):
        out.setdefault((rule.key, rule.variant), []).append(rule)
    return out


def rule_in_force(key: str, on: date, variant: str = DeadlineVariant.NORMAL) -> DeadlineRule:
    """The version of rule ``key`` (and ``variant``) in force on ``on``."""
    versions = refcache.memo("core.deadline_rules", _all_versions, depends_on=(DeadlineRule,))
    rule = next((r for r in versions.get((key, variant), []) if r.effective_from <= on), None)
    if rule is None:
        raise ApplicationError(
            _(ERR_NO_RULE).format(key=key, variant=variant, day=on.strftime("%d/%m/%Y")),
            code="no_rule",
        )
    return rule


def add(
    start: datetime,
    amount: float,
    unit: str,
    hours: OfficeHours = DEFAULT_HOURS,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    cal = calendar or get_calendar()
    if unit == DeadlineUnit.WORKING_DAYS:
        return cal.add_working_days(start, int(amount), hours)
    if unit == DeadlineUnit.CALENDAR_DAYS:
        return cal.add_calendar_days(start, int(amount), hours)
    if unit == DeadlineUnit.WORKING_HOURS:
        return cal.add_working_hours(start, float(amount), hours)
    raise ValueError(f"unknown deadline unit {unit!r}")


def deadline_for(
    key: str,
    start: datetime,
    *,
    received_on: date | None = None,
    variant: str = DeadlineVariant.NORMAL,
    hours: OfficeHours = DEFAULT_HOURS,
    calendar: WorkingCalendar | None = None,
) -> tuple[Deadline, DeadlineRule]:
    """The deadline of rule ``key`` counted from ``start``, under the rule version in force on
    ``received_on`` (default: the day of ``start``)."""
    rule = rule_in_force(key, received_on or as_local(start).date(), variant)
    return add(start, float(rule.amount), rule.unit, hours, calendar), rule
