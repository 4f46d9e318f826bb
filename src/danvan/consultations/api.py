"""The consultations app's part of the JSON API: public reads, officials' writes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema, Status

from danvan.consultations import selectors, services
from danvan.consultations.models import Comment, ConsultationStatus
from danvan.core.errors import NotFoundError, PermissionDeniedError
from danvan.org.models import AdminUnit
from danvan.org.selectors import official_of

ERR_OFFICIALS_ONLY = gettext_noop("Chỉ cán bộ mới dùng được chức năng này.")
ERR_NOT_FOUND = gettext_noop("Không tìm thấy.")

router = Router(tags=["Lấy ý kiến dự thảo (consultations)"])


class ConsultationOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    agency: str
    agency_code: str
    summary: str
    opens_at: datetime
    closes_at: datetime
    identity_level: str
    comments_published: int = 0
    report_symbol: str
    url: str

    @staticmethod
    def resolve_agency(obj: Any) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_agency_code(obj: Any) -> str:
        return obj.agency.code

    @staticmethod
    def resolve_comments_published(obj: Any) -> int:
        return getattr(obj, "n_published", 0)

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return services.public_url(obj)


class SectionOut(Schema):
    id: int
    order: int
    kind: str
    number: str
    heading: str
    body: str


class ResponseOut(Schema):
    outcome: str
    text: str


class CommentOut(Schema):
    id: int
    number: int
    section_id: int | None
    author: str
    body: str
    submitted_at: datetime
    response: ResponseOut | None = None

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return obj.public_author


class ConsultationDetailOut(ConsultationOut):
    sections: list[SectionOut]
    comments: list[CommentOut]
    report_issued_on: date | None
    final_text: str

    @staticmethod
    def resolve_sections(obj: Any) -> list:
        return list(obj.sections.all())

    @staticmethod
    def resolve_comments(obj: Any) -> list:
        return obj.public_comments_out


class ListQuery(Schema):
    q: str = Field("", description="tìm theo nội dung, không cần dấu")
    status: str = ""


@router.get(
    "/consultations",
    auth=None,
    response=list[ConsultationOut],
    summary="Dự thảo đang và đã lấy ý kiến (public)",
)
def consultation_list(request: HttpRequest, f: Query[ListQuery]) -> list:
    return list(selectors.public_consultations(q=f.q, state=f.status)[:200])


@router.get(
    "/consultations/{pk}",
    auth=None,
    response=ConsultationDetailOut,
    summary="Một dự thảo: các phần, ý kiến đã đăng và tiếp thu, giải trình (public)",
)
def consultation_detail(request: HttpRequest, pk: int) -> Any:
    c = selectors.public_consultation(pk)
    published = c.status == ConsultationStatus.PUBLISHED
    comments = [
        {
            "id": x.pk,
            "number": x.number,
            "section_id": x.section_id,
            "author": x.public_author,
            "body": x.body,
            "submitted_at": x.submitted_at,
            "response": (
                {"outcome": r.outcome, "text": r.text}
                if published and (r := selectors.response_of(x))
                else None
            ),
        }
        for x in selectors.public_comments(c)
    ]
    c.n_published = len(comments)  # type: ignore[attr-defined]
    c.public_comments_out = comments  # type: ignore[attr-defined]
    return c


# --- officials ----------------------------------------------------------------------------------
def _official(request: HttpRequest) -> Any:
    official = official_of(request.user)
    if official is None:
        raise PermissionDeniedError(_(ERR_OFFICIALS_ONLY))
    return official


class ConsultationIn(Schema):
    title: str
    kind: str
    summary: str = ""
    opens_at: datetime
    closes_at: datetime
    identity_level: str = "named"
    affected_unit_ids: list[int] = []


@router.post(
    "/consultations",
    response={201: ConsultationOut},
    summary="Tạo dự thảo (cán bộ của cơ quan chủ trì)",
)
def consultation_create(request: HttpRequest, payload: ConsultationIn) -> Status[Any]:
    official = _official(request)
    c = services.consultation_create(
        actor=request.user,
        agency=official.agency,
        title=payload.title,
        kind=payload.kind,
        summary=payload.summary,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        identity_level=payload.identity_level,
        affected_units=list(AdminUnit.objects.filter(pk__in=payload.affected_unit_ids)),
    )
    return Status(201, c)


def _mine(request: HttpRequest, pk: int) -> Any:
    _official(request)
    return selectors.consultation_for(request.user, pk)


class SectionsIn(Schema):
    text: str = Field(description="toàn văn dự thảo; tách theo Chương, Mục, Điều N., I., 1.")


class CountOut(Schema):
    sections: int


@router.post(
    "/consultations/{pk}/sections",
    response=CountOut,
    summary="Nhập nội dung dự thảo (tách thành các phần)",
)
def sections_text(request: HttpRequest, pk: int, payload: SectionsIn) -> dict:
    c = _mine(request, pk)
    return {
        "sections": services.sections_from_text(
            actor=request.user, consultation=c, text=payload.text
        )
    }


@router.post("/consultations/{pk}/open", response=ConsultationOut, summary="Công bố lấy ý kiến")
def consultation_open(request: HttpRequest, pk: int) -> Any:
    return services.consultation_open(actor=request.user, consultation=_mine(request, pk))


@router.post("/consultations/{pk}/close", response=ConsultationOut, summary="Kết thúc lấy ý kiến")
def consultation_close(request: HttpRequest, pk: int) -> Any:
    return services.consultation_close(actor=request.user, consultation=_mine(request, pk))


class OfficeCommentOut(CommentOut):
    status: str
    moderation_reason: str


@router.get(
    "/consultations/{pk}/comments",
    response=list[OfficeCommentOut],
    summary="Mọi ý kiến của một dự thảo (cán bộ)",
)
def office_comments(request: HttpRequest, pk: int) -> list:
    c = _mine(request, pk)
    return [
        {
            **{
                k: getattr(x, k)
                for k in (
                    "id",
                    "number",
                    "section_id",
                    "body",
                    "submitted_at",
                    "status",
                    "moderation_reason",
                )
            },
            "author": x.public_author,
            "response": (
                {"outcome": r.outcome, "text": r.text} if (r := selectors.response_of(x)) else None
            ),
        }
        for x in selectors.comments_of(c)
    ]


def _comment(request: HttpRequest, pk: int) -> Comment:
    _official(request)
    comment = get_object_or_404(Comment.objects.select_related("consultation__agency__unit"), pk=pk)
    if not request.user.has_perm("consultations.view_consultation", comment.consultation):
        raise NotFoundError(_(ERR_NOT_FOUND))
    return comment


class ModerateIn(Schema):
    publish: bool
    reason: str = ""
    note: str = ""


@router.post(
    "/consultations/comments/{pk}/moderation",
    response=OfficeCommentOut,
    summary="Kiểm duyệt một ý kiến",
)
def comment_moderate(request: HttpRequest, pk: int, payload: ModerateIn) -> dict:
    x = services.comment_moderate(
        actor=request.user,
        comment=_comment(request, pk),
        publish=payload.publish,
        reason=payload.reason,
        note=payload.note,
    )
    return {
        **{
            k: getattr(x, k)
            for k in (
                "id",
                "number",
                "section_id",
                "body",
                "submitted_at",
                "status",
                "moderation_reason",
            )
        },
        "author": x.public_author,
        "response": None,
    }


class ResponseIn(Schema):
    outcome: str = Field(description="accepted | explained | not_accepted")
    text: str


@router.post(
    "/consultations/comments/{pk}/response",
    response=ResponseOut,
    summary="Tiếp thu, giải trình một ý kiến",
)
def comment_respond(request: HttpRequest, pk: int, payload: ResponseIn) -> Any:
    return services.comment_respond(
        actor=request.user,
        comment=_comment(request, pk),
        outcome=payload.outcome,
        text=payload.text,
    )


class ReportIn(Schema):
    signer: str
    signer_position: str


@router.post(
    "/consultations/{pk}/report",
    response=ConsultationOut,
    summary="Cấp số báo cáo tổng hợp, tiếp thu, giải trình",
)
def report_issue(request: HttpRequest, pk: int, payload: ReportIn) -> Any:
    return services.synthesis_issue(
        actor=request.user,
        consultation=_mine(request, pk),
        signer=payload.signer,
        signer_position=payload.signer_position,
    )


class PublishIn(Schema):
    final_text: str


@router.post(
    "/consultations/{pk}/publish",
    response=ConsultationOut,
    summary="Công bố báo cáo tổng hợp và văn bản hoàn chỉnh",
)
def publish(request: HttpRequest, pk: int, payload: PublishIn) -> Any:
    return services.consultation_publish(
        actor=request.user, consultation=_mine(request, pk), final_text=payload.final_text
    )
