"""The public dossier look-up as a fast route (see :mod:`danvan.config.fastpath`): the same
selector, rate limits and JSON as ``GET /api/v1/public/dossiers/{code}?phone_last4=``."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote

from django.conf import settings

from danvan.core.errors import NotFoundError
from danvan.onestop import selectors

PREFIX = "/api/v1/public/dossiers/"


def client_address(environ: dict[str, Any]) -> str:
    """As :func:`danvan.core.middleware.client_ip`: behind the proxy in production, the first
    X-Forwarded-For hop."""
    if getattr(settings, "PRODUCTION", False):
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:45]
    return environ.get("REMOTE_ADDR") or "unknown"


def public_lookup(environ: dict[str, Any]) -> dict[str, Any]:
    code = unquote(environ.get("PATH_INFO", "")[len(PREFIX) :]).strip("/")
    if not code or "/" in code:
        raise NotFoundError("Không tìm thấy.")
    digits = parse_qs(environ.get("QUERY_STRING", "")).get("phone_last4", [""])[0][:8]
    return selectors.public_lookup_data(
        code=code, phone_last4=digits, client=client_address(environ)
    )
