"""Plan 5793/KH-UBND as structured data."""

from __future__ import annotations

import pytest

from danvan.plans.loader import load_plan, subplans_due_on
from danvan.plans.models import Task, TaskKind
from danvan.plans.seed import SEED_TEXT, load_plan_data, parse_plan_text
from tests.world import World


def test_committed_json_is_what_the_parser_makes_of_the_published_text() -> None:
    if not SEED_TEXT.exists():
        pytest.fail(f"the published plan text is expected at {SEED_TEXT}")
    assert parse_plan_text(SEED_TEXT.read_text(encoding="utf-8")) == load_plan_data()


def test_the_plan_has_its_purposes_seven_task_groups_and_four_duties() -> None:
    data = load_plan_data()
    assert data["symbol"] == "5793/KH-UBND"
    assert data["issued_on"] == "2013-11-26"
    assert len(data["purposes"]) == 3
    assert [g["code"] for g in data["groups"]] == [f"II.{i}" for i in range(1, 8)]
    assert [len(g["items"]) for g in data["groups"]] == [4, 6, 5, 3, 4, 3, 3]
    assert data["groups"][4]["title"].startswith("Thực hiện tốt công tác cải cách hành chính")
    assert [d["code"] for d in data["duties"]] == ["III.1", "III.2", "III.3", "III.4"]
    assert "Sở Nội vụ" in data["duties"][3]["text"]
    assert subplans_due_on(data).isoformat() == "2013-12-31"  # "trước ngày 01 tháng 01 năm 2014"


def test_loading_builds_the_task_tree_once(world: World) -> None:
    plan = load_plan(world.agencies["pc_p"])
    assert load_plan(world.agencies["pc_p"]) == plan
    assert Task.objects.filter(plan=plan, kind=TaskKind.GROUP).count() == 7
    assert Task.objects.filter(plan=plan, kind=TaskKind.ITEM).count() == 28
    item = Task.objects.get(plan=plan, code="II.3.5")
    assert item.parent.code == "II.3"
    assert "lãnh đạo phụ trách công tác dân vận" in item.text
