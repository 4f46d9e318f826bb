"""The public look-up's fast route answers exactly as the API does (same JSON, status, error
shape and security headers) and keeps its rate limit; anything else goes to Django."""

from __future__ import annotations

import io
import json
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from danvan.config.wsgi import application
from danvan.onestop.models import Procedure
from danvan.onestop.selectors import LOOKUP_FAILURES
from tests.onestop.conftest import receive
from tests.world import World

HEADERS = (
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Content-Security-Policy",
)


def _wsgi(environ: dict[str, Any], start_response: Any) -> bytes:
    """Call the WSGI application as Django's test client calls Django: without closing the test's
    database connection at the end of the request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return b"".join(application(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(
    path: str, query: str = "", method: str = "GET", addr: str = "10.1.1.1"
) -> tuple[int, dict[str, str], Any]:
    environ: dict[str, Any] = {
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REQUEST_METHOD": method,
        "REMOTE_ADDR": addr,
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(),
    }
    setup_testing_defaults(environ)
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    body = _wsgi(environ, start_response)
    return seen["status"], seen["headers"], json.loads(body) if body.startswith(b"{") else body


@pytest.fixture(autouse=True)
def _fresh_limits(db: None) -> None:
    cache.clear()


def test_fast_route_and_api_give_the_same_answer(
    world: World, procedure: Procedure, deadline_rules: None
) -> None:
    code = receive(world, procedure).code
    for digits in ("5678", "0000"):
        status, headers, body = call(f"/api/v1/public/dossiers/{code}", f"phone_last4={digits}")
        cache.clear()
        api = Client().get(f"/api/v1/public/dossiers/{code}", {"phone_last4": digits})
        assert status == api.status_code
        assert body == api.json()
        for name in HEADERS:
            assert headers[name] == api[name], name
    assert body["error"]["code"] == "not_found"
    ok = call(f"/api/v1/public/dossiers/{code}", "phone_last4=5678")[2]
    assert ok["code"] == code and ok["procedure"]["name"] == procedure.name
    assert "Nguyễn Thị Hoa" not in json.dumps(ok, ensure_ascii=False)  # no personal data


def test_the_rate_limit_holds_on_the_fast_route(
    world: World, procedure: Procedure, deadline_rules: None
) -> None:
    code = receive(world, procedure).code
    for _ in range(LOOKUP_FAILURES):
        assert call(f"/api/v1/public/dossiers/{code}", "phone_last4=0000")[0] == 404
    status, _, body = call(f"/api/v1/public/dossiers/{code}", "phone_last4=5678")
    assert status == 429
    assert body["error"]["code"] == "rate_limited"


def test_other_requests_go_to_django(world: World) -> None:
    status, _, _ = call("/api/v1/public/dossiers/X", method="POST")
    assert status == 405  # the API's own answer
    assert call("/healthz")[0] == 200
    status, _, _ = call_with_host("evil.example", "/api/v1/public/dossiers/X")
    assert status == 400  # Django refuses the unknown host; the fast route does not answer it


def call_with_host(host: str, path: str) -> tuple[int, dict[str, str], bytes]:
    environ: dict[str, Any] = {
        "PATH_INFO": path,
        "REQUEST_METHOD": "GET",
        "HTTP_HOST": host,
        "wsgi.input": io.BytesIO(),
        "REMOTE_ADDR": "10.0.0.1",
    }
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = host
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"] = int(status.split()[0])

    body = _wsgi(environ, start_response)
    return seen["status"], {}, body
