"""The onestop app's part of the JSON API (officials with a token; one public look-up).

Every step of the workflow is ``POST /dossiers/{code}/<action>``; a step the dossier's state does
not allow answers 409 with a Vietnamese message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus

from danvan.core.calendar import TZ
from danvan.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from danvan.core.middleware import client_ip
from danvan.onestop import selectors, services
from danvan.onestop.models import Apology, Dossier, Procedure, Status
from danvan.org.models import Agency, User
from danvan.org.selectors import official_of

router = Router(tags=["Một cửa (one-stop shop)"])

ERR_OFFICIALS_ONLY = gettext_noop("Chỉ cán bộ mới dùng được chức năng này.")
ERR_NO_PROCEDURE = gettext_noop("Không có thủ tục mã “{code}”.")
ERR_NO_AGENCY = gettext_noop("Không có cơ quan mã “{code}”.")
ERR_NO_USER = gettext_noop("Không có cán bộ “{username}”.")
ERR_NOT_FOUND = gettext_noop("Không tìm thấy hồ sơ.")


class ErrorOut(Schema):
    error: dict


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- schemas -----------------------------------------------------------------------------------
class DocumentOut(Schema):
    name: str
    originals: int
    copies: int
    required: bool


class ProcedureOut(Schema):
    code: str
    name: str
    field: str
    level: str
    agency: str | None
    competent_authority: str
    processing_amount: float
    processing_unit: str
    processing: str
    fee: str
    fee_amount: int
    legal_basis: str
    online: str
    documents: list[DocumentOut]

    @staticmethod
    def resolve_field(obj: Procedure) -> str:
        return obj.field.name

    @staticmethod
    def resolve_agency(obj: Procedure) -> str | None:
        return obj.agency.code if obj.agency_id and obj.agency else None

    @staticmethod
    def resolve_processing(obj: Procedure) -> str:
        return obj.processing_label

    @staticmethod
    def resolve_fee(obj: Procedure) -> str:
        return obj.fee_text

    @staticmethod
    def resolve_documents(obj: Procedure) -> list[Any]:
        return list(obj.documents.all())


class ApplicantIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    phone: str = Field(..., max_length=20)
    address: str = Field(..., min_length=1, max_length=300)
    id_number: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)


class DocumentItem(Schema):
    name: str = ""
    id: int | None = Field(None, description="mã giấy tờ trong danh mục của thủ tục")
    originals: int = Field(1, ge=0, le=99)
    copies: int = Field(0, ge=0, le=99)


class DossierIn(Schema):
    procedure: str = Field(..., description="mã thủ tục")
    applicant: ApplicantIn
    documents: list[str | DocumentItem] = Field(
        default_factory=list, description="tên giấy tờ, hoặc {name|id, originals, copies}"
    )
    received_at: datetime | None = Field(
        None, description="mặc định: bây giờ; lùi ngày cần quyền riêng và được ghi nhật ký"
    )
    channel: Literal["counter", "online", "post"] = "counter"


class ApologyOut(Schema):
    symbol: str
    reason: str
    previous_due_at: datetime
    new_due_at: datetime
    in_time: bool


class DossierOut(Schema):
    code: str
    status: str
    status_label: str
    procedure: dict
    agency: dict
    handling_agency: dict | None
    channel: str
    received_at: datetime
    accepted_at: datetime | None
    due_at: datetime | None
    appointment_at: datetime | None
    resolved_at: datetime | None
    returned_at: datetime | None
    timeliness: str | None
    decision: str | None
    missing_documents: list[str]
    documents: list[dict]
    applicant: dict
    apology: ApologyOut | None
    lookup_url: str


class TimelineOut(Schema):
    at: datetime
    step: str
    note: str


class PublicDossierOut(Schema):
    code: str
    procedure: dict
    agency: str
    status: str
    status_label: str
    received_at: datetime
    appointment_at: datetime | None
    returned_at: datetime | None
    timeline: list[TimelineOut]


def _local(value: datetime | None) -> datetime | None:
    """Datetimes in the API are given in Vietnam's time zone (+07:00)."""
    return value.astimezone(TZ) if value is not None else None


def dossier_out(d: Dossier) -> dict[str, Any]:
    apology = Apology.objects.filter(dossier=d).first() if d.apology_count else None
    return {
        "code": d.code,
        "status": d.status,
        "status_label": str(Status(d.status).label),
        "procedure": {"code": d.procedure.code, "name": d.procedure.name},
        "agency": {"code": d.agency.code, "name": d.agency.name},
        "handling_agency": {"code": d.handling_agency.code, "name": d.handling_agency.name}
        if d.handling_agency_id and d.handling_agency
        else None,
        "channel": d.channel,
        "received_at": _local(d.received_at),
        "accepted_at": _local(d.accepted_at),
        "due_at": _local(d.due_at),
        "appointment_at": _local(d.appointment_at),
        "resolved_at": _local(d.resolved_at),
        "returned_at": _local(d.returned_at),
        "timeliness": d.timeliness or None,
        "decision": d.decision or None,
        "missing_documents": [m["name"] for m in d.missing],
        "documents": d.documents,
        "applicant": {
            "name": d.applicant_name,
            "phone": d.applicant_phone,
            "address": d.applicant_address,
            "email": d.applicant_email,
        },
        "apology": {
            "symbol": apology.symbol,
            "reason": apology.reason,
            "previous_due_at": _local(apology.previous_due_at),
            "new_due_at": _local(apology.new_due_at),
            "in_time": apology.in_time,
        }
        if apology
        else None,
        "lookup_url": services.public_lookup_url(d),
    }


def _official(request: HttpRequest) -> User:
    if official_of(request.user) is None:
        raise PermissionDeniedError(_(ERR_OFFICIALS_ONLY))
    user = request.user
    assert isinstance(user, User)
    return user


def _dossier(request: HttpRequest, code: str) -> Dossier:
    user = _official(request)
    dossier = selectors.dossier_for(user, code)
    if not user.has_perm("onestop.view_dossier", dossier):
        raise NotFoundError(_(ERR_NOT_FOUND))
    return dossier


# --- the catalogue -----------------------------------------------------------------------------
class ProcedureFilter(Schema):
    q: str = Field("", description="tìm không dấu theo mã, tên, lĩnh vực, giấy tờ")
    level: str = ""
    limit: int = Field(50, ge=1, le=500)


@router.get(
    "/procedures",
    response={200: list[ProcedureOut], **ERRORS},
    summary="Danh mục thủ tục hành chính (procedures, searched without diacritics)",
)
def procedures(request: HttpRequest, f: Query[ProcedureFilter]) -> list[Procedure]:
    _official(request)
    qs = selectors.procedure_catalogue(q=f.q, level=f.level).prefetch_related("documents")
    return list(qs[: f.limit])


# --- dossiers ----------------------------------------------------------------------------------
@router.post(
    "/dossiers",
    response={201: DossierOut, **ERRORS},
    summary="Tiếp nhận hồ sơ (receive a dossier: receipt, or waiting for a supplement)",
)
def dossier_create(request: HttpRequest, payload: DossierIn) -> HttpStatus[dict[str, Any]]:
    user = _official(request)
    procedure = (
        Procedure.objects.select_related("field", "agency").filter(code=payload.procedure).first()
    )
    if procedure is None:
        raise ValidationFailed(
            _(ERR_NO_PROCEDURE).format(code=payload.procedure), field="procedure"
        )
    docs = [
        services.DocumentIn(name=d)
        if isinstance(d, str)
        else services.DocumentIn(
            name=d.name, document_id=d.id, originals=d.originals, copies=d.copies
        )
        for d in payload.documents
    ]
    dossier = services.dossier_receive(
        actor=user,
        procedure=procedure,
        applicant=services.ApplicantIn(
            name=payload.applicant.name,
            phone=payload.applicant.phone,
            address=payload.applicant.address,
            id_number=payload.applicant.id_number or "",
            email=payload.applicant.email or "",
        ),
        documents=docs,
        channel=payload.channel,
        received_at=payload.received_at,
    )
    return HttpStatus(201, dossier_out(dossier))


@router.get(
    "/dossiers/{code}", response={200: DossierOut, **ERRORS}, summary="Một hồ sơ (one dossier)"
)
def dossier_get(request: HttpRequest, code: str) -> dict[str, Any]:
    return dossier_out(_dossier(request, code))


class SupplementRequestIn(Schema):
    items: list[str] = Field(default_factory=list, description="mặc định: các giấy tờ còn thiếu")
    reason: str = ""


class SupplementIn(Schema):
    documents: list[str | DocumentItem]
    note: str = ""


class RefuseIn(Schema):
    reasons: str = Field(..., min_length=1)


class ForwardIn(Schema):
    to_agency: str | None = Field(None, description="mã cơ quan; mặc định cơ quan giải quyết")
    to_user: str | None = Field(None, description="tên đăng nhập của cán bộ xử lý")
    due_at: datetime | None = None
    step: str = ""
    note: str = ""


class InsufficientIn(Schema):
    reason: str = Field(..., min_length=1)
    items: list[str] = Field(default_factory=list)


class NoteIn(Schema):
    note: str = ""


class SuspendIn(Schema):
    reason: str = Field(..., min_length=1)


class ApologyIn(Schema):
    reason: str = Field(..., min_length=1)
    new_due_at: datetime


class ResolveIn(Schema):
    decision: Literal["approved", "denied"] = "approved"
    note: str = ""


class ReturnIn(Schema):
    method: Literal["counter", "post", "online"] = "counter"
    note: str = ""


class WithdrawIn(Schema):
    reason: str = ""


def _step(request: HttpRequest, code: str) -> tuple[User, Dossier]:
    dossier = _dossier(request, code)
    user = request.user
    assert isinstance(user, User)
    return user, dossier


def _docs(items: list[str | DocumentItem]) -> list[services.DocumentIn]:
    return [
        services.DocumentIn(name=d)
        if isinstance(d, str)
        else services.DocumentIn(
            name=d.name, document_id=d.id, originals=d.originals, copies=d.copies
        )
        for d in items
    ]


@router.post(
    "/dossiers/{code}/request-supplement",
    response={200: DossierOut, **ERRORS},
    summary="Yêu cầu bổ sung, hoàn thiện hồ sơ (form 02, once only)",
)
def request_supplement(
    request: HttpRequest, code: str, payload: SupplementRequestIn
) -> dict[str, Any]:
    user, d = _step(request, code)
    services.dossier_request_supplement(
        actor=user, dossier=d, items=payload.items, reason=payload.reason
    )
    return dossier_out(d)


@router.post(
    "/dossiers/{code}/supplement",
    response={200: DossierOut, **ERRORS},
    summary="Nhận hồ sơ bổ sung (supplement received)",
)
def supplement(request: HttpRequest, code: str, payload: SupplementIn) -> dict[str, Any]:
    user, d = _step(request, code)
    services.dossier_supplement(
        actor=user, dossier=d, documents=_docs(payload.documents), note=payload.note
    )
    return dossier_out(d)


@router.post(
    "/dossiers/{code}/refuse",
    response={200: DossierOut, **ERRORS},
    summary="Từ chối tiếp nhận (form 03)",
)
def refuse(request: HttpRequest, code: str, payload: RefuseIn) -> dict[str, Any]:
    user, d = _step(request, code)
    services.dossier_refuse(actor=user, dossier=d, reasons=payload.reasons)
    return dossier_out(d)


@router.post(
    "/dossiers/{code}/forward",
    response={200: DossierOut, **ERRORS},
    summary="Chuyển giải quyết (a hand-over, form 05)",
)
def forward(request: HttpRequest, code: str, payload: ForwardIn) -> dict[str, Any]:
    user, d = _step(request, code)
    agency = None
    if payload.to_agency:
        agency = Agency.objects.filter(code=payload.to_agency, is_active=True).first()
        if agency is None:
            raise ValidationFailed(
                _(ERR_NO_AGENCY).format(code=payload.to_agency), field="to_agency"
            )
    to_user = None
    if payload.to_user:
        to_user = User.objects.filter(username=payload.to_user, is_active=True).first()
        if to_user is None:
            raise ValidationFailed(_(ERR_NO_USER).format(username=payload.to_user), field="to_user")
    services.dossier_forward(
        actor=user,
        dossier=d,
        to_agency=agency,
        to_user=to_user,
        due_at=payload.due_at,
        step=payload.step,
        note=payload.note,
    )
    return dossier_out(d)


@router.post(
    "/dossiers/{code}/return-insufficient",
    response={200: DossierOut, **ERRORS},
    summary="Trả lại hồ sơ chưa đủ điều kiện (within 3 working days)",
)
def return_insufficient(request: HttpRequest, code: str, payload: InsufficientIn) -> dict[str, Any]:
    user, d = _step(request, code)
    services.dossier_return_insufficient(
        actor=user, dossier=d, reason=payload.reason, items=payload.items
    )
    return dossier_out(d)


@router.post(
    "/dossiers/{code}/await-payment",
    response={200: DossierOut, **ERRORS},
    summary="Chờ thực hiện nghĩa vụ tài chính (the clock stops)",
)
def await_payment(request: HttpRequest, code: str, payload: NoteIn) -> dict[str, Any]:
    user, d = _step(request, code)
    services.dossier_await_payment(actor=user, dossier=d, note=payload.note)
    return dossier_out(d)


@router.post(
    "/dossiers/{code}/payment-done",
    response={200: DossierOut, **ERRORS},
    summary="Đã thực hiện nghĩa vụ tài chính (the clock restarts)",
)
def payment_done(request: HttpRequest, code: str, payload: NoteIn) -> dict[str, Any]:
    user, d = _step(request, code)
    services.dossier_payment_done(actor=user, dossier=d, note=payload.note)
    return dossier_out(d)


@router.post(
    "/dossiers/{code}/suspend", response={200: DossierOut, **ERRORS}, summary="Tạm dừng giải quyết"
)
def suspend(request: HttpRequest, code: str, payload: SuspendIn) -> dict[str, Any]:
    user, d = _step(request, code)
    services.dossier_suspend(actor=user, dossier=d, reason=payload.reason)
    return dossier_out(d)


@router.post(
    "/dossiers/{code}/resume", response={200: DossierOut, **ERRORS}, summary="Tiếp tục giải quyết"
)
def resume(request: HttpRequest, code: str, payload: NoteIn) -> dict[str, Any]:
    user, d = _step(request, code)
    services.dossier_resume(actor=user, dossier=d, note=payload.note)
    return dossier_out(d)


@router.post(
    "/dossiers/{code}/apologise",
    response={200: DossierOut, **ERRORS},
    summary="Xin lỗi và hẹn lại ngày trả kết quả (form 04, once only)",
)
def apologise(request: HttpRequest, code: str, payload: ApologyIn) -> dict[str, Any]:
    user, d = _step(request, code)
    services.dossier_apologise(
        actor=user, dossier=d, reason=payload.reason, new_due_at=payload.new_due_at
    )
    return dossier_out(d)


@router.post(
    "/dossiers/{code}/resolve",
    response={200: DossierOut, **ERRORS},
    summary="Ghi nhận kết quả giải quyết",
)
def resolve(request: HttpRequest, code: str, payload: ResolveIn) -> dict[str, Any]:
    user, d = _step(request, code)
    services.dossier_resolve(actor=user, dossier=d, decision=payload.decision, note=payload.note)
    return dossier_out(d)


@router.post(
    "/dossiers/{code}/return-result",
    response={200: DossierOut, **ERRORS},
    summary="Trả kết quả (tại quầy, bưu chính, trực tuyến)",
)
def return_result(request: HttpRequest, code: str, payload: ReturnIn) -> dict[str, Any]:
    user, d = _step(request, code)
    services.dossier_return_result(actor=user, dossier=d, method=payload.method, note=payload.note)
    return dossier_out(d)


@router.post(
    "/dossiers/{code}/withdraw", response={200: DossierOut, **ERRORS}, summary="Công dân rút hồ sơ"
)
def withdraw(request: HttpRequest, code: str, payload: WithdrawIn) -> dict[str, Any]:
    user, d = _step(request, code)
    services.dossier_withdraw(actor=user, dossier=d, reason=payload.reason)
    return dossier_out(d)


# --- public look-up ----------------------------------------------------------------------------
class LookupQuery(Schema):
    phone_last4: str = Field("", max_length=8)


@router.get(
    "/public/dossiers/{code}",
    auth=None,
    response={200: PublicDossierOut, 404: ErrorOut, 429: ErrorOut},
    summary="Tra cứu hồ sơ (public look-up by code and the last 4 digits of the phone)",
)
def public_dossier(request: HttpRequest, code: str, q: Query[LookupQuery]) -> HttpResponse:
    data = selectors.public_lookup_data(
        code=code, phone_last4=q.phone_last4, client=client_ip(request) or "unknown"
    )
    # the busiest read of the site: serialised directly (same shape as PublicDossierOut)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
