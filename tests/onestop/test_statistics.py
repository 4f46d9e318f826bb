"""Statistics against hand-counted data: the daily counters that the services keep equal a
rebuild from the dossiers; per agency, field and period; pending within / past due; the
indicators registered in the shell; the generator; the reminder task through the real worker."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from danvan.core.models import OutboxMessage, OutboxStatus
from danvan.onestop import services, stats
from danvan.onestop.models import (
    DailyStat,
    Dossier,
    MonthlyStat,
    Procedure,
    ProcedureField,
    Status,
)
from danvan.onestop.selectors import statistics
from danvan.shell.registry import Period, indicators
from tests.onestop.conftest import at, receive
from tests.permissions import fresh
from tests.world import World

pytestmark = pytest.mark.django_db


def counters() -> list[tuple]:
    daily = DailyStat.objects.values_list("agency_id", "field_id", "day", *DailyStat.COUNTERS)
    monthly = MonthlyStat.objects.values_list("agency_id", "field_id", "month", *DailyStat.COUNTERS)
    return sorted(daily) + [("month", *r) for r in sorted(monthly)]


@pytest.fixture
def november(world: World, procedure: Procedure, clock: Any) -> dict[str, Any]:
    """In November 2026 at UBND huyện A (5-working-day procedure):
    - A: counter, 02/11, resolved 04/11 (early), returned 05/11
    - B: online, 02/11, resolved 09/11 08:00 (due 09/11 09:00: on time)
    - C: counter, 03/11, resolved 12/11 (late), returned 12/11
    - D: post, 16/11, still running: due 23/11 (at 20/11: within due)
    - E: counter, 04/11, still running: due 11/11 (at 20/11: past due)
    - F: counter, 05/11, withdrawn 06/11
    - G: counter, 06/11, incomplete then refused 06/11 (not counted as received)
    """
    desk, handler = fresh(world.user("front_desk")), fresh(world.user("handler"))
    made: dict[str, Dossier] = {}

    def step(name: str, moment: Any, **kw: Any) -> Dossier:
        clock(moment)
        made[name] = receive(world, procedure, **kw)
        return made[name]

    def resolve(d: Dossier, moment: Any, returned: Any = None) -> None:
        clock(moment)
        services.dossier_resolve(actor=handler, dossier=d)
        if returned:
            clock(returned)
            services.dossier_return_result(actor=desk, dossier=d)

    step("A", at(2026, 11, 2, 9))
    step("B", at(2026, 11, 2, 9), channel="online")
    step("C", at(2026, 11, 3, 9))
    step("E", at(2026, 11, 4, 9))
    step("F", at(2026, 11, 5, 9))
    g = step("G", at(2026, 11, 6, 9), complete=False)
    services.dossier_refuse(actor=desk, dossier=g, reasons="Không thuộc thẩm quyền")
    clock(at(2026, 11, 6, 10))
    services.dossier_withdraw(actor=desk, dossier=made["F"], reason="Đơn xin rút")
    resolve(made["A"], at(2026, 11, 4, 10), at(2026, 11, 5, 9))
    resolve(made["B"], at(2026, 11, 9, 8))
    resolve(made["C"], at(2026, 11, 12, 10), at(2026, 11, 12, 15))
    step("D", at(2026, 11, 16, 9), channel="post")
    clock(at(2026, 11, 20, 10))
    return made


def test_statistics_match_the_hand_count(world: World, november: dict[str, Any]) -> None:
    s = statistics(user=fresh(world.user("head")), start=date(2026, 11, 1), end=date(2026, 11, 30))
    [row] = s.rows
    assert row.label == "Ủy ban nhân dân huyện An Phú"
    assert (row.received_counter, row.received_online, row.received_post, row.received) == (
        4,
        1,
        1,
        6,
    )
    assert (row.resolved_early, row.resolved_on_time, row.resolved_late) == (1, 1, 1)
    assert row.on_time_rate == Decimal("66.7")
    assert (row.pending_within, row.pending_overdue) == (1, 1)
    assert (row.returned, row.withdrawn, row.refused) == (2, 1, 1)
    assert s.total.received == 6


def test_a_period_counts_by_the_day_of_each_step(world: World, november: dict[str, Any]) -> None:
    s = statistics(user=fresh(world.user("head")), start=date(2026, 11, 1), end=date(2026, 11, 5))
    t = s.total
    assert (t.received, t.resolved_early, t.resolved_on_time, t.returned) == (5, 1, 0, 1)
    # pending as of now, for dossiers received up to the end of the period: E (past due)
    assert (t.pending_within, t.pending_overdue) == (0, 1)


def test_by_field_and_scope(world: World, november: dict[str, Any], procedure: Procedure) -> None:
    by_field = statistics(
        user=fresh(world.user("head")),
        start=date(2026, 11, 1),
        end=date(2026, 11, 30),
        group_by="field",
    )
    assert [r.label for r in by_field.rows] == ["Hộ tịch"]
    other = statistics(
        user=fresh(world.user("front_desk")), start=date(2026, 11, 1), end=date(2026, 11, 30)
    )
    assert other.total.received == 6
    nothing = statistics(
        user=fresh(world.user("citizen")), start=date(2026, 11, 1), end=date(2026, 11, 30)
    )
    assert nothing.rows == [] and nothing.total.received == 0
    assert ProcedureField.objects.count() == 1


def test_past_due_today(world: World, november: dict[str, Any], clock: Any) -> None:
    clock(at(2026, 11, 23, 10))  # D was due at 09:00 today
    s = statistics(user=fresh(world.user("head")), start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert s.overdue_today == 1
    assert (s.total.pending_within, s.total.pending_overdue) == (0, 2)


def test_the_counters_equal_a_rebuild_from_the_dossiers(
    world: World, november: dict[str, Any]
) -> None:
    kept = counters()
    assert stats.rebuild() == DailyStat.objects.count()
    assert counters() == kept


def test_indicators_for_the_periodic_reports(world: World, november: dict[str, Any]) -> None:
    period = Period(date(2026, 11, 1), date(2026, 11, 30))
    agency_ids = [world.own("head").pk]
    values = {
        i.identifier: i.compute(agency_ids, period)
        for i in indicators
        if i.identifier.startswith("onestop.")
    }
    assert values["onestop.received"] == 6
    assert values["onestop.received_online"] == 1
    assert values["onestop.resolved_late"] == 1
    assert values["onestop.pending_overdue"] == 1
    assert values["onestop.on_time_rate"] == Decimal("66.7")
    assert indicators.get("onestop.received").compute([world.other.pk], period) == 0
    by_agency = indicators.get("onestop.received").values_by_agency(
        [*agency_ids, world.other.pk], period
    )
    assert by_agency == {agency_ids[0]: 6, world.other.pk: 0}
    rate = indicators.get("onestop.on_time_rate").values_by_agency(
        [*agency_ids, world.other.pk], period
    )
    assert rate == {agency_ids[0]: Decimal("66.7"), world.other.pk: None}
    drill = indicators.get("onestop.received").drilldown_url
    assert drill is not None and drill(agency_ids, period).endswith(
        "?start=2026-11-01&end=2026-11-30"
    )


def test_statistics_page_is_a_fixed_number_of_queries(
    world: World, november: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from django.urls import reverse

    from tests.permissions import client_for

    client = client_for(world, "home_affairs")
    with django_assert_max_num_queries(14):
        response = client.get(
            reverse("onestop:statistics"), {"start": "2026-11-01", "end": "2026-11-30"}
        )
    assert "Ủy ban nhân dân huyện An Phú" in response.content.decode()


def test_the_generator_writes_realistic_dossiers_and_counters(
    world: World, procedure: Procedure
) -> None:
    from danvan.onestop.generate import generate

    agencies = [world.agencies[k] for k in ("pc_a", "pc_b")]
    result = generate(
        dossiers=400, years=0.25, end=date(2026, 11, 27), agencies=agencies, batch_size=150
    )
    assert result.dossiers == Dossier.objects.count() == 400
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(set(codes)) == 400
    assert all(c.startswith(("UBND-A-26", "UBND-B-26")) for c in codes)
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {Status.RETURNED, Status.NOT_RECEIVED} <= statuses
    kept = counters()
    stats.rebuild()
    assert counters() == kept
    # the sequences continue after the generated ones
    last = max(c for c in codes if c.startswith("UBND-A-"))
    day = date(2000 + int(last[7:9]), int(last[9:11]), int(last[11:13]))
    following = services.dossier_code_next(agency=agencies[0], on=day)
    assert int(following[-4:]) == int(last[-4:]) + 1


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 9, 1), date(2026, 11, 30)),  # whole months
        (date(2026, 9, 17), date(2026, 11, 3)),  # partial months at both ends
        (date(2026, 10, 5), date(2026, 10, 25)),  # inside one month
        (date(2026, 10, 1), date(2026, 11, 12)),  # whole month, then part of one
    ],
)
def test_months_and_days_add_up_like_the_days(
    world: World, procedure: Procedure, start: date, end: date
) -> None:
    from django.db.models import Sum

    from danvan.onestop.generate import generate

    generate(dossiers=300, years=0.3, end=date(2026, 11, 27), agencies=[world.agencies["pc_a"]])
    s = statistics(user=None, start=start, end=end)
    days = DailyStat.objects.filter(day__gte=start, day__lte=end).aggregate(
        **{n: Sum(n) for n in DailyStat.COUNTERS}
    )
    for name in DailyStat.COUNTERS:
        assert getattr(s.total, name) == (days[name] or 0), name
    assert s.total.received > 0


def test_generate_command(world: World, procedure: Procedure) -> None:
    from io import StringIO

    out = StringIO()
    call_command("onestop", "generate", "--dossiers", "50", "--years", "0.1", stdout=out)
    assert Dossier.objects.count() == 50
    assert "Đã sinh 50 hồ sơ" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_reminder_task_and_notifications_go_through_the_worker(
    deadline_rules: None, world: World, procedure: Procedure, clock: Any
) -> None:
    from danvan.core import scheduling

    handler = world.user("handler")
    handler.email = "thuly@example.vn"
    handler.save()
    clock(at(2026, 11, 16, 9))
    dossier = receive(world, procedure)
    services.dossier_forward(
        actor=fresh(world.user("front_desk")), dossier=dossier, to_user=handler
    )
    clock(at(2026, 11, 19, 10))
    assert "onestop.remind_apologies" in [j.name for j in scheduling.jobs()]
    started = scheduling.run_due_jobs()
    assert "onestop.remind_apologies" in started
    call_command("worker", batch=True)
    call_command("worker", batch=True)  # the reminder queued its messages
    mail = OutboxMessage.objects.get(channel="email", recipient="thuly@example.vn")
    assert mail.status == OutboxStatus.SENT and dossier.code in mail.body
    sms = OutboxMessage.objects.filter(channel="sms", recipient="0912345678")
    assert sms.count() == 1 and sms.get().status == OutboxStatus.SENT
