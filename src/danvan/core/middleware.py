"""Middleware of the core: request context for the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from danvan.core.context import RequestInfo, reset_request_info, set_request_info


def client_ip(request: HttpRequest) -> str | None:
    """The client address. Behind a reverse proxy (production) the first X-Forwarded-For hop."""
    if getattr(settings, "PRODUCTION", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:45]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        info = RequestInfo(
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
            request_id=request.META.get("HTTP_X_REQUEST_ID", "") or uuid.uuid4().hex[:16],
        )
        token = set_request_info(info)
        try:
            return self.get_response(request)
        finally:
            reset_request_info(token)
