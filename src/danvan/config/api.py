"""The JSON API at /api/v1/: one NinjaAPI, the routers of the apps, one error shape.

Every error answers ``{"error": {"code": ..., "message": <Vietnamese>, "details": {...}}}``.
Officials authenticate with a personal token (``Authorization: Bearer <token>``, from
``POST /api/v1/auth/token``) or, from the browser, with their session.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from danvan.core.errors import ApplicationError
from danvan.core.tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
            # the org middleware computed the membership for the anonymous session user
            for attr in ("_danvan_official", "_danvan_memberships"):
                if hasattr(user, attr):
                    delattr(user, attr)
        return user


class SessionAuth(APIKeyCookie):
    """The browser session (CSRF-checked for unsafe methods)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


api = NinjaAPI(
    title="DânVận API",
    version="1",
    description=(
        "API của DânVận cho cán bộ và hệ thống liên thông. Xác thực bằng khóa cá nhân "
        "(Authorization: Bearer …) lấy từ POST /api/v1/auth/token. Mọi lỗi trả về "
        '{"error": {"code", "message", "details"}} với thông báo tiếng Việt.'
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error(
    request: HttpRequest, status: int, code: str, message: str, **details: Any
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details}}, status=status
    )


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = []
    for err in exc.errors:
        loc = [
            str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload", "q")
        ]
        fields.append(
            {"field": ".".join(loc), "problem": err.get("msg", ""), "type": err.get("type", "")}
        )
    names = ", ".join(f["field"] for f in fields if f["field"]) or "—"
    return error(
        request,
        422,
        "validation",
        f"Dữ liệu gửi lên không hợp lệ (trường: {names}).",
        fields=fields,
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(
        request,
        401,
        "unauthenticated",
        "Cần đăng nhập: gửi khóa API trong tiêu đề Authorization: Bearer <khóa>.",
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, "forbidden", "Bạn không có quyền thực hiện thao tác này.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", "Không tìm thấy.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {
        400: "invalid",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "invalid_transition",
        429: "rate_limited",
    }.get(exc.status_code, "error")
    return error(request, exc.status_code, code, str(exc.message))


def _register_routers() -> None:
    from danvan.consultations.api import router as consultations_router
    from danvan.core.api import router as core_router
    from danvan.dialogues.api import router as dialogues_router
    from danvan.feedback.api import router as feedback_router
    from danvan.onestop.api import router as onestop_router
    from danvan.org.api import router as org_router
    from danvan.petitions.api import router as petitions_router
    from danvan.plans.api import router as plans_router
    from danvan.surveys.api import router as surveys_router

    api.add_router("/", org_router)
    api.add_router("/", core_router)
    api.add_router("/", onestop_router)
    api.add_router("/", petitions_router)
    api.add_router("/", feedback_router)
    api.add_router("/", surveys_router)
    api.add_router("/", consultations_router)
    api.add_router("/", dialogues_router)
    api.add_router("/", plans_router)


_register_routers()
