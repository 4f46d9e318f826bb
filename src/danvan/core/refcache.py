"""Per-process memos of small reference tables read on every request of a busy path (deadline
rules, calendar exceptions, routing rules, API keys).

A memo is dropped when one of its models is saved or deleted in this process (at once, and again
when the transaction commits), and at the latest after :data:`TTL` seconds, so an edit made in
another process (another web worker, the back office on another machine) takes effect within
half a minute. Tests clear every memo between tests (``clear_all``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

TTL = 30.0

_lock = threading.Lock()
_values: dict[str, tuple[float, Any]] = {}
_watched: set[type[models.Model]] = set()
_by_model: dict[type[models.Model], set[str]] = {}


def memo[T](name: str, load: Callable[[], T], *, depends_on: tuple[type[models.Model], ...]) -> T:
    """``load()``'s value, computed at most once per :data:`TTL` per process."""
    hit = _values.get(name)
    now = time.monotonic()
    if hit is not None and now - hit[0] < TTL:
        return hit[1]
    for model in depends_on:
        _watch(model, name)
    value = load()
    if not transaction.get_connection().in_atomic_block:  # never keep uncommitted rows
        _values[name] = (now, value)
    return value


def forget(name: str) -> None:
    _values.pop(name, None)


def clear_all() -> None:
    _values.clear()


def _drop_dependants(sender: type[models.Model], **_kwargs: Any) -> None:
    names = _by_model.get(sender, set())
    for name in names:
        forget(name)

    def again() -> None:
        for name in names:
            forget(name)

    transaction.on_commit(again)


def _watch(model: type[models.Model], name: str) -> None:
    with _lock:
        _by_model.setdefault(model, set()).add(name)
        if model in _watched:
            return
        _watched.add(model)
    post_save.connect(_drop_dependants, sender=model, weak=False)
    post_delete.connect(_drop_dependants, sender=model, weak=False)
