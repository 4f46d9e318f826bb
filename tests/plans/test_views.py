"""Views of the plans app: numbers typed the Vietnamese way, query counts of the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from danvan.plans.models import Assignment, Plan, Task
from danvan.plans.views.office import parse_decimal
from tests.world import World


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("1234.5", Decimal("1234.5")),
        ("75,17", Decimal("75.17")),
        ("100", Decimal(100)),
        ("", None),
        (" 12 ", Decimal(12)),
    ],
)
def test_parse_decimal(raw: str, value: Decimal | None) -> None:
    assert parse_decimal(raw) == value


def test_plan_page_query_count_does_not_grow_with_assignments(
    world: World, plan: Plan, django_assert_max_num_queries
) -> None:
    client = Client()
    client.force_login(world.user("home_affairs"))
    items = list(Task.objects.filter(plan=plan, kind="item"))
    for task in items[:5]:
        Assignment.objects.create(task=task, agency=world.agencies["pc_a"])
    client.get(f"/office/plans/{plan.pk}/")  # warm caches (content types, sessions)
    with django_assert_max_num_queries(40) as few:
        client.get(f"/office/plans/{plan.pk}/")
    for task in items:
        for key in ("pc_b", "justice", "pc_a1"):
            Assignment.objects.create(task=task, agency=world.agencies[key])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/office/plans/{plan.pk}/").status_code == 200
