"""Reads memoised for one unit of work."""

from __future__ import annotations

from danvan.core import memo

calls: list[tuple[int, ...]] = []


@memo.scoped
def _expensive(ids: list[int], *, label: str = "") -> int:
    calls.append(tuple(ids))
    return sum(ids)


def test_inside_a_scope_each_distinct_call_runs_once() -> None:
    calls.clear()
    with memo.memo_scope():
        assert _expensive([1, 2]) == 3
        assert _expensive([1, 2]) == 3
        assert _expensive([1, 2], label="khác") == 3
        with memo.memo_scope():  # nested: the same memo
            assert _expensive([1, 2]) == 3
        assert _expensive([4]) == 4
    assert calls == [(1, 2), (1, 2), (4,)]


def test_outside_a_scope_every_call_runs() -> None:
    calls.clear()
    _expensive([1])
    _expensive([1])
    with memo.memo_scope():
        _expensive([1])
    _expensive([1])
    assert calls == [(1,)] * 4
