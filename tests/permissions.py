"""The permission matrix harness: every role × every action × object in own / another unit.

Each app declares its matrix as ``{action: {role: (own, other)}}`` and calls
:func:`assert_perm_matrix` (rules, on objects) or :func:`http_matrix_case` (its views and API).
Roles missing from a row are expected to be refused in both columns, so a new role is refused
until somebody decides otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from danvan.org.models import Agency
from tests.world import ROLES, World

Matrix = dict[str, dict[str, tuple[bool, bool]]]


def expected(matrix: Matrix, action: str, role: str) -> tuple[bool, bool]:
    return matrix[action].get(role, (False, False))


def cases(matrix: Matrix) -> list[tuple[str, str]]:
    """(action, role) pairs for ``pytest.mark.parametrize``."""
    return [(action, role) for action in matrix for role in ROLES]


def fresh(user: Any) -> Any:
    """A user without cached memberships (what a new request would see)."""
    for attr in ("_danvan_official", "_danvan_memberships", "_perm_cache", "_user_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)
    return user


def assert_perm_matrix(
    world: World, matrix: Matrix, action: str, role: str, make: Callable[[Agency], Any] | None
) -> None:
    """Check ``user.has_perm(action, obj)`` for an object of the role's own agency and of another
    unit's agency (``make=None``: a permission without object, checked once)."""
    user = fresh(world.user(role))
    own_ok, other_ok = expected(matrix, action, role)
    if make is None:
        assert user.has_perm(action) is own_ok, f"{role} {action}: expected {own_ok}"
        return
    own_obj, other_obj = make(world.own(role)), make(world.other)
    assert user.has_perm(action, own_obj) is own_ok, f"{role} {action} own unit: expected {own_ok}"
    assert user.has_perm(action, other_obj) is other_ok, (
        f"{role} {action} other unit: expected {other_ok}"
    )


def client_for(world: World, role: str) -> Client:
    client = Client()
    user = world.user(role)
    if role != "anonymous":
        client.force_login(user)
    return client


def http_allowed(status: int) -> bool:
    """Allowed means served (2xx) or a redirect after a successful POST (302 to a page)."""
    return 200 <= status < 300


def http_refused(status: int) -> bool:
    """Refused: 403, 404 (hidden), 401, or a redirect to the login page for anonymous users."""
    return status in (401, 403, 404, 302)
