"""Fixtures shared by every test: the test province (``world``), clients per role, browsers."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import translation

from danvan.core import refcache
from tests.world import World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    """Each test starts in Vietnamese: a request in English (LocaleMiddleware) leaves its
    language active on the thread, and the next test on that worker would inherit it."""
    translation.activate("vi")
    yield
    translation.activate("vi")


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    refcache.clear_all()
    yield
    refcache.clear_all()
    with contextlib.suppress(Exception):  # no database in this test (the cache lives in it)
        cache.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, not a downloaded one (NOTES.md)."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on a real transaction (browser journeys, the worker) end with the database emptied,
    which would also remove the reference data the migrations load (deadline rules…): restore it
    before each of them (Django's serialized rollback)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker is not None else {}
        transactional = kwargs.get("transaction") or (
            {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        )
        if transactional and "serialized_rollback" not in kwargs:
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
