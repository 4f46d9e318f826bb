"""The dialogues app's part of the JSON API: public reads (schedule, commitments), officials'
writes (schedule, commitments, progress reports)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Router, Schema, Status

from danvan.core.errors import PermissionDeniedError
from danvan.dialogues import selectors, services
from danvan.dialogues.models import CommitmentState
from danvan.org.models import AdminUnit, Agency
from danvan.org.selectors import official_of

ERR_OFFICIALS_ONLY = gettext_noop("Chỉ cán bộ mới dùng được chức năng này.")
ERR_NO_AGENCY = gettext_noop("Không có cơ quan mang mã này.")

router = Router(tags=["Đối thoại, cam kết (dialogues)"])


class DialogueOut(Schema):
    id: int
    kind: str
    topic: str
    description: str
    host_name: str
    place: str
    starts_at: datetime
    ends_at: datetime
    status: str
    agency: str
    minutes_symbol: str

    @staticmethod
    def resolve_agency(obj: Any) -> str:
        return obj.agency.name


class CommitmentOut(Schema):
    id: int
    dialogue_id: int
    dialogue_topic: str
    description: str
    owner: str
    owner_code: str
    due_on: date
    status: str
    done_on: date | None
    state: str
    kept_on_time: bool | None

    @staticmethod
    def resolve_dialogue_topic(obj: Any) -> str:
        return obj.dialogue.topic

    @staticmethod
    def resolve_owner(obj: Any) -> str:
        return obj.owner.name

    @staticmethod
    def resolve_owner_code(obj: Any) -> str:
        return obj.owner.code


@router.get("/dialogues", auth=None, response=list[DialogueOut], summary="Lịch đối thoại (public)")
def dialogue_list(request: HttpRequest, q: str = "", when: str = "") -> list:
    return list(selectors.public_dialogues(q=q, when=when)[:200])


@router.get(
    "/dialogues/commitments",
    auth=None,
    response=list[CommitmentOut],
    summary="Mọi cam kết sau đối thoại và tình trạng thực hiện (public)",
)
def commitment_list(request: HttpRequest, state: str = "") -> list:
    return selectors.public_commitments(state=state if state in CommitmentState.values else "")


@router.get(
    "/dialogues/{pk}", auth=None, response=DialogueOut, summary="Một cuộc đối thoại (public)"
)
def dialogue_detail(request: HttpRequest, pk: int) -> Any:
    return selectors.public_dialogue(pk)


# --- officials ----------------------------------------------------------------------------------
def _official(request: HttpRequest) -> Any:
    official = official_of(request.user)
    if official is None:
        raise PermissionDeniedError(_(ERR_OFFICIALS_ONLY))
    return official


class DialogueIn(Schema):
    kind: str = "dialogue"
    topic: str
    description: str = ""
    host_name: str
    place: str
    starts_at: datetime
    ends_at: datetime
    participant_ids: list[int] = []
    affected_unit_ids: list[int] = []
    accepts_questions: bool = True


@router.post("/dialogues", response={201: DialogueOut}, summary="Lên lịch đối thoại")
def dialogue_create(request: HttpRequest, payload: DialogueIn) -> Status[Any]:
    official = _official(request)
    data = payload.dict()
    participants = list(Agency.objects.filter(pk__in=data.pop("participant_ids")))
    units = list(AdminUnit.objects.filter(pk__in=data.pop("affected_unit_ids")))
    d = services.dialogue_schedule(
        actor=request.user,
        agency=official.agency,
        participants=participants,
        affected_units=units,
        **data,
    )
    return Status(201, d)


class CommitmentIn(Schema):
    description: str
    owner_code: str
    due_on: date


@router.post(
    "/dialogues/{pk}/commitments", response={201: CommitmentOut}, summary="Ghi nhận cam kết"
)
def commitment_add(request: HttpRequest, pk: int, payload: CommitmentIn) -> Status[Any]:
    _official(request)
    d = selectors.dialogue_for(request.user, pk)
    owner = Agency.objects.filter(code=payload.owner_code).first()
    if owner is None:
        from danvan.core.errors import ValidationFailed

        raise ValidationFailed(_(ERR_NO_AGENCY), field="owner_code")
    c = services.commitment_add(
        actor=request.user,
        dialogue=d,
        description=payload.description,
        owner=owner,
        due_on=payload.due_on,
    )
    return Status(201, c)


class ProgressIn(Schema):
    status: str
    text: str


@router.post(
    "/dialogues/commitments/{pk}/progress",
    response=CommitmentOut,
    summary="Báo cáo tiến độ (chưa hoàn thành; hoàn thành cần minh chứng qua trang cán bộ)",
)
def commitment_progress(request: HttpRequest, pk: int, payload: ProgressIn) -> Any:
    _official(request)
    c = selectors.commitment_for(request.user, pk)
    services.commitment_report(
        actor=request.user, commitment=c, text=payload.text, status=payload.status
    )
    return selectors.commitment_for(request.user, pk)


@router.get(
    "/dialogues/commitments/overdue",
    response=list[CommitmentOut],
    summary="Cam kết quá hạn trong phạm vi (cán bộ)",
)
def overdue(request: HttpRequest) -> list:
    _official(request)
    return list(selectors.commitments_for(request.user, overdue_only=True)[:500])
