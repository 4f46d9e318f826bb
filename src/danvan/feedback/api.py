"""The feedback app's part of the JSON API (officials): list, show, assign, transfer, merge,
answer, approve or return, publish. Citizens' applications use Open311 (``/open311/v2/``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop
from ninja import Field, Query, Router, Schema

from danvan.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from danvan.feedback import selectors, services
from danvan.feedback.models import Feedback
from danvan.org.models import Agency, User
from danvan.org.selectors import official_of

router = Router(tags=["Phản ánh, kiến nghị (feedback)"])

ERR_OFFICIALS = gettext_noop("Chỉ cán bộ mới dùng được chức năng này.")
ERR_NO_USER = gettext_noop("Không tìm thấy người dùng {username}.")
ERR_NO_AGENCY = gettext_noop("Không tìm thấy cơ quan {agency}.")
ERR_NO_ITEM = gettext_noop("Không tìm thấy phản ánh {code} trong phạm vi của bạn.")


class AgencyRef(Schema):
    id: int
    code: str
    name: str


class EventOut(Schema):
    kind: str
    at: datetime
    actor: str | None = None
    agency: str | None = None
    to_agency: str | None = None
    on_time: bool | None = None
    note: str = ""


class FeedbackOut(Schema):
    id: int
    code: str
    category: str
    channel: str
    title: str
    status: str
    agency: AgencyRef
    handler: str | None = Field(None, description="tên đăng nhập của cán bộ xử lý")
    unit: str | None = None
    received_at: datetime
    transfer_due_at: datetime
    due_at: datetime
    answered_at: datetime | None = None
    published_at: datetime | None = None
    overdue: bool
    due_soon: bool
    answered_late: bool
    duplicate_of: str | None = None

    @staticmethod
    def resolve_handler(obj: Feedback) -> str | None:
        return obj.handler.get_username() if obj.handler else None

    @staticmethod
    def resolve_unit(obj: Feedback) -> str | None:
        return obj.unit.name if obj.unit else None

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(getattr(obj, "state_overdue", False))

    @staticmethod
    def resolve_due_soon(obj: Any) -> bool:
        return bool(getattr(obj, "state_due_soon", False))

    @staticmethod
    def resolve_answered_late(obj: Any) -> bool:
        return bool(getattr(obj, "state_late", False))

    @staticmethod
    def resolve_duplicate_of(obj: Feedback) -> str | None:
        return obj.duplicate_of.code if obj.duplicate_of_id and obj.duplicate_of else None


class FeedbackDetailOut(FeedbackOut):
    content: str
    dossier_code: str
    address: str
    sender_name: str
    sender_address: str
    sender_phone: str
    sender_email: str
    publish_consent: bool
    answer_text: str
    answer_return_note: str
    public_title: str
    public_content: str
    public_answer: str
    events: list[EventOut]
    attachments: list[str]

    @staticmethod
    def resolve_events(obj: Feedback) -> list[dict[str, Any]]:
        return [
            {
                "kind": e.kind,
                "at": e.at,
                "actor": e.actor.get_username() if e.actor else None,
                "agency": e.agency.code if e.agency else None,
                "to_agency": e.to_agency.code if e.to_agency else None,
                "on_time": e.on_time,
                "note": e.note,
            }
            for e in selectors.events_of(obj)
        ]

    @staticmethod
    def resolve_attachments(obj: Feedback) -> list[str]:
        return [a.original_name for a in selectors.attachments_of(obj)]


class SimilarOut(Schema):
    code: str
    title: str
    status: str
    score: int
    shared_words: int
    same_place: bool


class ListFilter(Schema):
    status: str | None = None
    category: str | None = None
    state: Literal["open", "overdue", "due_soon", "mine"] | None = None
    q: str | None = Field(None, description="tìm theo mã, tiêu đề, nội dung (không dấu cũng được)")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class AssignIn(Schema):
    handler: str = Field(description="tên đăng nhập của cán bộ xử lý")


class TransferIn(Schema):
    agency: str = Field(description="mã cơ quan có thẩm quyền (Agency.code)")
    reason: str


class MergeIn(Schema):
    into: str = Field(description="mã tra cứu của phản ánh gốc")
    note: str = ""


class AnswerIn(Schema):
    text: str
    submit: bool = Field(True, description="trình lãnh đạo duyệt (false: chỉ lưu dự thảo)")


class ApproveIn(Schema):
    text: str | None = Field(None, description="nội dung trả lời đã sửa (bỏ trống: giữ dự thảo)")
    publish: bool = True


class ReturnIn(Schema):
    note: str


class PublishIn(Schema):
    public_title: str | None = None
    public_content: str | None = None
    public_answer: str | None = None


def _official(request: HttpRequest) -> User:
    user = request.user
    if official_of(user) is None or not isinstance(user, User):
        raise PermissionDeniedError(gettext(ERR_OFFICIALS))
    return user


def _item(request: HttpRequest, item_id: int) -> Feedback:
    user = _official(request)
    item = selectors.item_for(user, item_id)
    if not user.has_perm("feedback.view_feedback", item):
        raise PermissionDeniedError(gettext(services.ERR_NOT_ALLOWED))
    return item


def _require(request: HttpRequest, perm: str, item: Feedback) -> None:
    if not request.user.has_perm(perm, item):
        raise PermissionDeniedError(gettext(services.ERR_NOT_ALLOWED))


def _detail(request: HttpRequest, item: Feedback) -> Feedback:
    """The item as the user now sees it (states, events and attachments resolved by the schema)."""
    return selectors.item_for(request.user, item.pk)


@router.get("/feedback", response=list[FeedbackOut], summary="Danh sách phản ánh (list)")
def feedback_list(request: HttpRequest, f: Query[ListFilter]) -> list[Feedback]:
    user = _official(request)
    qs = selectors.inbox(
        user,
        selectors.InboxFilter(
            status=f.status or "", category=f.category or "", state=f.state or "", q=f.q or ""
        ),
    ).select_related("duplicate_of")
    return list(qs[f.offset : f.offset + f.limit])


@router.get("/feedback/{item_id}", response=FeedbackDetailOut, summary="Chi tiết (show)")
def feedback_show(request: HttpRequest, item_id: int) -> Feedback:
    return _detail(request, _item(request, item_id))


@router.get(
    "/feedback/{item_id}/similar",
    response=list[SimilarOut],
    summary="Phản ánh tương tự, có thể trùng (similar items)",
)
def feedback_similar(request: HttpRequest, item_id: int) -> list[dict[str, Any]]:
    item = _item(request, item_id)
    return [
        {
            "code": s.item.code,
            "title": s.item.title,
            "status": s.item.status,
            "score": s.score,
            "shared_words": s.shared_words,
            "same_place": s.same_place,
        }
        for s in selectors.similar_items(request.user, item)
    ]


@router.post("/feedback/{item_id}/assign", response=FeedbackDetailOut, summary="Giao cán bộ")
def feedback_assign(request: HttpRequest, item_id: int, payload: AssignIn) -> Feedback:
    item = _item(request, item_id)
    _require(request, "feedback.assign_feedback", item)
    handler = User.objects.filter(username=payload.handler).first()
    if handler is None:
        raise ValidationFailed(
            gettext(ERR_NO_USER).format(username=payload.handler), field="handler"
        )
    done = services.feedback_assign(actor=_official(request), item=item, handler=handler)
    return _detail(request, done)


class TransferOut(Schema):
    code: str
    status: str
    agency: AgencyRef
    due_at: datetime
    on_time: bool = Field(description="chuyển trong 5 ngày làm việc kể từ khi nhận")


@router.post(
    "/feedback/{item_id}/transfer",
    response=TransferOut,
    summary="Chuyển cơ quan có thẩm quyền (transfer)",
)
def feedback_transfer(request: HttpRequest, item_id: int, payload: TransferIn) -> dict[str, Any]:
    item = _item(request, item_id)
    _require(request, "feedback.transfer_feedback", item)
    agency = Agency.objects.filter(code=payload.agency).first()
    if agency is None:
        raise ValidationFailed(gettext(ERR_NO_AGENCY).format(agency=payload.agency), field="agency")
    done = services.feedback_transfer(
        actor=_official(request), item=item, to_agency=agency, reason=payload.reason
    )
    event = done.events.filter(kind="transferred").order_by("-at", "-pk").first()
    return {
        "code": done.code,
        "status": done.status,
        "agency": done.agency,
        "due_at": done.due_at,
        "on_time": bool(event and event.on_time),
    }


@router.post("/feedback/{item_id}/merge", response=FeedbackDetailOut, summary="Gộp phản ánh trùng")
def feedback_merge(request: HttpRequest, item_id: int, payload: MergeIn) -> Feedback:
    item = _item(request, item_id)
    _require(request, "feedback.merge_feedback", item)
    code = services.normalise_code(payload.into) or payload.into
    target = selectors.feedback_for(request.user).filter(code=code).first()
    if target is None:
        raise NotFoundError(gettext(ERR_NO_ITEM).format(code=payload.into))
    done = services.feedback_merge(
        actor=_official(request), item=item, into=target, note=payload.note
    )
    return _detail(request, done)


@router.post("/feedback/{item_id}/answer", response=FeedbackDetailOut, summary="Soạn trả lời")
def feedback_answer(request: HttpRequest, item_id: int, payload: AnswerIn) -> Feedback:
    item = _item(request, item_id)
    _require(request, "feedback.answer_feedback", item)
    done = services.feedback_answer(
        actor=_official(request), item=item, text=payload.text, submit=payload.submit
    )
    return _detail(request, done)


@router.post("/feedback/{item_id}/approve", response=FeedbackDetailOut, summary="Duyệt, gửi")
def feedback_approve(request: HttpRequest, item_id: int, payload: ApproveIn) -> Feedback:
    item = _item(request, item_id)
    _require(request, "feedback.approve_feedback", item)
    done = services.feedback_approve(
        actor=_official(request), item=item, text=payload.text, publish=payload.publish
    )
    return _detail(request, done)


@router.post("/feedback/{item_id}/return", response=FeedbackDetailOut, summary="Trả lại dự thảo")
def feedback_return(request: HttpRequest, item_id: int, payload: ReturnIn) -> Feedback:
    item = _item(request, item_id)
    _require(request, "feedback.approve_feedback", item)
    done = services.feedback_return(actor=_official(request), item=item, note=payload.note)
    return _detail(request, done)


@router.post("/feedback/{item_id}/publish", response=FeedbackDetailOut, summary="Công khai")
def feedback_publish(request: HttpRequest, item_id: int, payload: PublishIn) -> Feedback:
    item = _item(request, item_id)
    _require(request, "feedback.publish_feedback", item)
    done = services.feedback_publish(
        actor=_official(request),
        item=item,
        public_title=payload.public_title,
        public_content=payload.public_content,
        public_answer=payload.public_answer,
    )
    return _detail(request, done)
