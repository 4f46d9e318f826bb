"""The petitions app's part of the JSON API (officials).

The sender's identity comes back masked unless the caller may see it (assigned handlers and
their head); each answer that carries a protected identity is an audited reveal.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from danvan.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from danvan.org.models import Agency
from danvan.org.selectors import official_of
from danvan.petitions import selectors, services
from danvan.petitions.identity import MASKED_LABEL
from danvan.petitions.models import Complexity, Outcome, Petition

router = Router(tags=["Tiếp công dân, đơn thư (petitions)"])

ERR_OFFICIALS = "Chỉ cán bộ mới dùng được chức năng này."


class PetitionerIn(Schema):
    name: Annotated[str, Field(max_length=200)] = ""
    address: Annotated[str, Field(max_length=300)] = ""
    phone: Annotated[str, Field(max_length=20)] = ""
    email: Annotated[str, Field(max_length=254)] = ""
    id_number: Annotated[str, Field(max_length=20)] = ""


class PetitionIn(Schema):
    kind: Literal["complaint", "denunciation", "recommendation", "report", "mixed"]
    received_at: datetime
    petitioner: PetitionerIn | None = None
    signers_count: int = Field(1, ge=1, le=100000)
    content: str = Field(..., min_length=1)
    subject: str = Field("", max_length=300)
    round: Literal[1, 2] | None = None
    first_round_id: int | None = None
    complex: bool = False
    remote: bool = False
    complexity: Literal["normal", "complex", "especially_complex"] = "normal"
    source: Literal["reception", "post", "online", "transfer", "other"] = "post"
    decision_complained: str = Field("", max_length=300)
    decision_known_on: date | None = None
    tags: list[str] = Field(default_factory=list)
    sealed_ref: str = Field("", max_length=100)


class PetitionerOut(Schema):
    masked: bool
    label: str
    name: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    sealed_ref: str | None = None


class DocumentOut(Schema):
    kind: str
    symbol: str
    issued_on: date


class PetitionOut(Schema):
    id: int
    code: str
    agency_id: int
    kind: str
    round: int | None
    status: str
    source: str
    received_at: datetime
    signers_count: int
    is_mass_case: bool
    is_anonymous: bool
    subject: str
    content: str
    tags: list[str]
    petitioner: PetitionerOut
    complex: bool
    remote: bool
    complexity: str
    variant: str
    handling_due_at: datetime | None
    handling_basis: str
    accepted_at: datetime | None
    resolution_due_at: datetime | None
    resolution_basis: str
    extensions_count: int
    transferred_to: str
    guided_to: str
    duplicate_of_id: int | None
    first_round_id: int | None
    resolved_at: datetime | None
    outcome: str
    decision_symbol: str
    legal_effect_date: date | None
    reopen_count: int
    timeliness: str
    documents: list[DocumentOut]


class AcceptIn(Schema):
    accepted_at: datetime | None = None
    complex: bool | None = None
    remote: bool | None = None
    complexity: Literal["normal", "complex", "especially_complex"] | None = None


class TransferIn(Schema):
    to_agency_id: int | None = None
    to_name: str = ""
    note: str = ""
    at: datetime | None = None


class GuideIn(Schema):
    guided_to: str
    note: str = ""
    at: datetime | None = None


class ExtendIn(Schema):
    reason: str
    complexity: Literal["normal", "complex", "especially_complex"] | None = None


class ResolveIn(Schema):
    outcome: Literal["right", "partly_right", "wrong", "answered", "withdrawn"]
    summary: str
    resolved_at: datetime | None = None
    legal_effect_date: date | None = None


class ListQuery(Schema):
    status: str = ""
    kind: str = ""
    tag: str = ""
    q: str = ""
    overdue: bool = False
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class ErrorOut(Schema):
    error: dict


ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _agency(request: HttpRequest) -> Agency:
    official = official_of(request.user)
    if official is None:
        raise PermissionDeniedError(ERR_OFFICIALS)
    return official.agency


def _aware(value: datetime | None, name: str) -> None:
    if value is not None and value.tzinfo is None:
        raise ValidationFailed(
            _("Thời điểm phải có múi giờ, ví dụ 2026-02-13T09:00:00+07:00."), field=name
        )


def _visible(request: HttpRequest, pk: int) -> Petition:
    if official_of(request.user) is None:
        raise PermissionDeniedError(ERR_OFFICIALS)
    petition = selectors.petition_for(request.user, pk)
    if petition is None or not request.user.has_perm("petitions.view_petition", petition):
        raise NotFoundError(_("Không tìm thấy đơn."))
    return petition


def _out(request: HttpRequest, p: Petition, *, reveal: bool) -> dict[str, Any]:
    from django.utils import timezone

    # An unprotected sender's name is not secret: lists show it as the label; the details
    # (address, phone…) come only with a single petition.
    sender: dict[str, Any] = {"masked": p.protected, "label": selectors.petitioner_label(p)}
    if p.protected and p.sealed_ref:
        sender["sealed_ref"] = p.sealed_ref
    if reveal and request.user.has_perm("petitions.reveal_identity", p) and not p.is_anonymous:
        if not p.protected or p.identity_sealed:
            ident = services.identity_reveal(actor=request.user, petition=p, purpose="contact")
            sender.update(
                masked=False,
                label=ident.name,
                name=ident.name,
                address=ident.address,
                phone=ident.phone,
                email=ident.email,
            )
    elif p.protected:
        sender["label"] = str(MASKED_LABEL)
    return {
        "id": p.pk,
        "code": p.code,
        "agency_id": p.agency_id,
        "kind": p.kind,
        "round": p.round,
        "status": p.status,
        "source": p.source,
        "received_at": p.received_at,
        "signers_count": p.signers_count,
        "is_mass_case": p.is_mass_case,
        "is_anonymous": p.is_anonymous,
        "subject": p.subject,
        "content": p.content,
        "tags": [t.code for t in p.tags.all()],
        "petitioner": sender,
        "complex": p.is_complex,
        "remote": p.is_remote,
        "complexity": p.complexity,
        "variant": p.variant,
        "handling_due_at": p.handling_due_at,
        "handling_basis": p.handling_basis,
        "accepted_at": p.accepted_at,
        "resolution_due_at": p.resolution_due_at,
        "resolution_basis": p.resolution_basis,
        "extensions_count": p.extensions_count,
        "transferred_to": p.transferred_to_name,
        "guided_to": p.guided_to,
        "duplicate_of_id": p.duplicate_of_id,
        "first_round_id": p.first_round_id,
        "resolved_at": p.resolved_at,
        "outcome": p.outcome,
        "decision_symbol": p.decision_symbol,
        "legal_effect_date": p.legal_effect_date,
        "reopen_count": p.reopen_count,
        "timeliness": p.timeliness(timezone.now()),
        "documents": [
            {"kind": d.kind, "symbol": d.symbol, "issued_on": d.issued_on}
            for d in p.documents.all()
        ],
    }


def _fresh(request: HttpRequest, pk: int, *, reveal: bool = True) -> dict[str, Any]:
    return _out(request, _visible(request, pk), reveal=reveal)


@router.post(
    "/petitions",
    response={201: PetitionOut, **ERRORS},
    summary="Nhận đơn (register a petition)",
)
def petition_create(request: HttpRequest, payload: PetitionIn) -> Status[dict[str, Any]]:
    agency = _agency(request)
    _aware(payload.received_at, "received_at")
    first_round = None
    if payload.first_round_id is not None:
        first_round = Petition.objects.filter(pk=payload.first_round_id).first()
        if first_round is None:
            raise ValidationFailed(_("Không tìm thấy khiếu nại lần đầu."), field="first_round_id")
    p = payload.petitioner or PetitionerIn()
    petition = services.petition_receive(
        actor=request.user,
        agency=agency,
        kind=payload.kind,
        received_at=payload.received_at,
        petitioner=services.PetitionerIn(
            name=p.name, address=p.address, phone=p.phone, email=p.email, id_number=p.id_number
        ),
        content=payload.content,
        subject=payload.subject,
        signers_count=payload.signers_count,
        source=payload.source,
        round=payload.round,
        first_round=first_round,
        is_complex=payload.complex,
        is_remote=payload.remote,
        complexity=payload.complexity,
        decision_complained=payload.decision_complained,
        decision_known_on=payload.decision_known_on,
        tags=payload.tags,
        sealed_ref=payload.sealed_ref,
    )
    # The answer does not echo the identity: the caller just sent it.
    return Status(201, _fresh(request, petition.pk, reveal=False))


@router.get(
    "/petitions",
    response={200: list[PetitionOut], **ERRORS},
    summary="Danh sách đơn trong phạm vi (petitions in scope; identities masked)",
)
def petition_list(request: HttpRequest, f: Query[ListQuery]) -> list[dict[str, Any]]:
    if official_of(request.user) is None:
        raise PermissionDeniedError(ERR_OFFICIALS)
    if f.overdue:
        qs = selectors.overdue_for(request.user).prefetch_related("tags", "documents")
    else:
        qs = selectors.petitions_for(
            request.user, status=f.status, kind=f.kind, tag=f.tag, q=f.q
        ).prefetch_related("documents")
    return [_out(request, p, reveal=False) for p in qs[f.offset : f.offset + f.limit]]


@router.get(
    "/petitions/{petition_id}",
    response={200: PetitionOut, **ERRORS},
    summary="Một đơn (the identity is masked unless the caller may see it; reveals are audited)",
)
def petition_get(request: HttpRequest, petition_id: int) -> dict[str, Any]:
    return _fresh(request, petition_id)


@router.post(
    "/petitions/{petition_id}/accept",
    response={200: PetitionOut, **ERRORS},
    summary="Thụ lý (accept)",
)
def petition_accept(request: HttpRequest, petition_id: int, payload: AcceptIn) -> dict[str, Any]:
    petition = _visible(request, petition_id)
    _aware(payload.accepted_at, "accepted_at")
    services.petition_accept(
        actor=request.user,
        petition=petition,
        accepted_at=payload.accepted_at,
        is_complex=payload.complex,
        is_remote=payload.remote,
        complexity=payload.complexity,
    )
    return _fresh(request, petition_id, reveal=False)


@router.post(
    "/petitions/{petition_id}/transfer",
    response={200: PetitionOut, **ERRORS},
    summary="Chuyển đơn (transfer)",
)
def petition_transfer(
    request: HttpRequest, petition_id: int, payload: TransferIn
) -> dict[str, Any]:
    petition = _visible(request, petition_id)
    _aware(payload.at, "at")
    to_agency = None
    if payload.to_agency_id is not None:
        to_agency = Agency.objects.filter(pk=payload.to_agency_id, is_active=True).first()
        if to_agency is None:
            raise ValidationFailed(_("Không tìm thấy cơ quan nhận đơn."), field="to_agency_id")
    services.petition_transfer(
        actor=request.user,
        petition=petition,
        to_agency=to_agency,
        to_name=payload.to_name,
        note=payload.note,
        at=payload.at,
    )
    return _fresh(request, petition_id, reveal=False)


@router.post(
    "/petitions/{petition_id}/guide",
    response={200: PetitionOut, **ERRORS},
    summary="Hướng dẫn (guide the sender to the competent body)",
)
def petition_guide(request: HttpRequest, petition_id: int, payload: GuideIn) -> dict[str, Any]:
    petition = _visible(request, petition_id)
    _aware(payload.at, "at")
    services.petition_guide(
        actor=request.user,
        petition=petition,
        guided_to=payload.guided_to,
        note=payload.note,
        at=payload.at,
    )
    return _fresh(request, petition_id, reveal=False)


@router.post(
    "/petitions/{petition_id}/extend",
    response={200: PetitionOut, **ERRORS},
    summary="Gia hạn giải quyết tố cáo (extend a denunciation: complex once, especially complex twice)",
)
def petition_extend(request: HttpRequest, petition_id: int, payload: ExtendIn) -> dict[str, Any]:
    petition = _visible(request, petition_id)
    services.petition_extend(
        actor=request.user,
        petition=petition,
        reason=payload.reason,
        complexity=Complexity(payload.complexity) if payload.complexity else None,
    )
    return _fresh(request, petition_id, reveal=False)


@router.post(
    "/petitions/{petition_id}/resolve",
    response={200: PetitionOut, **ERRORS},
    summary="Giải quyết (decision, conclusion or answer)",
)
def petition_resolve(request: HttpRequest, petition_id: int, payload: ResolveIn) -> dict[str, Any]:
    petition = _visible(request, petition_id)
    _aware(payload.resolved_at, "resolved_at")
    services.petition_resolve(
        actor=request.user,
        petition=petition,
        outcome=Outcome(payload.outcome),
        summary=payload.summary,
        resolved_at=payload.resolved_at,
        legal_effect_date=payload.legal_effect_date,
    )
    return _fresh(request, petition_id, reveal=False)
