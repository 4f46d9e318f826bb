"""Sliding-window abuse limits in the database."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from danvan.core import ratelimit
from danvan.core.calendar import TZ
from danvan.core.models import RateStamp

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=TZ)
pytestmark = pytest.mark.django_db


def test_a_subject_is_blocked_until_its_oldest_stamp_in_the_window_leaves_it() -> None:
    me = ratelimit.subject("test:ip", "203.0.113.7")
    other = ratelimit.subject("test:ip", "203.0.113.8")
    for minutes in (9, 5, 1):
        ratelimit.record([me], now=NOW - timedelta(minutes=minutes))
    ratelimit.record([other], now=NOW)
    stamps = ratelimit.recent([me, other], now=NOW, longest=600)
    assert len(stamps[me]) == 3 and len(stamps[other]) == 1
    # 3 in 10 minutes: the oldest (9 minutes ago) leaves the window in 60 s
    assert ratelimit.blocked(stamps[me], [(600, 3)], now=NOW) == 61
    assert ratelimit.blocked(stamps[me], [(600, 4)], now=NOW) == 0
    assert ratelimit.blocked(stamps[other], [(600, 3)], now=NOW) == 0
    # the longest wait of several windows
    assert ratelimit.blocked(stamps[me], [(600, 4), (120, 1)], now=NOW) == 61


def test_the_subject_does_not_hold_the_address() -> None:
    name = ratelimit.subject("feedback:phone", "0912345678")
    assert "0912345678" not in name and name.startswith("feedback:phone:")


def test_old_stamps_are_pruned() -> None:
    me = ratelimit.subject("test:ip", "198.51.100.1")
    ratelimit.record([me], now=NOW - ratelimit.KEEP - timedelta(minutes=1))
    ratelimit.record([me], now=NOW)
    assert ratelimit.prune(now=NOW) == 1
    assert list(RateStamp.objects.values_list("at", flat=True)) == [NOW]
