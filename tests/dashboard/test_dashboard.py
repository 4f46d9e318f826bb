"""The leaders' dashboard: figures from the registered indicators, ranking, query counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from danvan.core import scheduling
from danvan.dashboard import selectors
from danvan.org.models import AgencyKind
from danvan.plans.loader import load_plan
from danvan.plans.models import Assignment, AssignmentStatus, Task
from danvan.plans.periods import PeriodType, ReportingPeriod
from danvan.shell import registry
from tests.permissions import fresh
from tests.world import World, agency

Y = ReportingPeriod(PeriodType.YEAR, 2026, 1)


def _assign(world: World) -> None:
    plan = load_plan(world.agencies["pc_p"])
    tasks = list(Task.objects.filter(plan=plan, kind="item")[:3])
    # pc_a: 2 due in the year, 1 done on time; pc_b: 1 due, done on time; pc_a1: 1 overdue
    Assignment.objects.create(
        task=tasks[0],
        agency=world.agencies["pc_a"],
        due_on=date(2026, 3, 1),
        status=AssignmentStatus.DONE,
        done_on=date(2026, 2, 1),
        progress=100,
    )
    Assignment.objects.create(
        task=tasks[1],
        agency=world.agencies["pc_a"],
        due_on=date(2026, 5, 1),
        status=AssignmentStatus.IN_PROGRESS,
        progress=50,
    )
    Assignment.objects.create(
        task=tasks[0],
        agency=world.agencies["pc_b"],
        due_on=date(2026, 4, 1),
        status=AssignmentStatus.DONE,
        done_on=date(2026, 4, 1),
        progress=100,
    )
    Assignment.objects.create(
        task=tasks[2],
        agency=world.agencies["pc_a1"],
        due_on=date(2026, 6, 1),
        status=AssignmentStatus.NOT_STARTED,
    )


def test_figures_are_the_indicators_over_the_users_scope(world: World) -> None:
    _assign(world)
    leader = fresh(world.user("committee_leader"))  # huyện A: pc_a and pc_a1
    figures = {f.indicator.identifier: f for f in selectors.key_figures(leader, Y)}
    assert figures["plans.assignments_on_time_rate"].value == Decimal(
        "33.33"
    )  # 1 of 3 (pc_a ×2, pc_a1)
    assert figures["plans.assignments_overdue"].value == 2  # pc_a's open one and pc_a1's
    province = {
        f.indicator.identifier: f
        for f in selectors.key_figures(fresh(world.user("home_affairs")), Y)
    }
    assert province["plans.assignments_on_time_rate"].value == 50  # 2 of 4
    assert province["plans.assignments_overdue"].value == 2


def test_ranking_puts_the_best_first(world: World) -> None:
    _assign(world)
    agencies = selectors.scope_agencies(fresh(world.user("home_affairs")))
    rows = selectors.ranking(registry.indicators.get("plans.assignments_on_time_rate"), agencies, Y)
    assert [(r.agency.code, float(r.value)) for r in rows] == [
        ("UBND-B", 100.0),
        ("UBND-A", 50.0),
        ("UBND-A1", 0.0),
    ]
    overdue = selectors.ranking(registry.indicators.get("plans.assignments_overdue"), agencies, Y)
    assert overdue[0].value == 0  # fewest overdue first
    assert [r.agency.code for r in overdue][-2:] == ["UBND-A", "UBND-A1"]


def test_every_key_indicator_computes_agencies_in_one_go() -> None:
    """The dashboard ranks many agencies: no key indicator may fall back to a query per agency."""
    missing = [i.identifier for i in selectors.key_indicators() if i.compute_by_agency is None]
    assert missing == []


def test_dashboard_queries_do_not_grow_with_the_number_of_agencies(
    world: World, django_assert_max_num_queries
) -> None:
    _assign(world)
    client = Client()
    client.force_login(world.user("home_affairs"))
    url = "/office/dashboard/?rank=plans.assignments_on_time_rate"
    client.get(url)
    with django_assert_max_num_queries(400) as baseline:
        assert client.get(url).status_code == 200
    queries = len(baseline.captured_queries)
    for i in range(15):
        agency(
            f"X{i}",
            f"Ủy ban nhân dân xã Thêm {i}",
            AgencyKind.PEOPLES_COMMITTEE,
            world.units["a1"],
            world.agencies["pc_a"],
        )
    client.get(url)  # the same warm caches (the survey indices are cached per set of agencies)
    with django_assert_max_num_queries(queries):
        page = client.get(url)
    assert "Ủy ban nhân dân xã Thêm 3" in page.content.decode() or page.status_code == 200


def test_dashboard_is_for_leaders(world: World) -> None:
    for role, status in (
        ("handler", 403),
        ("front_desk", 403),
        ("head", 200),
        ("committee_leader", 200),
    ):
        client = Client()
        client.force_login(world.user(role))
        assert client.get("/office/dashboard/").status_code == status, role


def test_figures_are_cached_for_a_few_minutes_and_recomputed_on_demand(world: World) -> None:
    _assign(world)
    home = fresh(world.user("home_affairs"))
    first, at = selectors.key_figures_at(home, Y)
    Assignment.objects.filter(agency=world.agencies["pc_b"]).update(
        status=AssignmentStatus.IN_PROGRESS, done_on=None
    )
    cached, at_again = selectors.key_figures_at(home, Y)
    assert at_again == at
    assert [f.value for f in cached] == [f.value for f in first]
    fresh_figures, fresh_at = selectors.key_figures_at(home, Y, fresh=True)
    rate = {f.indicator.identifier: f.value for f in fresh_figures}[
        "plans.assignments_on_time_rate"
    ]
    assert rate == Decimal("25.00")  # 1 of 4 now
    assert fresh_at >= at


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_and_the_worker_keep_the_leaders_figures_warm(world: World) -> None:
    _assign(world)
    home = fresh(world.user("home_affairs"))
    _figures, at = selectors.key_figures_at(home, Y)
    Assignment.objects.filter(agency=world.agencies["pc_b"]).update(
        status=AssignmentStatus.IN_PROGRESS, done_on=None
    )
    assert "dashboard.warm_figures" in scheduling.run_due_jobs()
    call_command("worker", batch=True, interval=0, verbosity=0)
    figures, warmed_at = selectors.key_figures_at(home, Y)  # read from the cache
    assert warmed_at > at
    rate = {f.indicator.identifier: f.value for f in figures}["plans.assignments_on_time_rate"]
    assert rate == Decimal("25.00")  # 1 of 4 now, computed by the worker
