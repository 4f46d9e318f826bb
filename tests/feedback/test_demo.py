"""The demo data: realistic items across several agencies and communes in every state, through
the services; idempotent; the demo accounts are listed."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from danvan.feedback.models import Feedback, FeedbackEvent, RoutingRule, Status
from danvan.feedback.selectors import public_list
from danvan.shell import registry


def test_the_demo_loads_once_with_items_in_every_state(db: Any) -> None:
    registry.demo_loaders.get("org").load()
    loader = registry.demo_loaders.get("feedback")
    loader.load()
    loader.load()  # idempotent
    assert Feedback.objects.count() == 40
    statuses = dict(Feedback.objects.values_list("status").annotate(n=Count("pk")))
    assert set(statuses) >= {
        Status.RECEIVED,
        Status.PROCESSING,
        Status.AWAITING_APPROVAL,
        Status.ANSWERED,
        Status.MERGED,
    }
    assert Feedback.objects.values("agency").distinct().count() >= 5
    assert Feedback.objects.exclude(unit=None).values("unit").distinct().count() >= 5
    assert FeedbackEvent.objects.filter(kind="transferred").exists()
    assert RoutingRule.objects.filter(unit__isnull=True).count() == 5
    published = public_list().items
    assert published and all(i.public_answer for i in published)
    for item in published:
        assert (
            item.sender_name not in item.public_title + item.public_answer or not item.sender_name
        )
    accounts = loader.accounts()
    assert {a["role"] for a in accounts} == {"front_desk", "handler", "head"}
    assert all(a["agency"] == "Ủy ban nhân dân huyện Châu Thành" for a in accounts)
    district = Feedback.objects.filter(agency__code="UBND-831")
    assert district.exists()
