"""One family of errors for the whole platform, mapped to one JSON shape and to form errors.

A service raises ``ApplicationError`` (or a subclass) with a Vietnamese message meant for people;
views show the message, the API answers ``{"error": {"code", "message", "details"}}``.
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A rule of the domain refused the request. ``message`` is shown to the user as is."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class ValidationFailed(ApplicationError):
    status = 422
    code = "validation"


class InvalidTransition(ApplicationError):
    """The object is not in a state that allows this step (answers 409)."""

    status = 409
    code = "invalid_transition"


class PermissionDeniedError(ApplicationError):
    status = 403
    code = "forbidden"


class NotFoundError(ApplicationError):
    status = 404
    code = "not_found"


class RateLimited(ApplicationError):
    status = 429
    code = "rate_limited"
