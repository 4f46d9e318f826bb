"""Fixtures of the surveys tests: a small questionnaire built through the services, and an open
campaign over the test province's agencies."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import time_machine

from danvan.org.models import Agency
from danvan.surveys import services
from danvan.surveys.models import Campaign, Questionnaire
from danvan.surveys.services import ChoiceIn
from danvan.surveys.sipas import Element
from tests.world import World

# The tests run on a fixed day inside the campaign (a Wednesday).
TODAY = date(2026, 3, 18)
START, END = date(2026, 1, 1), date(2026, 12, 31)


@pytest.fixture(autouse=True)
def _frozen_day() -> Any:
    with time_machine.travel("2026-03-18 09:30:00+07:00", tick=True):
        yield


def ensure_rules() -> None:
    """The invitation validity rule is seeded by a data migration; a transactional test (threads,
    worker, browser) flushes the database after it, seeded rows included: seed it again."""
    from django.apps import apps

    from danvan.core.models import DeadlineRule

    seed = importlib.import_module("danvan.surveys.migrations.0002_deadline_rules")
    if not DeadlineRule.objects.filter(key=seed.RULES[0][0]).exists():
        seed.seed(apps, None)


def build_questionnaire(actor: Any, code: str = "thu-nghiem") -> Questionnaire:
    """Two SIPAS elements, a custom scale question outside the index, and the other kinds.

    access:    A1 (scale, required), A2 (scale, optional, "not applicable" allowed)
    officials: C1 (scale, required)
    custom (not in index): X1 (scale, optional), GT (single), KENH (multiple), SOLAN (number),
               GY (text)
    """
    ensure_rules()
    q = services.questionnaire_create(
        actor=actor, code=code, title="Phiếu thử nghiệm", title_en="Test"
    )
    access = services.section_add(
        actor=actor, questionnaire=q, element=Element.ACCESS, title="Tiếp cận dịch vụ"
    )
    officials = services.section_add(
        actor=actor, questionnaire=q, element=Element.OFFICIALS, title="Công chức"
    )
    other = services.section_add(
        actor=actor, questionnaire=q, element=Element.CUSTOM, title="Thông tin khác", in_index=False
    )
    services.question_add(
        actor=actor,
        section=access,
        code="A1",
        kind="scale",
        text="Nơi chờ sạch sẽ",
        text_en="Clean",
    )
    services.question_add(
        actor=actor,
        section=access,
        code="A2",
        kind="scale",
        text="Nộp hồ sơ trực tuyến thuận tiện",
        required=False,
        allow_na=True,
    )
    services.question_add(
        actor=actor, section=officials, code="C1", kind="scale", text="Công chức lịch sự"
    )
    services.question_add(
        actor=actor, section=other, code="X1", kind="scale", text="Bãi giữ xe", required=False
    )
    services.question_add(
        actor=actor,
        section=other,
        code="GT",
        kind="single",
        text="Giới tính",
        required=False,
        choices=[ChoiceIn("nam", "Nam", "Male"), ChoiceIn("nu", "Nữ", "Female")],
    )
    services.question_add(
        actor=actor,
        section=other,
        code="KENH",
        kind="multiple",
        text="Kênh thông tin",
        required=False,
        choices=[
            ChoiceIn("cong", "Cổng dịch vụ công"),
            ChoiceIn("niemyet", "Niêm yết"),
            ChoiceIn("khac", "Khác"),
        ],
    )
    services.question_add(
        actor=actor,
        section=other,
        code="SOLAN",
        kind="number",
        text="Số lần đi lại",
        required=False,
        min_value=0,
        max_value=20,
    )
    services.question_add(
        actor=actor, section=other, code="GY", kind="text", text="Góp ý", required=False
    )
    return services.questionnaire_publish(actor=actor, questionnaire=q)


@dataclass
class Survey:
    world: World
    questionnaire: Questionnaire
    campaign: Campaign

    @property
    def organiser(self) -> Any:
        return self.world.user("home_affairs")

    @property
    def own(self) -> Agency:
        return self.world.agencies["pc_a"]

    @property
    def other(self) -> Agency:
        return self.world.agencies["pc_b"]

    def participant(self, agency: Agency) -> Any:
        return self.campaign.participants.get(agency=agency)


def open_campaign(
    world: World,
    questionnaire: Questionnaire,
    *,
    populations: dict[str, int] | None = None,
    title: str = "Khảo sát năm 2026",
    start: date = START,
    end: date = END,
) -> Campaign:
    actor = world.user("home_affairs")
    populations = populations or {"pc_a": 10, "pc_b": 1}
    campaign = services.campaign_create(
        actor=actor,
        questionnaire=questionnaire,
        agency=world.agencies["home_affairs"],
        title=title,
        starts_on=start,
        ends_on=end,
        participants=[(world.agencies[k], n) for k, n in populations.items()],
    )
    return services.campaign_open(actor=actor, campaign=campaign)


@pytest.fixture
def survey(world: World) -> Survey:
    questionnaire = build_questionnaire(world.user("home_affairs"))
    return Survey(world, questionnaire, open_campaign(world, questionnaire))


GOOD = {"A1": "5", "A2": "4", "C1": "4"}
