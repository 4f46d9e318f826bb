"""The SIPAS sample size n = N / (1 + N·e²), rounded up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from danvan.surveys.sipas import target_sample


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (0, 0),
        (1, 1),
        (10, 10),  # 10 / 1.025 = 9.76 → 10
        (50, 45),  # 50 / 1.125 = 44.4 → 45
        (100, 80),  # 100 / 1.25 = 80 exactly
        (1000, 286),  # 1000 / 3.5 = 285.7 → 286
        (10_000, 385),  # 10000 / 26 = 384.6 → 385
        (1_000_000, 400),  # tends to 1/e² = 400
    ],
)
def test_target_sample_with_the_sipas_margin(population: int, expected: int) -> None:
    assert target_sample(population) == expected


def test_target_sample_with_another_margin() -> None:
    assert target_sample(1000, Decimal("0.1")) == 91  # 1000 / 11 = 90.9
    assert target_sample(1000, "0.03") == 527  # 1000 / 1.9 = 526.3


@pytest.mark.parametrize("margin", [0, 1, -0.1, 2])
def test_a_margin_outside_zero_one_is_refused(margin: float) -> None:
    with pytest.raises(ValueError, match="margin"):
        target_sample(100, margin)


@given(st.integers(min_value=1, max_value=10**9))
def test_the_sample_never_exceeds_the_population_nor_400(population: int) -> None:
    n = target_sample(population)
    assert 1 <= n <= min(population, 400)
    assert target_sample(population + 1) >= n
