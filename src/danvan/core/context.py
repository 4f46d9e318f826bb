"""Request-scoped facts (client IP, user agent, request id) that services read for the audit trail
without every call having to pass the request."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None = None
    user_agent: str = ""
    request_id: str = ""


_current: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar(
    "danvan_request", default=None
)


def current_request_info() -> RequestInfo:
    return _current.get() or RequestInfo()


def set_request_info(info: RequestInfo | None) -> contextvars.Token[RequestInfo | None]:
    return _current.set(info)


def reset_request_info(token: contextvars.Token[RequestInfo | None]) -> None:
    _current.reset(token)
