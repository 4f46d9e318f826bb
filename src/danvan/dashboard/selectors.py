"""The leaders' dashboard: key figures of the user's scope with their trend, and agencies ranked
on each figure. Every number comes from an indicator the apps registered in the shell (the same
code that fills the periodic reports), so the dashboard and the reports never disagree."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from danvan.core import memo
from danvan.org.models import Agency
from danvan.org.selectors import agencies_for
from danvan.plans.periods import ReportingPeriod
from danvan.shell import registry
from danvan.shell.registry import Indicator

# The figures a leader looks at first (plan 5793: on time, overdue, satisfaction, reports,
# commitments); each is shown when its app is installed. Other indicators stay in the reports.
KEY_INDICATORS = [
    "onestop.on_time_rate",
    "onestop.pending_overdue",
    "feedback.on_time_rate",
    "feedback.received",
    "petitions.resolved_on_time",
    "petitions.long_running",
    "surveys.satisfaction_index",
    "dialogues.commitments_kept_on_time",
    "consultations.held",
    "plans.assignments_on_time_rate",
    "plans.assignments_overdue",
    "plans.reports_late",
]


def key_indicators() -> list[Indicator]:
    return [registry.indicators.get(i) for i in KEY_INDICATORS if i in registry.indicators]


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    value: Decimal | int | None
    previous: Decimal | int | None
    drilldown: str | None

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return Decimal(self.value) - Decimal(self.previous)


@dataclass(frozen=True)
class RankRow:
    agency: Agency
    value: Decimal | int | None
    share: float  # 0..1, for the bar


def scope_agencies(user: Any) -> list[Agency]:
    return list(agencies_for(user).filter(is_active=True, is_partner=False))


FIGURES_TTL = 300  # seconds: leaders read the same figures many times; they are recomputed at most
# every five minutes (and on demand), which keeps the dashboard as fast at three million dossiers
# as at ten thousand.


def _cached(key: str, compute: Any, fresh: bool) -> tuple[Any, datetime]:
    """``compute()`` through the cache, with the time it was computed.

    The key is hashed: the database cache's key column holds 255 characters (PostgreSQL refuses
    longer ones, and the cache then silently stores nothing), memcached 250.
    """
    key = "dashboard:" + hashlib.sha256(key.encode()).hexdigest()
    hit = None if fresh else cache.get(key)
    if hit is None:
        hit = (compute(), timezone.now())
        cache.set(key, hit, FIGURES_TTL)
    return hit


def _scope_key(ids: list[int]) -> str:
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:16]


def key_figures(
    user: Any, period: ReportingPeriod, agencies: list[Agency] | None = None, *, fresh: bool = False
) -> list[Figure]:
    return key_figures_at(user, period, agencies, fresh=fresh)[0]


def key_figures_at(
    user: Any, period: ReportingPeriod, agencies: list[Agency] | None = None, *, fresh: bool = False
) -> tuple[list[Figure], datetime]:
    """The key figures of the agencies (default: the user's scope) and when they were computed."""
    agencies = agencies if agencies is not None else scope_agencies(user)
    ids = [a.pk for a in agencies]
    previous = period.previous()
    indicators = key_indicators()

    def compute() -> list[tuple[Any, Any]]:
        with memo.memo_scope():  # indicators of one app share its statistics query
            return [
                (ind.compute(ids, period.period), ind.compute(ids, previous.period))
                if ids
                else (None, None)
                for ind in indicators
            ]

    key = f"dashboard:figures:{period.key}:{_scope_key(ids)}:{','.join(i.identifier for i in indicators)}"
    values, at = _cached(key, compute, fresh)
    figures = [
        Figure(
            indicator=ind,
            value=value,
            previous=prev,
            drilldown=ind.drilldown_url(ids, period.period) if ind.drilldown_url and ids else None,
        )
        for ind, (value, prev) in zip(indicators, values, strict=True)
    ]
    return figures, at


def ranking(
    indicator: Indicator, agencies: list[Agency], period: ReportingPeriod, *, fresh: bool = False
) -> list[RankRow]:
    """Agencies ordered by the indicator (best first; for counts of problems, fewest first)."""
    ids = [a.pk for a in agencies]
    key = f"dashboard:rank:{indicator.identifier}:{period.key}:{_scope_key(ids)}"
    values, _at = _cached(key, lambda: indicator.values_by_agency(ids, period.period), fresh)
    present = [(a, values.get(a.pk)) for a in agencies if values.get(a.pk) is not None]
    top = max((float(v) for _, v in present if v is not None), default=0.0) or 1.0
    lower_is_better = indicator.unit == "count" and any(
        word in str(indicator.identifier) for word in ("overdue", "late", "long_running")
    )
    present.sort(
        key=lambda av: (float(av[1] or 0) if lower_is_better else -float(av[1] or 0), av[0].name)
    )
    return [RankRow(a, v, float(v or 0) / top) for a, v in present]


def warm(today: date | None = None) -> int:
    """Recompute the dashboards of the wide scopes (leaders of People's Committees, Home Affairs,
    the Inspectorate) for the current year, before their cached figures expire: a leader opening
    the dashboard reads figures at most five minutes old and never waits for the computation.
    Returns how many scopes were computed."""
    from danvan.org.models import OfficialRole
    from danvan.org.roles import WIDE_SCOPE_ROLES
    from danvan.plans.periods import PeriodType

    period = ReportingPeriod.containing(PeriodType.YEAR, today or timezone.localdate())
    keys = key_indicators()
    users = (
        OfficialRole.objects.filter(
            role__in=WIDE_SCOPE_ROLES, official__is_active=True, official__user__is_active=True
        )
        .select_related("official__user")
        .order_by("official__user_id")
    )
    done: set[str] = set()
    for row in users:
        user = row.official.user
        agencies = scope_agencies(user)
        scope = _scope_key([a.pk for a in agencies])
        if scope in done or len(agencies) < 2:
            continue
        done.add(scope)
        key_figures_at(user, period, agencies, fresh=True)
        if keys:  # the ranking the page opens with
            ranking(keys[0], agencies, period, fresh=True)
    return len(done)
