from __future__ import annotations

from datetime import date

import pytest

from danvan.plans.loader import load_plan
from danvan.plans.models import Plan, ReportTemplate
from danvan.plans.periods import PeriodType
from tests.world import World


@pytest.fixture
def plan(world: World) -> Plan:
    return load_plan(world.agencies["pc_p"])


@pytest.fixture
def template(world: World, plan: Plan) -> ReportTemplate:
    t = ReportTemplate.objects.create(
        name="Báo cáo công tác dân vận chính quyền",
        period_type=PeriodType.YEAR,
        plan=plan,
        indicators=["plans.assignments_on_time_rate", "plans.assignments_overdue"],
        sections=["Kết quả", "Hạn chế"],
        due_working_days=5,
    )
    t.agencies.set([world.agencies["pc_a"], world.agencies["pc_b"], world.agencies["justice"]])
    return t


YEAR_2025 = (date(2024, 12, 15), date(2025, 12, 14))
