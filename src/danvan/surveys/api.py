"""The surveys app's part of the JSON API.

- ``GET /surveys/questionnaire?token=…`` and ``POST /surveys/responses`` (no sign-in: the one-time
  token is the authority) let another application (a kiosk app, the national portal) show the
  questionnaire and submit the answer; exactly one response per token.
- ``GET /surveys/indices`` (officials): satisfaction indices per agency and period, limited to the
  agencies whose results the caller may read.
- ``POST /surveys/invitations`` (officials, or an integrated system with an official's token):
  a one-time link for a served citizen.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from danvan.core.errors import PermissionDeniedError, ValidationFailed
from danvan.org.models import Agency
from danvan.org.selectors import official_of
from danvan.shell.registry import Period
from danvan.surveys import services
from danvan.surveys.answers import Contact
from danvan.surveys.selectors import indices_for, questions_of

router = Router(tags=["Khảo sát sự hài lòng (satisfaction surveys)"])

ERR_OFFICIALS = "Chỉ cán bộ mới dùng được chức năng này."
ERR_PERIOD = "Khoảng thời gian không hợp lệ: ngày bắt đầu phải trước hoặc trùng ngày kết thúc."


class ErrorOut(Schema):
    error: dict


class ChoiceOut(Schema):
    code: str
    label: str
    label_en: str


class QuestionOut(Schema):
    code: str
    kind: str = Field(description="scale | single | multiple | number | text")
    text: str
    text_en: str
    required: bool
    allow_na: bool = Field(description='thang 5 mức: có thể trả lời "na" (không áp dụng)')
    element: str
    choices: list[ChoiceOut]


class QuestionnaireOut(Schema):
    agency: str
    campaign: str
    title: str
    title_en: str
    expires_at: datetime
    questions: list[QuestionOut]


@router.get(
    "/surveys/questionnaire",
    auth=None,
    response={200: QuestionnaireOut, 404: ErrorOut, 409: ErrorOut},
    summary="Phiếu khảo sát của một đường dẫn dùng một lần (questionnaire for a one-time token)",
)
def questionnaire(request: HttpRequest, token: str) -> dict[str, Any]:
    invitation = services.invitation_check(services.invitation_for_token(token))
    q = invitation.campaign.questionnaire
    return {
        "agency": invitation.agency.name,
        "campaign": invitation.campaign.title,
        "title": q.title,
        "title_en": q.title_en,
        "expires_at": invitation.expires_at,
        "questions": [
            {
                "code": x.code,
                "kind": x.kind,
                "text": x.text,
                "text_en": x.text_en,
                "required": x.required,
                "allow_na": x.allow_na,
                "element": x.section.element,
                "choices": [
                    {"code": c.code, "label": c.label, "label_en": c.label_en}
                    for c in x.choices.all()
                ],
            }
            for x in questions_of(q)
        ],
    }


class ContactIn(Schema):
    name: str = ""
    phone: str = ""
    email: str = ""


class ResponseIn(Schema):
    token: str = Field(max_length=100)
    answers: dict[str, Any] = Field(
        description='{mã câu hỏi: giá trị}: 1–5 hoặc "na" (thang), mã lựa chọn, danh sách mã, '
        "số, văn bản"
    )
    contact: ContactIn | None = Field(
        None, description="chỉ khi người trả lời đồng ý để lại thông tin (không còn ẩn danh)"
    )


class ResponseOut(Schema):
    id: int
    message: str


@router.post(
    "/surveys/responses",
    auth=None,
    response={201: ResponseOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Gửi phiếu trả lời bằng mã dùng một lần (submit a response with a one-time token)",
)
def submit(request: HttpRequest, payload: ResponseIn) -> Status[dict[str, Any]]:
    contact = Contact(**payload.contact.dict()) if payload.contact is not None else None
    response = services.response_submit_by_token(
        token=payload.token, answers=payload.answers, contact=contact
    )
    return Status(201, {"id": response.pk, "message": "Cảm ơn ông/bà đã tham gia khảo sát."})


class QuestionIndexOut(Schema):
    code: str
    text: str
    answered: int
    satisfied: int
    not_applicable: int
    index: Decimal | None


class ElementOut(Schema):
    key: str
    label: str
    in_index: bool
    index: Decimal | None
    questions: list[QuestionIndexOut]


class IndexOut(Schema):
    agency_id: int | None
    agency_code: str
    agency_name: str
    field: str | None
    responses: int
    target: int | None
    below_target: bool
    overall: Decimal | None = Field(description="chỉ số hài lòng chung, %")
    elements: list[ElementOut]


class IndexFilter(Schema):
    agency: list[int] | None = Field(
        None, description="mã (id) cơ quan; bỏ trống: mọi cơ quan được xem"
    )
    start: date | None = None
    end: date | None = None
    campaign: int | None = None
    pooled: bool = Field(False, description="gộp các cơ quan thành một dòng")
    by_field: bool = Field(False, description="chia theo lĩnh vực")


@router.get(
    "/surveys/indices",
    response={200: list[IndexOut], 403: ErrorOut, 422: ErrorOut},
    summary="Chỉ số hài lòng theo cơ quan và kỳ (satisfaction indices per agency and period)",
)
def indices(request: HttpRequest, f: Query[IndexFilter]) -> list[Any]:
    if official_of(request.user) is None:
        raise PermissionDeniedError(ERR_OFFICIALS)
    period = None
    if f.start or f.end:
        start, end = f.start or date(1900, 1, 1), f.end or date(2999, 12, 31)
        if end < start:
            raise ValidationFailed(ERR_PERIOD)
        period = Period(start, end)
    rows = indices_for(
        user=request.user,
        agency_ids=f.agency,
        period=period,
        campaign_id=f.campaign,
        by_agency=not f.pooled,
        by_field=f.by_field,
    )
    return [
        {
            "agency_id": r.agency_id,
            "agency_code": r.agency_code,
            "agency_name": r.agency_name,
            "field": r.field,
            "responses": r.responses,
            "target": r.target,
            "below_target": r.below_target,
            "overall": r.overall,
            "elements": [
                {
                    "key": e.key,
                    "label": e.label,
                    "in_index": e.in_index,
                    "index": e.index,
                    "questions": [
                        {
                            "code": q.code,
                            "text": q.text,
                            "answered": q.answered,
                            "satisfied": q.satisfied,
                            "not_applicable": q.not_applicable,
                            "index": q.index,
                        }
                        for q in e.questions
                    ],
                }
                for e in r.elements
            ],
        }
        for r in rows
    ]


class InvitationIn(Schema):
    agency_id: int
    subject_type: str = Field("", max_length=100, description="ví dụ onestop.dossier")
    subject_id: str = Field("", max_length=64)
    field: str = Field("", max_length=200, description="lĩnh vực")
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


class InvitationOut(Schema):
    created: bool
    url: str | None = None
    token: str | None = None
    expires_at: datetime | None = None
    message: str


@router.post(
    "/surveys/invitations",
    response={200: InvitationOut, 201: InvitationOut, 403: ErrorOut, 404: ErrorOut},
    summary="Tạo đường dẫn khảo sát dùng một lần (create a one-time survey link)",
)
def invite(request: HttpRequest, payload: InvitationIn) -> Status[dict[str, Any]]:
    agency = get_object_or_404(Agency, pk=payload.agency_id)
    issued = services.invitation_create(
        actor=request.user,
        agency=agency,
        subject_type=payload.subject_type,
        subject_id=payload.subject_id,
        field=payload.field,
        phone=payload.phone,
        email=payload.email,
    )
    if issued is None:
        return Status(
            200,
            {
                "created": False,
                "message": "Không tạo phiếu mời: cơ quan không có đợt khảo sát đang mở, hoặc đối "
                "tượng này đã được mời trong đợt.",
            },
        )
    return Status(
        201,
        {
            "created": True,
            "url": issued.url,
            "token": issued.token,
            "expires_at": issued.invitation.expires_at,
            "message": "Đã tạo đường dẫn khảo sát dùng một lần.",
        },
    )
