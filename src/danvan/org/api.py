"""The org app's part of the JSON API: tokens, the current user, agencies and units."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from danvan.core.errors import ApplicationError, PermissionDeniedError
from danvan.core.tokens import token_create
from danvan.org.models import AdminUnit, User
from danvan.org.selectors import agencies_for, official_of
from danvan.org.views.auth import confirmed_device


class Unauthenticated(ApplicationError):
    status = 401


router = Router(tags=["Tài khoản, tổ chức (accounts, organisation)"])


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = Field(None, description="mã xác thực hai bước, nếu tài khoản đã bật")


class TokenOut(Schema):
    token: str
    expires_at: datetime


class ErrorOut(Schema):
    error: dict


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    summary="Cấp khóa API cá nhân (issue a personal API token)",
)
def auth_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise Unauthenticated("Tên đăng nhập hoặc mật khẩu không đúng.", code="invalid_credentials")
    device = confirmed_device(user)
    if device is not None:
        if not payload.otp or not device.verify_token(payload.otp):
            user_login_failed.send(
                sender=__name__, credentials={"username": payload.username}, request=request
            )
            raise Unauthenticated(
                "Mã xác thực hai bước không đúng hoặc đã hết hạn.", code="invalid_otp"
            )
    elif settings.OTP_REQUIRED_FOR_OFFICIALS:
        raise PermissionDeniedError(
            "Cần bật xác thực hai bước (đăng nhập trang cán bộ) trước khi dùng API."
        )
    if official_of(user) is None:
        raise PermissionDeniedError("Khóa API chỉ cấp cho cán bộ.")
    raw, token = token_create(user=user)
    return TokenOut(token=raw, expires_at=token.expires_at)


class UnitOut(Schema):
    id: int
    code: str
    name: str
    level: str
    valid_from: date | None
    valid_to: date | None
    parent_id: int | None


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    unit: UnitOut
    parent_id: int | None
    mobilisation_lead: str | None

    @staticmethod
    def resolve_mobilisation_lead(obj: Any) -> str | None:
        lead = obj.mobilisation_lead
        return lead.user.get_full_name() if lead else None


class UserOut(Schema):
    username: str
    full_name: str


class MeOut(Schema):
    user: UserOut
    agency: AgencyOut | None
    unit: UnitOut | None
    roles: list[str]


@router.get("/me", response=MeOut, summary="Người dùng hiện tại (the current user)")
def me(request: HttpRequest) -> dict:
    official = official_of(request.user)
    user = cast(User, request.user)
    return {
        "user": {"username": user.get_username(), "full_name": user.get_full_name()},
        "agency": official.agency if official else None,
        "unit": official.agency.unit if official else None,
        "roles": sorted(official.role_codes) if official else [],
    }


@router.get(
    "/agencies", response=list[AgencyOut], summary="Cơ quan trong phạm vi (agencies in scope)"
)
def agencies(request: HttpRequest) -> list:
    if official_of(request.user) is None:
        raise PermissionDeniedError("Chỉ cán bộ mới dùng được chức năng này.")
    return list(agencies_for(request.user))


class UnitFilter(Schema):
    level: str | None = None
    parent: int | None = None
    on: date | None = Field(None, description="chỉ các đơn vị có hiệu lực vào ngày này")


@router.get(
    "/units", response=list[UnitOut], auth=None, summary="Đơn vị hành chính (administrative units)"
)
def units(request: HttpRequest, f: Query[UnitFilter]) -> list:
    qs = AdminUnit.objects.all()
    if f.level:
        qs = qs.filter(level=f.level)
    if f.parent:
        qs = qs.filter(parent_id=f.parent)
    if f.on:
        qs = qs.valid_on(f.on)
    return list(qs.order_by("path")[:2000])
