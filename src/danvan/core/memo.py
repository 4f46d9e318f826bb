"""Expensive reads memoised for one unit of work (a dashboard, a report's pre-fill).

Several indicators come from one statistics query of their app (the petitions' figures from one
pass over the petitions, feedback's from one report): inside :func:`memo_scope`, a function
decorated with :func:`scoped` runs once per distinct set of arguments; outside, it runs every
time. Values are shared within the scope: callers must not change them.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_memo: contextvars.ContextVar[dict[tuple[str, str], Any] | None] = contextvars.ContextVar(
    "danvan_memo", default=None
)


@contextmanager
def memo_scope() -> Iterator[None]:
    if _memo.get() is not None:  # nested: the outer scope keeps everything
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def scoped[**P, R](fn: Callable[P, R]) -> Callable[P, R]:
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        memo = _memo.get()
        if memo is None:
            return fn(*args, **kwargs)
        key = (name, repr((args, sorted(kwargs.items()))))
        if key not in memo:
            memo[key] = fn(*args, **kwargs)
        return memo[key]

    return wrapper
