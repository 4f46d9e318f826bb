"""Fast routes: the few public reads that take most of the traffic, answered before Django's
middleware stack (sessions, CSRF, authentication, messages, second factor, lockout), which they
do not need: they are anonymous GETs with their own rate limits.

A route still runs inside Django (same ORM connections, settings, translations, selectors and
error messages); what it skips is per-request work that only signed-in pages use. It answers
with the same JSON and the same security headers as the API would (tested side by side), opens and closes database
connections through Django's request signals, and
hands anything it does not fully handle — another method, an unexpected host, plain HTTP when
HTTPS is required — to the Django application.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any, cast

from django.conf import settings
from django.core import signals
from django.core.serializers.json import DjangoJSONEncoder
from django.http.request import split_domain_port, validate_host
from django.utils import translation
from django.utils.csp import build_policy

from danvan.core.errors import ApplicationError

Handler = Callable[[dict[str, Any]], dict[str, Any]]
StartResponse = Callable[..., Any]
REASONS = {
    200: "OK",
    404: "Not Found",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    400: "Bad Request",
    500: "Internal Server Error",
}

_routes: list[tuple[str, Handler]] = []


def route(prefix: str, handler: Handler) -> None:
    """Answer GET requests under ``prefix`` with ``handler(environ) -> JSON-able dict``."""
    _routes.append((prefix, handler))


@functools.cache
def security_headers() -> tuple[tuple[str, str], ...]:
    """The headers Django's security middleware would add (settings do not change while the
    process runs: computed once)."""
    headers = [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", settings.SECURE_REFERRER_POLICY),
        ("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY),
        ("X-Frame-Options", settings.X_FRAME_OPTIONS),
        (
            "Content-Security-Policy",
            build_policy(cast("dict[str, list[str]]", settings.SECURE_CSP)),
        ),
    ]
    if getattr(settings, "SECURE_HSTS_SECONDS", 0):
        value = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            value += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            value += "; preload"
        headers.append(("Strict-Transport-Security", value))
    return tuple(headers)


def _settings_changed(**_kwargs: Any) -> None:
    security_headers.cache_clear()  # a test overriding a setting


signals.setting_changed.connect(_settings_changed)


def _acceptable(environ: dict[str, Any]) -> bool:
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS or (
        ["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else []
    )
    if not domain or not validate_host(domain, allowed):
        return False
    if getattr(settings, "SECURE_SSL_REDIRECT", False):
        scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "http")
        return scheme == "https"
    return True


def _language(environ: dict[str, Any]) -> str:
    cookie = environ.get("HTTP_COOKIE", "")
    if f"{settings.LANGUAGE_COOKIE_NAME}=en" in cookie:
        return "en"
    accept = environ.get("HTTP_ACCEPT_LANGUAGE", "")
    return "en" if accept.lower().startswith("en") else settings.LANGUAGE_CODE


def wrap(
    django_app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]],
) -> Callable[..., Iterable[bytes]]:
    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") == "GET":
            for prefix, handler in _routes:
                if path.startswith(prefix) and _acceptable(environ):
                    return _answer(handler, environ, start_response)
        return django_app(environ, start_response)

    return application


def _answer(
    handler: Handler, environ: dict[str, Any], start_response: StartResponse
) -> Iterable[bytes]:
    # As Django's WSGIHandler: the request signals open and close the database connections.
    signals.request_started.send(sender=None, environ=environ)
    try:
        with translation.override(_language(environ)):
            try:
                status, payload = 200, handler(environ)
            except ApplicationError as exc:
                status, payload = exc.status, exc.as_dict()
        body = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")
    finally:
        signals.request_finished.send(sender=None)
    headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(len(body))),
        *security_headers(),
    ]
    start_response(f"{status} {REASONS.get(status, 'Error')}", headers)
    return [body]
