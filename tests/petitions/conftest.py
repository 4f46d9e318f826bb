"""Helpers for the petitions tests: petitions filed through the services, at fixed times."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from danvan.core.calendar import TZ
from danvan.org.models import Agency
from danvan.petitions import services
from danvan.petitions.models import Petition
from danvan.petitions.services import PetitionerIn
from tests.world import World


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def file_petition(
    world: World,
    *,
    kind: str = "complaint",
    agency: Agency | None = None,
    actor: Any = None,
    received_at: datetime | None = None,
    name: str = "Nguyễn Thị Khiếu",
    **extra: Any,
) -> Petition:
    agency = agency or world.own("handler")
    if actor is None:
        actor = world.user("handler") if agency == world.own("handler") else other_handler(world)
    return services.petition_receive(
        actor=actor,
        agency=agency,
        kind=kind,
        received_at=received_at or at(2026, 3, 2),
        petitioner=PetitionerIn(
            name=name, address=extra.pop("address", "Ấp 3, xã An Hòa"), phone=extra.pop("phone", "")
        ),
        content=extra.pop("content", "Khiếu nại quyết định thu hồi đất của hộ gia đình."),
        subject=extra.pop("subject", "Khiếu nại về bồi thường khi thu hồi đất"),
        **extra,
    )


def other_handler(world: World) -> Any:
    """A handler in the other district's People's Committee (created once)."""
    from danvan.org import services as org_services
    from tests.world import user

    existing = world.users.get("handler_b")
    if existing is None:
        existing = user("handler.b", "Lâm Văn Bình")
        org_services.official_add(
            actor=None, user=existing, agency=world.other, roles=["handler"], position="Chuyên viên"
        )
        world.users["handler_b"] = existing
    return existing


def reseed() -> None:
    """Put back the data that migrations seed (deadline rules, tags, reception quotas): a
    ``transaction=True`` test ends with a flush, which empties every table."""
    from importlib import import_module

    from django.apps import apps

    from danvan.core.models import DeadlineRule
    from danvan.petitions.models import ReceptionQuota, Tag

    if (
        DeadlineRule.objects.filter(key="recommendation.resolution").exists()
        and DeadlineRule.objects.filter(key="complaint.acceptance").exists()
        and Tag.objects.exists()
        and ReceptionQuota.objects.exists()
    ):
        return
    import_module("danvan.core.migrations.0004_seed_deadline_rules").seed(apps, None)
    import_module("danvan.petitions.migrations.0002_seed").seed(apps, None)


@pytest.fixture(autouse=True)
def _seeded_after_flush(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        reseed()


@pytest.fixture
def handler(world: World) -> Any:
    return world.user("handler")


@pytest.fixture
def head(world: World) -> Any:
    return world.user("head")
