"""Writes of the dialogues app: schedule, questions (in advance and in the room), answers,
minutes (BB), commitments, progress reports and reminders. Each one atomic and audited."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danvan.consultations import policy
from danvan.core import audit, files, notify, search
from danvan.core.calendar import get_calendar
from danvan.core.errors import InvalidTransition, PermissionDeniedError, ValidationFailed
from danvan.core.models import Channel
from danvan.core.numbering import issue_number
from danvan.dialogues.models import (
    Commitment,
    CommitmentState,
    CommitmentStatus,
    Dialogue,
    DialogueStatus,
    ProgressReport,
    Question,
    QuestionOrigin,
    QuestionStatus,
)
from danvan.dialogues.selectors import SEARCH_DIALOGUE, due_soon_limit
from danvan.org.models import AdminUnit, Agency, Official

OVERDUE_REMINDER_EVERY = 5  # working days between two reminders of an overdue commitment

ERR_NOT_ALLOWED = gettext_noop("Bạn không có quyền thực hiện thao tác này.")
ERR_TIMES = gettext_noop("Thời gian kết thúc phải sau thời gian bắt đầu.")
ERR_NOT_SCHEDULED = gettext_noop("Cuộc đối thoại này không còn ở trạng thái đã lên lịch.")
ERR_NO_QUESTIONS = gettext_noop("Cuộc đối thoại này không nhận câu hỏi trước (hoặc đã bắt đầu).")
ERR_QUESTION_BODY = gettext_noop("Hãy nhập câu hỏi, kiến nghị (ít nhất 10 ký tự).")
ERR_QUESTION_NAME = gettext_noop("Hãy ghi họ tên và nơi ở (ấp, xã) của người hỏi.")
ERR_REASON = gettext_noop("Khi không tiếp nhận câu hỏi phải chọn lý do theo quy định kiểm duyệt.")
ERR_ALREADY_MODERATED = gettext_noop("Câu hỏi này đã được kiểm duyệt.")
ERR_NOT_ACCEPTED = gettext_noop("Chỉ trả lời câu hỏi đã được tiếp nhận.")
ERR_ANSWER = gettext_noop("Hãy nhập nội dung trả lời và người trả lời.")
ERR_NOT_HELD = gettext_noop("Cần ghi nhận cuộc đối thoại đã tổ chức trước.")
ERR_NOT_STARTED = gettext_noop("Cuộc đối thoại chưa diễn ra.")
ERR_MINUTES_TEXT = gettext_noop("Hãy nhập tóm tắt diễn biến cuộc đối thoại.")
ERR_COMMITMENT = gettext_noop("Hãy nhập nội dung cam kết.")
ERR_DUE = gettext_noop("Hạn hoàn thành không được trước ngày đối thoại.")
ERR_ALREADY_DONE = gettext_noop("Cam kết này đã hoàn thành.")
ERR_REPORT_TEXT = gettext_noop("Hãy nhập kết quả thực hiện.")
ERR_EVIDENCE = gettext_noop("Khi báo cáo hoàn thành phải kèm minh chứng (ảnh, văn bản).")
ERR_DONE_ON = gettext_noop("Ngày hoàn thành không được sau hôm nay hoặc trước ngày đối thoại.")


def _require(actor: Any, perm: str, obj: Any = None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDeniedError(_(ERR_NOT_ALLOWED))


def _index(d: Dialogue) -> None:
    texts = [d.topic, d.description, d.place, d.host_name, d.agency.name, d.minutes_text]
    texts += [f"{q.body} {q.answer}" for q in d.questions.filter(status=QuestionStatus.ACCEPTED)]
    texts += [c.description for c in d.commitments.all()]
    search.index(SEARCH_DIALOGUE, d.pk, *texts)


SCHEDULE_FIELDS = [
    "kind",
    "topic",
    "description",
    "host",
    "host_name",
    "place",
    "starts_at",
    "ends_at",
    "accepts_questions",
]


@transaction.atomic
def dialogue_schedule(
    *,
    actor: Any,
    agency: Agency,
    topic: str,
    host_name: str,
    place: str,
    starts_at: datetime,
    ends_at: datetime,
    kind: str = "dialogue",
    description: str = "",
    host: Official | None = None,
    participants: list[Agency] | None = None,
    affected_units: list[AdminUnit] | None = None,
    accepts_questions: bool = True,
) -> Dialogue:
    _require(actor, "dialogues.change_dialogue", agency)
    d = Dialogue(
        agency=agency,
        kind=kind,
        topic=topic.strip(),
        description=description.strip(),
        host=host,
        host_name=host_name.strip(),
        place=place.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        accepts_questions=accepts_questions,
        created_by=actor,
    )
    d.full_clean()
    if d.ends_at <= d.starts_at:
        raise ValidationFailed(_(ERR_TIMES), field="ends_at")
    d.save()
    d.participants.set(participants or [])
    d.affected_units.set(affected_units or [])
    _index(d)
    audit.record(
        actor=actor,
        action="dialogues.dialogue_schedule",
        obj=d,
        data={
            "starts_at": starts_at,
            "place": d.place,
            "host": d.host_name,
            "participants": [a.pk for a in participants or []],
            "units": [u.pk for u in affected_units or []],
        },
    )
    return d


@transaction.atomic
def dialogue_update(
    *,
    actor: Any,
    dialogue: Dialogue,
    participants: list[Agency] | None = None,
    affected_units: list[AdminUnit] | None = None,
    **fields: Any,
) -> Dialogue:
    _require(actor, "dialogues.change_dialogue", dialogue)
    if dialogue.status != DialogueStatus.SCHEDULED:
        raise InvalidTransition(_(ERR_NOT_SCHEDULED))
    before = audit.snapshot(dialogue, SCHEDULE_FIELDS)
    for name, value in fields.items():
        if name not in SCHEDULE_FIELDS:
            raise ValueError(name)
        setattr(dialogue, name, value)
    dialogue.full_clean()
    if dialogue.ends_at <= dialogue.starts_at:
        raise ValidationFailed(_(ERR_TIMES), field="ends_at")
    dialogue.save()
    if participants is not None:
        dialogue.participants.set(participants)
    if affected_units is not None:
        dialogue.affected_units.set(affected_units)
    _index(dialogue)
    audit.record(
        actor=actor,
        action="dialogues.dialogue_update",
        obj=dialogue,
        changes=audit.changes_of(dialogue, before),
    )
    return dialogue


@transaction.atomic
def dialogue_cancel(*, actor: Any, dialogue: Dialogue, reason: str) -> Dialogue:
    _require(actor, "dialogues.change_dialogue", dialogue)
    if dialogue.status != DialogueStatus.SCHEDULED:
        raise InvalidTransition(_(ERR_NOT_SCHEDULED))
    dialogue.status = DialogueStatus.CANCELLED
    dialogue.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor, action="dialogues.dialogue_cancel", obj=dialogue, data={"reason": reason}
    )
    return dialogue


# --- questions ----------------------------------------------------------------------------------
@transaction.atomic
def question_submit(
    *,
    actor: Any,
    dialogue: Dialogue,
    body: str,
    author_name: str,
    author_address: str,
    phone: str = "",
) -> Question:
    """A citizen's question sent in advance through the portal (held for moderation)."""
    if not dialogue.accepts_questions_now():
        raise InvalidTransition(_(ERR_NO_QUESTIONS))
    body = (body or "").strip()
    if len(body) < 10:
        raise ValidationFailed(_(ERR_QUESTION_BODY), field="body")
    if not author_name.strip() or not author_address.strip():
        raise ValidationFailed(_(ERR_QUESTION_NAME), field="author_name")
    if phone:
        from danvan.consultations.services import normalise_phone

        phone = normalise_phone(phone)
    q = Question(
        dialogue=dialogue,
        origin=QuestionOrigin.ADVANCE,
        body=body,
        author_name=author_name.strip(),
        author_address=author_address.strip(),
        phone=phone,
        author_user=actor if getattr(actor, "is_authenticated", False) else None,
    )
    q.full_clean()
    q.save()
    audit.record(
        actor=actor,
        action="dialogues.question_submit",
        obj=q,
        object_repr=f"Câu hỏi — {dialogue.topic}"[:300],
        data={"flags": policy.screen(body)},
    )
    return q


@transaction.atomic
def question_moderate(
    *, actor: Any, question: Question, accept: bool, reason: str = ""
) -> Question:
    _require(actor, "dialogues.change_dialogue", question.dialogue)
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("dialogue__agency")
        .get(pk=question.pk)
    )
    if question.status != QuestionStatus.PENDING:
        raise InvalidTransition(_(ERR_ALREADY_MODERATED))
    if not accept and reason not in policy.REASON_CODES:
        raise ValidationFailed(_(ERR_REASON), field="reason")
    before = audit.snapshot(question, ["status", "moderation_reason"])
    question.status = QuestionStatus.ACCEPTED if accept else QuestionStatus.REJECTED
    question.moderation_reason = "" if accept else reason
    question.save(update_fields=["status", "moderation_reason"])
    _index(question.dialogue)
    audit.record(
        actor=actor,
        action="dialogues.question_moderate",
        obj=question,
        changes=audit.changes_of(question, before),
        data={"reason_label": policy.reason_label(reason) if reason else ""},
    )
    return question


@transaction.atomic
def question_record(
    *,
    actor: Any,
    dialogue: Dialogue,
    body: str,
    author_name: str = "",
    author_address: str = "",
    answer: str = "",
    answered_by: str = "",
) -> Question:
    """A question raised in the room, with the answer given there (if any)."""
    _require(actor, "dialogues.change_dialogue", dialogue)
    if dialogue.status == DialogueStatus.CANCELLED:
        raise InvalidTransition(_(ERR_NOT_SCHEDULED))
    if not body.strip():
        raise ValidationFailed(_(ERR_QUESTION_BODY), field="body")
    now = timezone.now()
    q = Question(
        dialogue=dialogue,
        origin=QuestionOrigin.ROOM,
        body=body.strip(),
        author_name=author_name.strip(),
        author_address=author_address.strip(),
        status=QuestionStatus.ACCEPTED,
        answer=answer.strip(),
        answered_by=answered_by.strip(),
        answered_at=now if answer.strip() else None,
        submitted_at=now,
    )
    q.full_clean()
    q.save()
    _index(dialogue)
    audit.record(
        actor=actor, action="dialogues.question_record", obj=q, data={"answered": bool(q.answer)}
    )
    return q


@transaction.atomic
def question_answer(*, actor: Any, question: Question, answer: str, answered_by: str) -> Question:
    _require(actor, "dialogues.change_dialogue", question.dialogue)
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("dialogue__agency")
        .get(pk=question.pk)
    )
    if question.status != QuestionStatus.ACCEPTED:
        raise InvalidTransition(_(ERR_NOT_ACCEPTED))
    if not answer.strip() or not answered_by.strip():
        raise ValidationFailed(_(ERR_ANSWER), field="answer")
    before = audit.snapshot(question, ["answer", "answered_by"])
    question.answer, question.answered_by = answer.strip(), answered_by.strip()
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    _index(question.dialogue)
    audit.record(
        actor=actor,
        action="dialogues.question_answer",
        obj=question,
        changes=audit.changes_of(question, before),
    )
    return question


# --- the day: held, minutes ---------------------------------------------------------------------
@transaction.atomic
def dialogue_record_held(
    *,
    actor: Any,
    dialogue: Dialogue,
    minutes_text: str,
    attendance: int | None = None,
    secretary: str = "",
) -> Dialogue:
    _require(actor, "dialogues.change_dialogue", dialogue)
    if dialogue.status == DialogueStatus.CANCELLED:
        raise InvalidTransition(_(ERR_NOT_SCHEDULED))
    if timezone.now() < dialogue.starts_at:
        raise InvalidTransition(_(ERR_NOT_STARTED))
    if not minutes_text.strip():
        raise ValidationFailed(_(ERR_MINUTES_TEXT), field="minutes_text")
    before = audit.snapshot(dialogue, ["status", "minutes_text", "attendance", "secretary"])
    dialogue.status = DialogueStatus.HELD
    dialogue.minutes_text, dialogue.attendance = minutes_text.strip(), attendance
    dialogue.secretary = secretary.strip()
    dialogue.full_clean()
    dialogue.save()
    _index(dialogue)
    audit.record(
        actor=actor,
        action="dialogues.dialogue_record_held",
        obj=dialogue,
        changes=audit.changes_of(dialogue, before),
    )
    return dialogue


@transaction.atomic
def minutes_issue(*, actor: Any, dialogue: Dialogue) -> Dialogue:
    """Number the minutes (biên bản, BB) of a dialogue that was held."""
    _require(actor, "dialogues.issue_minutes", dialogue)
    dialogue = (
        Dialogue.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=dialogue.pk)
    )
    if dialogue.status != DialogueStatus.HELD:
        raise InvalidTransition(_(ERR_NOT_HELD))
    if not dialogue.minutes_symbol:
        today = timezone.localdate()
        issued = issue_number(
            issuer=dialogue.agency.code,
            issuer_symbol=dialogue.agency.symbol,
            doc_type="BB",
            on=today,
            obj=dialogue,
            actor=actor,
            title=f"Biên bản {dialogue.get_kind_display().lower()}: {dialogue.topic}",
        )
        dialogue.minutes_symbol, dialogue.minutes_issued_on = issued.symbol, today
        dialogue.save(update_fields=["minutes_symbol", "minutes_issued_on", "updated_at"])
        audit.record(
            actor=actor,
            action="dialogues.minutes_issue",
            obj=dialogue,
            data={"symbol": issued.symbol},
        )
    return dialogue


# --- commitments ----------------------------------------------------------------------------------
@transaction.atomic
def commitment_add(
    *,
    actor: Any,
    dialogue: Dialogue,
    description: str,
    owner: Agency,
    due_on: date,
    question: Question | None = None,
) -> Commitment:
    _require(actor, "dialogues.change_dialogue", dialogue)
    if dialogue.status == DialogueStatus.CANCELLED:
        raise InvalidTransition(_(ERR_NOT_SCHEDULED))
    if not description.strip():
        raise ValidationFailed(_(ERR_COMMITMENT), field="description")
    if due_on < timezone.localtime(dialogue.starts_at).date():
        raise ValidationFailed(_(ERR_DUE), field="due_on")
    c = Commitment(
        dialogue=dialogue,
        question=question,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
    )
    c.full_clean()
    c.save()
    _index(dialogue)
    audit.record(
        actor=actor,
        action="dialogues.commitment_add",
        obj=c,
        data={"owner": owner.code, "due_on": due_on.isoformat(), "dialogue": dialogue.pk},
    )
    if owner.email:
        notify.notify(
            channel=Channel.EMAIL,
            recipient=owner.email,
            obj=c,
            subject=_("Cam kết sau đối thoại giao cho cơ quan"),
            body=_(
                "Tại buổi “%(topic)s”, %(agency)s được giao thực hiện: %(what)s. Hạn hoàn thành: %(due)s."
            )
            % {
                "topic": dialogue.topic,
                "agency": owner.name,
                "what": c.description,
                "due": due_on.strftime("%d/%m/%Y"),
            },
        )
    return c


@transaction.atomic
def commitment_report(
    *,
    actor: Any,
    commitment: Commitment,
    text: str,
    status: str,
    evidence: UploadedFile | None = None,
    done_on: date | None = None,
) -> ProgressReport:
    """The owner reports progress; "done" needs evidence and records the day it was done."""
    _require(actor, "dialogues.report_commitment", commitment)
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("dialogue", "owner")
        .get(pk=commitment.pk)
    )
    if commitment.status == CommitmentStatus.DONE:
        raise InvalidTransition(_(ERR_ALREADY_DONE))
    if not (text or "").strip():
        raise ValidationFailed(_(ERR_REPORT_TEXT), field="text")
    if status not in CommitmentStatus.values:
        raise ValidationFailed(_(ERR_REPORT_TEXT), field="status")
    if status == CommitmentStatus.DONE and evidence is None:
        raise ValidationFailed(_(ERR_EVIDENCE), field="evidence")
    today = timezone.localdate()
    if status == CommitmentStatus.DONE:
        done_on = done_on or today
        if done_on > today or done_on < timezone.localtime(commitment.dialogue.starts_at).date():
            raise ValidationFailed(_(ERR_DONE_ON), field="done_on")
    att = None
    if evidence is not None:
        att = files.attachment_create(
            upload=evidence,
            actor=actor,
            owner=commitment,
            purpose="evidence",
            allowed=(*files.IMAGES_AND_PDF, "docx"),
        )
    before = audit.snapshot(commitment, ["status", "done_on"])
    commitment.status = status
    commitment.done_on = done_on if status == CommitmentStatus.DONE else None
    commitment.save(update_fields=["status", "done_on", "updated_at"])
    report = ProgressReport.objects.create(
        commitment=commitment, text=text.strip(), status=status, reported_by=actor, evidence=att
    )
    audit.record(
        actor=actor,
        action="dialogues.commitment_report",
        obj=commitment,
        changes=audit.changes_of(commitment, before),
        data={
            "report": report.pk,
            "evidence": att.pk if att else None,
            "state": commitment.state_on(today),
        },
    )
    return report


def _reminder_recipients(agency: Agency) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if agency.email:
        out.append((Channel.EMAIL, agency.email))
    lead = agency.mobilisation_lead
    if lead is not None:
        if lead.user.email:
            out.append((Channel.EMAIL, lead.user.email))
        elif lead.user.phone:
            out.append((Channel.SMS, lead.user.phone))
    return list(dict.fromkeys(out))


@transaction.atomic
def commitments_remind(*, today: date | None = None) -> int:
    """Remind owners of commitments due within a few working days (once) and of overdue ones
    (every few working days). Returns how many commitments were reminded."""
    today = today or timezone.localdate()
    cal = get_calendar()
    soon_limit = due_soon_limit(today)
    qs = (
        Commitment.objects.select_for_update(of=("self",))
        .exclude(status=CommitmentStatus.DONE)
        .exclude(dialogue__status=DialogueStatus.CANCELLED)
        .filter(due_on__lte=soon_limit)
        .select_related("owner__mobilisation_lead__user", "dialogue")
    )
    n = 0
    for c in qs:
        state = c.state_on(today, soon_limit=soon_limit)
        if state == CommitmentState.DUE_SOON and c.last_reminded_on is not None:
            continue
        if (
            state == CommitmentState.OVERDUE
            and c.last_reminded_on is not None
            and c.last_reminded_on > c.due_on
            and cal.count_working_days(c.last_reminded_on, today) < OVERDUE_REMINDER_EVERY
        ):
            continue
        if state == CommitmentState.OVERDUE:
            body = _(
                "QUÁ HẠN: cam kết “%(what)s” (đối thoại “%(topic)s”) đã quá hạn từ %(due)s. Đề nghị %(agency)s báo cáo kết quả thực hiện."
            )
        else:
            body = _(
                "Sắp đến hạn %(due)s: cam kết “%(what)s” (đối thoại “%(topic)s”). Đề nghị %(agency)s báo cáo kết quả thực hiện."
            )
        text = body % {
            "what": c.description[:200],
            "topic": c.dialogue.topic[:120],
            "due": c.due_on.strftime("%d/%m/%Y"),
            "agency": c.owner.name,
        }
        for channel, recipient in _reminder_recipients(c.owner):
            notify.notify(
                channel=channel,
                recipient=recipient,
                body=text,
                obj=c,
                subject=_("Nhắc thực hiện cam kết sau đối thoại"),
            )
        c.last_reminded_on = today
        c.save(update_fields=["last_reminded_on"])
        audit.record(
            actor=None,
            action="dialogues.commitment_remind",
            obj=c,
            data={"state": state, "due_on": c.due_on.isoformat()},
        )
        n += 1
    return n
