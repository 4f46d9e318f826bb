"""Reference data loaded by migrations survives tests that run on a real transaction."""

from __future__ import annotations

import pytest

from danvan.core.models import DeadlineRule


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_sees_the_rules() -> None:
    assert DeadlineRule.objects.filter(key="complaint.first_resolution").exists()
    DeadlineRule.objects.all().delete()


@pytest.mark.django_db
def test_the_next_test_still_sees_them() -> None:
    assert DeadlineRule.objects.filter(key="complaint.first_resolution").count() == 4


@pytest.mark.django_db(transaction=True)
def test_and_the_next_transactional_one_too() -> None:
    assert DeadlineRule.objects.filter(key="complaint.first_resolution").count() == 4
