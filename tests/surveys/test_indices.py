"""The satisfaction index against data counted by hand: partial answers, "not applicable",
a voided response, custom sections outside the index, fields, periods, the sample target,
trends, and the report indicators that reuse the same selector."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.shell import registry
from danvan.shell.registry import Period
from danvan.surveys import services
from danvan.surveys.models import Response
from danvan.surveys.selectors import (
    compute_indices,
    month_periods,
    satisfaction_index,
    satisfaction_indices,
    satisfaction_trend,
)
from tests.surveys.conftest import Survey


def paper(
    survey: Survey,
    agency: Any,
    answers: dict[str, str],
    *,
    on: date,
    field: str = "",
    ref: str = "",
) -> Response:
    return services.response_enter_paper(
        actor=survey.world.user("home_affairs"),
        participant=survey.participant(agency),
        answers=answers,
        answered_on=on,
        field=field,
        paper_ref=ref,
    )


@pytest.fixture
def counted(survey: Survey) -> Survey:
    """The hand-counted data set.

    Agency A (pc_a, N = 10 → n = 10):
      R1 12/01  Hộ tịch  A1=5  A2=4   C1=3  X1=1
      R2 20/01  Hộ tịch  A1=4  A2=na  C1=5
      R3 10/02  Đất đai  A1=2  (A2 unanswered)  C1=4
      R4 15/02  voided   A1=1  A2=1   C1=1
    Agency B (pc_b, N = 1 → n = 1):
      R5 05/02           A1=5  A2=5   C1=5

    A: A1 2/3, A2 1/1 → access (2/3 + 1)/2 = 5/6 = 83,33 %; C1 2/3 → officials 66,67 %;
       overall (5/6 + 2/3)/2 = 3/4 = 75,00 % (X1 is in a section outside the index)
    B: 100 % everywhere.
    Pooled: A1 3/4, A2 2/2 → access 7/8; C1 3/4 → overall (7/8 + 3/4)/2 = 13/16 = 81,25 %.
    """
    a, b = survey.own, survey.other
    paper(
        survey,
        a,
        {"A1": "5", "A2": "4", "C1": "3", "X1": "1"},
        on=date(2026, 1, 12),
        field="Hộ tịch",
    )
    paper(survey, a, {"A1": "4", "A2": "na", "C1": "5"}, on=date(2026, 1, 20), field="Hộ tịch")
    paper(survey, a, {"A1": "2", "C1": "4"}, on=date(2026, 2, 10), field="Đất đai")
    voided = paper(survey, a, {"A1": "1", "A2": "1", "C1": "1"}, on=date(2026, 2, 15))
    services.response_void(
        actor=survey.world.user("home_affairs"), response=voided, reason="Nhập nhầm"
    )
    paper(survey, b, {"A1": "5", "A2": "5", "C1": "5"}, on=date(2026, 2, 5))
    return survey


def by_agency(rows: list[Any]) -> dict[str, Any]:
    return {r.agency_code: r for r in rows}


def test_indices_per_agency_match_the_hand_count(counted: Survey) -> None:
    rows = by_agency(satisfaction_indices(campaign_id=counted.campaign.pk))
    a = rows["UBND-A"]
    assert a.responses == 3
    access = a.element("access")
    assert [(q.code, q.answered, q.satisfied, q.not_applicable) for q in access.questions] == [
        ("A1", 3, 2, 0),
        ("A2", 1, 1, 1),
    ]
    assert access.questions[0].distribution == (0, 1, 0, 1, 1)
    assert access.index == Decimal("83.33")
    assert a.element("officials").index == Decimal("66.67")
    assert a.overall == Decimal("75.00")
    # the custom section is reported but does not count in the overall index
    custom = a.element("custom:Thông tin khác")
    assert custom is not None and not custom.in_index and custom.index == Decimal("0.00")
    b = rows["UBND-B"]
    assert (b.responses, b.overall) == (1, Decimal("100.00"))


def test_the_pooled_index_pools_answers_not_agency_averages(counted: Survey) -> None:
    pooled = satisfaction_index(campaign_id=counted.campaign.pk)
    assert pooled.responses == 4
    assert pooled.element("access").index == Decimal("87.50")
    assert pooled.element("officials").index == Decimal("75.00")
    assert pooled.overall == Decimal("81.25")  # not (75 + 100) / 2
    assert pooled.target == 11  # 10 + 1


def test_sample_target_and_below_target_note(counted: Survey) -> None:
    rows = by_agency(satisfaction_indices(campaign_id=counted.campaign.pk))
    assert (rows["UBND-A"].target, rows["UBND-A"].below_target, rows["UBND-A"].shortfall) == (
        10,
        True,
        7,
    )
    assert (rows["UBND-B"].target, rows["UBND-B"].below_target) == (1, False)


def test_a_participant_without_responses_still_has_a_row(counted: Survey) -> None:
    justice = counted.world.agencies["justice"]
    services.participant_set(
        actor=counted.organiser, campaign=counted.campaign, agency=justice, population=50
    )
    row = by_agency(satisfaction_indices(campaign_id=counted.campaign.pk))["STP"]
    assert (row.responses, row.overall, row.target, row.below_target) == (0, None, 45, True)


def test_period_and_field(counted: Survey) -> None:
    january = Period(date(2026, 1, 1), date(2026, 1, 31))
    a = by_agency(satisfaction_indices(campaign_id=counted.campaign.pk, period=january))["UBND-A"]
    # R1, R2: A1 2/2, A2 1/1 → access 100; C1 1/2 → 50; overall 75
    assert (a.responses, a.overall) == (2, Decimal("75.00"))
    fields = {
        (r.agency_code, r.field): r
        for r in satisfaction_indices(campaign_id=counted.campaign.pk, by_field=True)
    }
    assert set(fields) == {("UBND-A", "Hộ tịch"), ("UBND-A", "Đất đai"), ("UBND-B", "")}
    land = fields[("UBND-A", "Đất đai")]  # R3: A1=2 → 0; C1=4 → 100
    assert (land.responses, land.overall, land.target) == (1, Decimal("50.00"), None)


def test_indices_without_campaign_by_agency_ids(counted: Survey) -> None:
    only_b = satisfaction_index(agency_ids=[counted.other.pk])
    assert (only_b.responses, only_b.overall, only_b.target) == (1, Decimal("100.00"), None)
    nothing = satisfaction_index(agency_ids=[counted.world.agencies["justice"].pk])
    assert (nothing.responses, nothing.overall) == (0, None)


def test_trend_over_months(counted: Survey) -> None:
    periods = month_periods(date(2026, 1, 1), date(2026, 3, 18))
    assert [p.start for p in periods] == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert periods[1].end == date(2026, 2, 28) and periods[-1].end == date(2026, 3, 18)
    trend = satisfaction_trend(
        start=date(2026, 1, 1), end=date(2026, 3, 18), agency_ids=[counted.own.pk]
    )
    assert [t.period for t in trend] == periods
    assert [(t.index.responses, t.index.overall) for t in trend] == [
        (2, Decimal("75.00")),
        (1, Decimal("50.00")),
        (0, None),
    ]


def test_same_question_code_is_pooled_across_versions(counted: Survey) -> None:
    actor = counted.organiser
    v2 = services.questionnaire_new_version(actor=actor, questionnaire=counted.questionnaire)
    services.questionnaire_publish(actor=actor, questionnaire=v2)
    services.campaign_close(actor=actor, campaign=counted.campaign)
    later = services.campaign_create(
        actor=actor,
        questionnaire=v2,
        agency=counted.world.agencies["home_affairs"],
        title="Đợt 2",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
        participants=[(counted.own, 5)],
    )
    services.campaign_open(actor=actor, campaign=later)
    services.response_enter_paper(
        actor=actor,
        participant=later.participants.get(),
        answers={"A1": "5", "C1": "5"},
        answered_on=date(2026, 3, 2),
    )
    a = satisfaction_index(agency_ids=[counted.own.pk])
    # A1 over both versions: 5,4,2 + 5 → 3/4; A2 1/1 → access 7/8; C1 3,5,4 + 5 → 3/4
    a1 = a.element("access").questions[0]
    assert (a1.code, a1.answered, a1.satisfied) == ("A1", 4, 3)
    assert a.overall == Decimal("81.25")


def test_the_index_query_count_does_not_grow_with_agencies(
    counted: Survey, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(5):
        rows = compute_indices(campaign_id=counted.campaign.pk)
    assert len(rows) == 2
    with CaptureQueriesContext(connection) as pooled:
        compute_indices(by_agency=False)
    assert len(pooled.captured_queries) <= 3


def test_indices_are_cached_until_the_answers_change(
    counted: Survey, django_assert_max_num_queries: Any
) -> None:
    first = satisfaction_indices(campaign_id=counted.campaign.pk)
    with django_assert_max_num_queries(2):  # the data version and the cached rows
        again = satisfaction_indices(campaign_id=counted.campaign.pk)
    assert again == first
    paper(counted, counted.other, {"A1": "1", "C1": "1"}, on=date(2026, 3, 1))
    b = by_agency(satisfaction_indices(campaign_id=counted.campaign.pk))["UBND-B"]
    # A1 5,1 → 1/2; A2 5 → 1/1; access 3/4; C1 5,1 → 1/2; overall (3/4 + 1/2)/2 = 62,50 %
    assert (b.responses, b.overall) == (2, Decimal("62.50"))
    assert by_agency(compute_indices(campaign_id=counted.campaign.pk))["UBND-B"] == b


def test_report_indicators_use_the_same_selector(counted: Survey) -> None:
    ids = [counted.own.pk, counted.other.pk]
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    assert registry.indicators.get("surveys.satisfaction_index").compute(ids, year) == Decimal(
        "81.25"
    )
    assert registry.indicators.get("surveys.responses").compute(ids, year) == 4
    assert registry.indicators.get("surveys.index_access").compute(ids, year) == Decimal("87.50")
    assert registry.indicators.get("surveys.index_results").compute(ids, year) is None
    empty = Period(date(2025, 1, 1), date(2025, 12, 31))
    assert registry.indicators.get("surveys.satisfaction_index").compute(ids, empty) is None
