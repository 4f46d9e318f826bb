"""Load plan 5793/KH-UBND (structured, from ``data/plan_5793.json``) as a Plan with its tasks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from danvan.org.models import Agency
from danvan.plans.models import Plan, Task, TaskKind
from danvan.plans.seed import load_plan_data


@transaction.atomic
def load_plan(agency: Agency, data: dict[str, Any] | None = None) -> Plan:
    """Create (or return) the plan issued by ``agency`` from its structured data (idempotent)."""
    data = data or load_plan_data()
    plan, created = Plan.objects.get_or_create(
        symbol=data["symbol"],
        agency=agency,
        defaults={
            "title": data["title"],
            "issued_on": date.fromisoformat(data["issued_on"]),
            "purposes": "\n".join(data["purposes"]),
            "organisation": "\n".join(d["text"] for d in data["duties"]),
            "is_public": True,
        },
    )
    if not created:
        return plan
    order = 0

    def task(code: str, kind: str, title: str, text: str = "", parent: Task | None = None) -> Task:
        nonlocal order
        order += 1
        return Task.objects.create(
            plan=plan,
            parent=parent,
            code=code,
            kind=kind,
            title=title[:300],
            text=text,
            order=order,
        )

    for i, purpose in enumerate(data["purposes"], start=1):
        task(f"I.{i}", TaskKind.PURPOSE, purpose[:160], purpose)
    for group in data["groups"]:
        parent = task(group["code"], TaskKind.GROUP, group["title"])
        for item in group["items"]:
            task(item["code"], TaskKind.ITEM, item["title"], item["text"], parent)
    for duty in data["duties"]:
        task(duty["code"], TaskKind.DUTY, duty["text"][:160], duty["text"])
    return plan


def subplans_due_on(data: dict[str, Any] | None = None) -> date | None:
    """The day by which agencies must issue their own plans ("trước ngày 01/01/2014" → 31/12/2013)."""
    data = data or load_plan_data()
    for duty in data["duties"]:
        if "subplans_due_before" in duty:
            return date.fromisoformat(duty["subplans_due_before"]) - timedelta(days=1)
    return None
