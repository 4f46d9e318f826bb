"""Helpers shared by the feedback views."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest

from danvan.core.errors import ApplicationError


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, trusting X-Forwarded-For only where the platform does (production
    behind its reverse proxy: the same setting the login lockout uses)."""
    order = getattr(settings, "AXES_IPWARE_META_PRECEDENCE_ORDER", ["REMOTE_ADDR"])
    for header in order:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip() or None
    return None


def add_error(form: forms.BaseForm, exc: ApplicationError) -> None:
    """Put a service's error on the form field it names (or on the whole form)."""
    field = exc.details.get("field")
    if isinstance(field, str) and field in form.fields:
        form.add_error(field, exc.message)
    else:
        form.add_error(None, exc.message)


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def query_string(request: HttpRequest, drop: tuple[str, ...] = ("page",)) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()
