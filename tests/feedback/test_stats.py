"""Statistics and the shell's report indicators, checked against hand-counted data."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from danvan.core.calendar import TZ
from danvan.feedback import services, stats
from danvan.feedback.models import Category, Feedback
from danvan.shell import registry
from danvan.shell.registry import Period
from tests.feedback.conftest import Submit, item_in
from tests.permissions import client_for, fresh
from tests.world import World

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def at(day: int, hour: int = 9, month: int = 3):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime(2026, month, day, hour, 0, tzinfo=TZ), tick=False)


@pytest.fixture
def march(world: World, submit: Submit) -> dict[str, Feedback]:
    """Hand-made month (agencies: UBND huyện A = pc_a, UBND huyện B = pc_b):

    1. pc_a, local, received 02/03, answered 05/03 — on time
    2. pc_a, conduct, received 03/03, answered 20/03 — late (due 17/03)
    3. pc_a, conduct, received 04/03 — still open
    4. local, received 05/03 by pc_a, transferred to pc_b 06/03 — on time; now pc_b's
    5. pc_a, initiative, received 05/03, merged into 1 on 06/03
    6. pc_b, local, received 27/02, answered 03/03 — on time (answered in March only)
    """
    a, b = world.agencies["pc_a"], world.agencies["pc_b"]
    head, handler = fresh(world.user("head")), fresh(world.user("handler"))
    with at(27, month=2):
        six = item_in(submit, b, category=Category.LOCAL, unit=world.units["b1"])
    with at(2):
        one = item_in(submit, a, category=Category.LOCAL, unit=world.units["a1"])
    with at(3):
        two = item_in(submit, a, category=Category.CONDUCT)
        Feedback.objects.filter(pk=six.pk).update(
            status="answered", answer_text="x", answered_at=datetime(2026, 3, 3, 10, 0, tzinfo=TZ)
        )
    with at(4):
        three = item_in(submit, a, category=Category.CONDUCT)
    with at(5):
        four = item_in(submit, a, category=Category.LOCAL, unit=world.units["a1"])
        five = item_in(submit, a, category=Category.INITIATIVE)
        for item in (one,):
            services.feedback_answer(actor=handler, item=item, text="Đã xử lý.")
            services.feedback_approve(actor=head, item=item)
    with at(6):
        services.feedback_transfer(actor=head, item=four, to_agency=b, reason="Địa bàn huyện B.")
        services.feedback_merge(actor=handler, item=five, into=one)
    with at(20):
        services.feedback_answer(actor=handler, item=two, text="Đã nhắc nhở cán bộ.")
        services.feedback_approve(actor=head, item=two)
    return {"one": one, "two": two, "three": three, "four": four, "five": five, "six": six}


def test_the_report_matches_the_hand_count(world: World, march: dict[str, Feedback]) -> None:
    a, b = world.agencies["pc_a"].pk, world.agencies["pc_b"].pk
    report = stats.report([a, b], MARCH)
    t = report.total
    assert (
        t.received,
        t.answered_on_time,
        t.answered_late,
        t.transferred,
        t.merged,
        t.conduct,
    ) == (5, 2, 1, 1, 1, 2)
    assert t.on_time_rate == Decimal("66.7")
    assert t.conduct_share == Decimal("40.0")
    by_cat = {r.label: r for r in report.by_category}
    local = by_cat["Về vấn đề ở địa phương"]
    assert (local.received, local.answered_on_time, local.transferred) == (2, 2, 1)
    conduct = by_cat["Về hành vi, thái độ của cán bộ, công chức"]
    assert (conduct.received, conduct.answered_late) == (2, 1)
    initiative = by_cat["Sáng kiến, đề xuất"]
    assert (initiative.received, initiative.merged) == (1, 1)
    by_agency = {r.label: r for r in report.by_agency}
    pc_a = by_agency["Ủy ban nhân dân huyện An Phú"]
    assert (
        pc_a.received,
        pc_a.answered_on_time,
        pc_a.answered_late,
        pc_a.transferred,
        pc_a.merged,
    ) == (4, 1, 1, 1, 1)
    assert pc_a.conduct_share == Decimal("50.0")
    pc_b = by_agency["Ủy ban nhân dân huyện Bình Minh"]
    assert (pc_b.received, pc_b.answered_on_time) == (1, 1)


def test_the_report_runs_three_queries_whatever_the_agencies(
    world: World, march: dict[str, Feedback], django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(4):  # three grouped counts and the agencies' names
        stats.report([a.pk for a in world.agencies.values()], MARCH)


def test_the_indicators_are_registered_and_compute(
    world: World, march: dict[str, Feedback]
) -> None:
    a = world.agencies["pc_a"].pk
    expected = {
        "feedback.received": 4,
        "feedback.answered_on_time": 1,
        "feedback.answered_late": 1,
        "feedback.transferred": 1,
        "feedback.merged": 1,
        "feedback.on_time_rate": Decimal("50.0"),
        "feedback.conduct_share": Decimal("50.0"),
    }
    for identifier, value in expected.items():
        assert registry.indicators.get(identifier).compute([a], MARCH) == value, identifier
    assert (
        registry.indicators.get("feedback.received").compute(
            [a], Period(date(2026, 4, 1), date(2026, 4, 30))
        )
        == 0
    )


def test_the_statistics_page_and_its_xlsx(world: World, march: dict[str, Feedback]) -> None:
    client = client_for(world, "home_affairs")
    page = client.get(reverse("feedback:stats"), {"from": "2026-03-01", "to": "2026-03-31"})
    assert page.status_code == 200
    assert "66,7 %" in page.content.decode()
    response = client.get(
        reverse("feedback:stats"), {"from": "2026-03-01", "to": "2026-03-31", "format": "xlsx"}
    )
    assert response["Content-Disposition"].endswith('phan-anh-20260301-20260331.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Theo loại"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][:3] == ["Nội dung", "Tiếp nhận", "Trả lời đúng hạn"]
    total = rows[-1]
    assert total[0] == "Tổng cộng" and total[1:4] == [5, 2, 1]
    assert book["Theo cơ quan"]["A1"].value.startswith("Phản ánh, kiến nghị từ 01/03/2026")


def test_a_head_sees_only_their_agency(world: World, march: dict[str, Feedback]) -> None:
    page = client_for(world, "head").get(
        reverse("feedback:stats"), {"from": "2026-03-01", "to": "2026-03-31"}
    )
    body = page.content.decode()
    assert "Ủy ban nhân dân huyện An Phú" in body and "Bình Minh" not in body


def test_the_indicators_give_each_agencys_figure_in_one_go(
    world: World, march: dict[str, Feedback], django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    a, b, p = (world.agencies[k].pk for k in ("pc_a", "pc_b", "pc_p"))
    indicator = registry.indicators.get("feedback.received")
    with django_assert_num_queries(4):
        values = indicator.values_by_agency([a, b, p], MARCH)
    assert values == {a: 4, b: 1, p: 0}
    rate = registry.indicators.get("feedback.on_time_rate").values_by_agency([a, b, p], MARCH)
    assert rate == {a: Decimal("50.0"), b: Decimal("100.0"), p: None}
