"""Fixtures of the consultations tests: an open draft of UBND huyện An Phú with five articles."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from danvan.consultations import services
from danvan.consultations.models import Consultation, DraftKind, IdentityLevel
from danvan.core.models import DeadlineRule
from danvan.org.models import Agency
from tests.consultations.drafts import legal_draft_docx
from tests.world import World

__all__ = ["legal_draft_docx"]

DRAFT_TEXT = """Căn cứ Luật Tổ chức chính quyền địa phương;
Chương I. QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Quy định về quản lý chợ.
Điều 2. Đối tượng áp dụng
1. Cơ quan nhà nước.
2. Thương nhân.
Chương II. QUẢN LÝ CHỢ
Điều 3. Trách nhiệm của Ủy ban nhân dân cấp xã
1. Niêm yết giá thuê.
2. Giải quyết phản ánh.
Điều 4. Giá thuê
Giá thuê do cấp xã phê duyệt.
Điều 5. Hiệu lực thi hành
Có hiệu lực từ ngày 01/01/2027."""


def ensure_rules() -> None:
    """The minimum-period rule is seeded by a data migration; a transactional test (browser
    tests) flushes the database after it, seeded rows included: seed them again (idempotent)."""
    from django.apps import apps

    seed = importlib.import_module("danvan.consultations.migrations.0002_seed_deadline_rules")
    if not DeadlineRule.objects.filter(key=seed.RULES[0][0]).exists():
        seed.seed(apps, None)


def make_consultation(
    world: World,
    agency: Agency | None = None,
    *,
    identity_level: str = IdentityLevel.NAMED,
    open_it: bool = True,
    kind: str = DraftKind.LEGAL_DOCUMENT,
    title: str = "Quy định về quản lý chợ trên địa bàn huyện",
) -> Consultation:
    ensure_rules()
    agency = agency or world.own("handler")
    actor = world.user("handler") if agency == world.own("handler") else _organiser(agency)
    now = timezone.now()
    c = services.consultation_create(
        actor=actor,
        agency=agency,
        title=title,
        kind=kind,
        summary="Dự thảo quy định phân cấp quản lý chợ.",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=35),
        identity_level=identity_level,
        affected_units=[world.units["a1"]],
    )
    services.sections_from_text(actor=actor, consultation=c, text=DRAFT_TEXT)
    if open_it:
        services.consultation_open(actor=actor, consultation=c)
    return c


def _organiser(agency: Agency) -> Any:
    from danvan.org import services as org_services
    from danvan.org.models import User

    user, _ = User.objects.get_or_create(username=f"handler-{agency.code}")
    org_services.official_add(actor=None, user=user, agency=agency, roles=["handler"])
    return user


@pytest.fixture
def consultation(world: World) -> Consultation:
    return make_consultation(world)
