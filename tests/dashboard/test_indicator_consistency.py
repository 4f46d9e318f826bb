"""Every key indicator gives the same figure for an agency whether computed alone or for all
agencies in one go (the dashboard's ranking and the reports' annexes use the second), on the
demo data of every app."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from danvan.dashboard.selectors import key_indicators
from danvan.org.models import Agency
from danvan.plans.periods import PeriodType, ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: None) -> None:
    call_command("demo", stdout=io.StringIO())


def _same(a: Decimal | int | None, b: Decimal | int | None) -> bool:
    if a is None or b is None:
        return (a in (None, 0)) and (b in (None, 0))
    return abs(Decimal(a) - Decimal(b)) < Decimal("0.05")


def test_per_agency_values_match_single_agency_values(demo: None) -> None:
    agencies = list(Agency.objects.filter(is_active=True, is_partner=False).order_by("pk"))
    ids = [a.pk for a in agencies]
    checked = 0
    today = timezone.localdate()
    cases = [
        (i, ReportingPeriod.containing(kind, today).previous())
        for i in key_indicators()
        for kind in (PeriodType.YEAR, PeriodType.QUARTER)
    ]
    for indicator, period in cases:
        together = indicator.values_by_agency(ids, period.period)
        for agency_id in ids:
            alone = indicator.compute([agency_id], period.period)
            assert _same(together.get(agency_id), alone), (
                indicator.identifier,
                agency_id,
                together.get(agency_id),
                alone,
            )
            checked += 1
    assert checked >= len(ids) * 10
