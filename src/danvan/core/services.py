"""Writes of the core screens (calendar exceptions, deadline rule versions), audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danvan.core import audit
from danvan.core.errors import PermissionDeniedError
from danvan.core.models import CalendarException, DeadlineRule

ERR_NOT_ALLOWED = gettext_noop("Bạn không có quyền thực hiện thao tác này.")


@transaction.atomic
def calendar_exception_save(*, actor: Any, exception: CalendarException) -> CalendarException:
    if not actor.has_perm("core.change_calendar"):
        raise PermissionDeniedError(_(ERR_NOT_ALLOWED))
    creating = exception.pk is None
    if creating:
        exception.created_by = actor
    exception.full_clean()
    exception.save()
    audit.record(
        actor=actor,
        action="core.calendar_exception_add" if creating else "core.calendar_exception_change",
        obj=exception,
        data={
            "day": exception.day.isoformat(),
            "working": exception.is_working_day,
            "name": exception.name,
        },
    )
    return exception


@transaction.atomic
def calendar_exception_delete(*, actor: Any, exception: CalendarException) -> None:
    if not actor.has_perm("core.change_calendar"):
        raise PermissionDeniedError(_(ERR_NOT_ALLOWED))
    audit.record(
        actor=actor,
        action="core.calendar_exception_delete",
        obj=exception,
        data={"day": exception.day.isoformat(), "name": exception.name},
    )
    exception.delete()


@transaction.atomic
def deadline_rule_add_version(*, actor: Any, rule: DeadlineRule) -> DeadlineRule:
    """Add a version of a rule. Versions are never edited: a change is a new version."""
    if not actor.has_perm("core.change_deadlinerule"):
        raise PermissionDeniedError(_(ERR_NOT_ALLOWED))
    rule.pk = None
    rule.created_by = actor
    rule.full_clean()
    rule.save()
    audit.record(
        actor=actor,
        action="core.deadline_rule_add_version",
        obj=rule,
        data={
            "key": rule.key,
            "variant": rule.variant,
            "amount": str(rule.amount),
            "unit": rule.unit,
            "effective_from": rule.effective_from.isoformat(),
        },
    )
    return rule
