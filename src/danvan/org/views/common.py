"""Small helpers shared by views."""

from __future__ import annotations

from django.http import HttpRequest

from danvan.org.models import User


def acting_user(request: HttpRequest) -> User:
    """The signed-in user of a view behind ``login_required`` (typed for services)."""
    user = request.user
    assert isinstance(user, User)
    return user
