"""Writes of the one-stop shop. Every step of a dossier is one service here: it checks the
actor's permission and the dossier's state, writes the step (and its form), the timeline event,
the audit record and the day's counters in one transaction, and queues the citizen's SMS/e-mail
for after the commit.

Deadlines come only from the core calendar and the versioned rules (:mod:`danvan.core.deadlines`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danvan.core import audit, deadlines, notify, search
from danvan.core.calendar import TZ, OfficeHours, WorkingCalendar, get_calendar
from danvan.core.errors import (
    InvalidTransition,
    PermissionDeniedError,
    ValidationFailed,
)
from danvan.core.models import DeadlineUnit
from danvan.core.numbering import issue_number
from danvan.core.text import fold
from danvan.onestop import stats
from danvan.onestop.models import (
    UNFINISHED_STATUSES,
    Apology,
    Channel,
    Decision,
    Dossier,
    DossierCounter,
    DossierEvent,
    EventKind,
    Handover,
    Level,
    Procedure,
    ProcedureDocument,
    ProcedureField,
    ProcedureReview,
    Rating,
    RatingChannel,
    Receipt,
    Refusal,
    ReturnMethod,
    Score,
    Status,
    SupplementRequest,
    SupplementStage,
    Timeliness,
    local_day,
    timeliness_of,
)
from danvan.org.models import Agency, Official, User
from danvan.org.selectors import official_of

SEARCH_KIND = "onestop.procedure"
search.register(SEARCH_KIND, "Thủ tục hành chính")

# --- messages (Vietnamese, shown as they are) --------------------------------------------------
ERR_NOT_ALLOWED = gettext_noop("Bạn không có quyền thực hiện thao tác này.")
ERR_NOT_OFFICIAL = gettext_noop("Chỉ cán bộ của cơ quan mới thực hiện được thao tác này.")
ERR_TRANSITION = gettext_noop("Không thể {action} khi hồ sơ đang ở trạng thái “{status}”.")
ERR_SUPPLEMENT_ONCE = gettext_noop(
    "Hồ sơ {code} đã được yêu cầu bổ sung một lần. Theo quy định, việc yêu cầu bổ sung, hoàn "
    "thiện hồ sơ chỉ được thực hiện một lần: nếu hồ sơ vẫn chưa đủ, hãy lập phiếu từ chối "
    "tiếp nhận và nêu rõ lý do."
)
ERR_INSUFFICIENT_ONCE = gettext_noop(
    "Hồ sơ {code} đã được cơ quan giải quyết trả lại một lần vì chưa đủ điều kiện; không thể trả "
    "lại lần nữa."
)
ERR_INSUFFICIENT_LATE = gettext_noop(
    "Đã quá thời hạn {days} ngày làm việc (đến {deadline}) kể từ khi cơ quan giải quyết nhận hồ "
    "sơ, nên không thể trả lại hồ sơ vì chưa đủ điều kiện."
)
ERR_INSUFFICIENT_NOT_HANDLER = gettext_noop(
    "Chỉ cơ quan đang giải quyết hồ sơ mới được trả lại hồ sơ chưa đủ điều kiện."
)
ERR_APOLOGY_ONCE = gettext_noop(
    "Hồ sơ {code} đã được xin lỗi và hẹn lại ngày trả kết quả một lần; ngày hẹn chỉ được thay "
    "đổi một lần."
)
ERR_APOLOGY_DATE = gettext_noop("Ngày hẹn mới phải sau ngày hẹn hiện tại ({current}).")
ERR_APOLOGY_DAY_OFF = gettext_noop("Ngày hẹn mới {day} không phải ngày làm việc ({name}).")
ERR_APOLOGY_NO_DUE = gettext_noop("Hồ sơ chưa có ngày hẹn trả kết quả nên chưa thể hẹn lại.")
ERR_REASON = gettext_noop("Cần nêu rõ lý do.")
ERR_NO_ITEMS = gettext_noop("Cần liệt kê đầy đủ giấy tờ cần bổ sung, hoàn thiện.")
ERR_PROCEDURE_UNPUBLISHED = gettext_noop("Thủ tục {code} không còn được áp dụng.")
ERR_PROCEDURE_AGENCY = gettext_noop(
    "Thủ tục {code} thuộc thẩm quyền của {agency}, không tiếp nhận tại {here}."
)
ERR_PROCEDURE_LEVEL = gettext_noop(
    "Thủ tục {code} thực hiện ở {level}, không tiếp nhận tại {here}."
)
ERR_FUTURE = gettext_noop("Thời điểm tiếp nhận không được ở tương lai.")
ERR_BACKDATE = gettext_noop(
    "Nhập hồ sơ với thời điểm tiếp nhận trong quá khứ cần quyền nhập bổ sung (lùi ngày)."
)
ERR_PHONE = gettext_noop("Số điện thoại không hợp lệ (cần 10 chữ số, ví dụ 0912345678).")
ERR_NAME = gettext_noop("Cần ghi họ và tên người nộp hồ sơ.")
ERR_ADDRESS = gettext_noop("Cần ghi địa chỉ người nộp hồ sơ.")
ERR_HANDOVER_DUE = gettext_noop(
    "Hạn xử lý của bước này ({due}) không được sau hạn giải quyết hồ sơ ({limit})."
)
ERR_HANDOVER_USER = gettext_noop("{user} không phải cán bộ của {agency}.")
ERR_RATED = gettext_noop("Hồ sơ {code} đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần.")
ERR_RATING_TOO_EARLY = gettext_noop("Chỉ đánh giá được khi hồ sơ đã có kết quả.")
ERR_SCORE = gettext_noop("Mức đánh giá không hợp lệ.")

ACTION_LABELS = {
    "receive": gettext_noop("tiếp nhận hồ sơ"),
    "request_supplement": gettext_noop("yêu cầu bổ sung hồ sơ"),
    "supplement": gettext_noop("nhận hồ sơ bổ sung"),
    "refuse": gettext_noop("từ chối tiếp nhận"),
    "forward": gettext_noop("chuyển giải quyết"),
    "return_insufficient": gettext_noop("trả lại hồ sơ chưa đủ điều kiện"),
    "await_payment": gettext_noop("chuyển sang chờ thực hiện nghĩa vụ tài chính"),
    "payment_done": gettext_noop("xác nhận đã thực hiện nghĩa vụ tài chính"),
    "suspend": gettext_noop("tạm dừng giải quyết"),
    "resume": gettext_noop("tiếp tục giải quyết"),
    "apologise": gettext_noop("xin lỗi và hẹn lại ngày trả kết quả"),
    "resolve": gettext_noop("ghi nhận kết quả giải quyết"),
    "return_result": gettext_noop("trả kết quả"),
    "withdraw": gettext_noop("rút hồ sơ"),
    "rate": gettext_noop("đánh giá"),
}

#: where each step may start from
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "request_supplement": (Status.NEW,),
    "supplement": (Status.SUPPLEMENT,),
    "refuse": (Status.NEW, Status.SUPPLEMENT, Status.RECEIVED),
    "forward": (Status.RECEIVED, Status.PROCESSING),
    "return_insufficient": (Status.PROCESSING,),
    "await_payment": (Status.RECEIVED, Status.PROCESSING),
    "payment_done": (Status.AWAITING_PAYMENT,),
    "suspend": (Status.RECEIVED, Status.PROCESSING),
    "resume": (Status.SUSPENDED,),
    "apologise": (Status.RECEIVED, Status.PROCESSING, Status.AWAITING_PAYMENT, Status.SUSPENDED),
    "resolve": (Status.RECEIVED, Status.PROCESSING),
    "return_result": (Status.RESOLVED,),
    "withdraw": UNFINISHED_STATUSES,
    "rate": (Status.RESOLVED, Status.RETURNED),
}

BACKDATE_TOLERANCE = timedelta(minutes=10)
_DIGITS = re.compile(r"\D+")


# --- inputs ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ApplicantIn:
    name: str
    phone: str
    address: str
    id_number: str = ""
    email: str = ""


@dataclass(frozen=True)
class DocumentIn:
    """A document handed in: by the id of the procedure's document, or by its name."""

    name: str = ""
    document_id: int | None = None
    originals: int = 1
    copies: int = 0


# --- helpers -----------------------------------------------------------------------------------
def _require(actor: Any, perm: str, obj: Any = None) -> Official:
    official = official_of(actor)
    if official is None:
        raise PermissionDeniedError(_(ERR_NOT_OFFICIAL))
    allowed = actor.has_perm(perm) if obj is None else actor.has_perm(perm, obj)
    if not allowed:
        raise PermissionDeniedError(_(ERR_NOT_ALLOWED))
    return official


def _check_state(dossier: Dossier, action: str) -> None:
    if dossier.status not in ALLOWED_FROM[action]:
        raise InvalidTransition(
            _(ERR_TRANSITION).format(
                action=_(ACTION_LABELS[action]), status=Status(dossier.status).label
            ),
            code="invalid_transition",
            status=dossier.status,
        )


def _lock(dossier: Dossier) -> Dossier:
    """Re-read the dossier under a row lock (the step sees the latest state)."""
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("agency", "procedure", "handling_agency", "handler")
        .get(pk=dossier.pk)
    )


def normalise_phone(phone: str) -> str:
    digits = _DIGITS.sub("", phone or "")
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) != 10 or not digits.startswith("0"):
        raise ValidationFailed(_(ERR_PHONE), field="phone")
    return digits


def no_cutoff(hours: OfficeHours) -> OfficeHours:
    """Office hours without the after-15:00 rule (for the body's own internal deadlines)."""
    return dataclasses.replace(hours, after_hours_cutoff=None)


def dossier_code_next(*, agency: Agency, on: date) -> str:
    """``<agency code>-<YYMMDD>-<NNNN>``: one sequence per agency per day (Circular 01/2018,
    art. 19), taken with one upsert inside the caller's transaction (no gaps, no duplicates)."""
    table = DossierCounter._meta.db_table
    sql = (
        f"INSERT INTO {table} (agency_id, day, last_number) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (agency_id, day) DO UPDATE SET last_number = {table}.last_number + 1 "
        "RETURNING last_number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [agency.pk, on])
        row = cursor.fetchone()
    assert row is not None
    return f"{agency.code}-{on:%y%m%d}-{int(row[0]):04d}"


def lookup_token(code: str) -> str:
    """The signed part of the look-up link printed (as a QR code) on the receipt."""
    return signing.Signer(salt="onestop.lookup").sign(code).rsplit(":", 1)[1]


def lookup_token_valid(code: str, token: str) -> bool:
    try:
        signing.Signer(salt="onestop.lookup").unsign(f"{code}:{token}")
    except signing.BadSignature:
        return False
    return True


def public_lookup_url(dossier: Dossier) -> str:
    path = reverse("onestop-public:lookup-code", args=[dossier.code])
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}?t={lookup_token(dossier.code)}"


def _event(
    dossier: Dossier,
    kind: str,
    *,
    actor: Any,
    at: datetime,
    agency: Agency | None = None,
    public_note: str = "",
    note: str = "",
) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        agency=agency,
        public_note=public_note[:500],
        note=note,
    )


def _fmt(value: datetime | None) -> str:
    return value.astimezone(TZ).strftime("%H:%M %d/%m/%Y") if value else ""


def _tell_citizen(dossier: Dossier, text: str, subject: str = "") -> None:
    """SMS (and e-mail when given) to the applicant, delivered after commit by the worker."""
    body = f"[{settings.SITE_NAME}] {text}"
    notify.notify(channel="sms", recipient=dossier.applicant_phone, body=body, obj=dossier)
    if dossier.applicant_email:
        notify.notify(
            channel="email",
            recipient=dossier.applicant_email,
            subject=subject or _("Hồ sơ %(code)s") % {"code": dossier.code},
            body=f"{text}\n\n{_('Tra cứu')}: {public_lookup_url(dossier)}",
            obj=dossier,
        )


def _due(dossier: Dossier, start: datetime, calendar: WorkingCalendar) -> deadlines.Deadline:
    """The dossier's due time counted from ``start`` with the processing time of its procedure
    as it was on the day of receipt, the receiving agency's office hours and the calendar."""
    return deadlines.add(
        start,
        float(dossier.processing_amount),
        dossier.processing_unit,
        dossier.agency.office_hours(),
        calendar,
    )


def _extend(
    value: datetime | None, paused_from: datetime, now: datetime, cal: WorkingCalendar
) -> datetime | None:
    """Move ``value`` by the working days a pause lasted (the clock stops while paused)."""
    if value is None:
        return None
    n = cal.count_working_days(local_day(paused_from), local_day(now))
    if n <= 0:
        return value
    local = value.astimezone(TZ)
    day = cal.working_days_after(local.date(), n)
    return datetime.combine(day, local.timetz().replace(tzinfo=None), TZ)


def _close_open_handover(dossier: Dossier, now: datetime) -> None:
    for h in Handover.objects.filter(dossier=dossier, done_at__isnull=True):
        h.done_at = now
        h.timeliness = timeliness_of(now, h.due_at)
        h.save(update_fields=["done_at", "timeliness"])


def match_documents(
    procedure: Procedure, handed: Sequence[DocumentIn]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What was handed in against the procedure's list: (documents, missing required ones)."""
    required = list(procedure.documents.all())
    by_id = {d.pk: d for d in required}
    by_name = {fold(d.name): d for d in required}
    received: list[dict[str, Any]] = []
    seen: set[int] = set()
    for item in handed:
        doc = by_id.get(item.document_id) if item.document_id else None
        if doc is None and item.name:
            doc = by_name.get(fold(item.name))
        if doc is not None:
            seen.add(doc.pk)
        received.append(
            {
                "id": doc.pk if doc else None,
                "name": doc.name if doc else item.name.strip()[:500],
                "originals": max(0, int(item.originals)),
                "copies": max(0, int(item.copies)),
            }
        )
    missing = [{"id": d.pk, "name": d.name} for d in required if d.required and d.pk not in seen]
    return received, missing


def _merge_documents(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    have = {(d.get("id"), d.get("name")) for d in old}
    return old + [d for d in new if (d.get("id"), d.get("name")) not in have]


def _accept(dossier: Dossier, *, actor: Any, now: datetime, cal: WorkingCalendar) -> Receipt:
    """Issue the receipt (form 01): start the clock at ``now`` (the day of receipt, or when the
    dossier became complete) and set the appointment date."""
    first = dossier.accepted_at is None
    deadline = _due(dossier, now, cal)
    if first:
        dossier.accepted_at = now
    dossier.clock_started_at = deadline.start
    dossier.due_at = deadline.due
    dossier.appointment_at = deadline.due
    dossier.missing = []
    issued = issue_number(
        issuer=dossier.agency.code,
        issuer_symbol=dossier.agency.symbol,
        doc_type="PTN",
        on=local_day(now),
        title=f"Tiếp nhận hồ sơ {dossier.code}",
        actor=actor,
    )
    receipt = Receipt.objects.create(
        dossier=dossier,
        symbol=issued.symbol,
        issued_at=now,
        appointment_at=deadline.due,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if first:
        stats.bump(
            agency_id=dossier.agency_id,
            field_id=dossier.field_id,
            day=local_day(now),
            counter=stats.RECEIVED_COUNTER[Channel(dossier.channel)],
        )
    return receipt


# --- procedures --------------------------------------------------------------------------------
def procedure_index(procedure: Procedure) -> None:
    docs = " ".join(d.name for d in procedure.documents.all())
    search.index(
        SEARCH_KIND,
        procedure.pk,
        procedure.code,
        procedure.name,
        procedure.field.name,
        procedure.competent_authority,
        procedure.agency.name if procedure.agency else "",
        docs,
    )


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    originals: int = 1
    copies: int = 0
    required: bool = True


@transaction.atomic
def procedure_save(
    *,
    actor: Any,
    code: str,
    name: str,
    field: ProcedureField,
    level: str,
    processing_amount: Decimal,
    processing_unit: str = DeadlineUnit.WORKING_DAYS,
    agency: Agency | None = None,
    competent_authority: str = "",
    fee_text: str = "",
    fee_amount: int = 0,
    legal_basis: str = "",
    result: str = "",
    online: str = "none",
    documents: Sequence[DocumentSpec] = (),
    forms: Sequence[tuple[str, str]] = (),
    is_published: bool = True,
    audit_it: bool = True,
) -> tuple[Procedure, bool]:
    """Create or update the procedure ``code`` with its documents and forms (replaced)."""
    if actor is not None and not (
        actor.has_perm("onestop.import_procedure")
        or (agency is not None and actor.has_perm("onestop.change_procedure", agency))
    ):
        raise PermissionDeniedError(_(ERR_NOT_ALLOWED))
    procedure = Procedure.objects.filter(code=code.strip()).first()
    created = procedure is None
    if procedure is None:
        procedure = Procedure(code=code.strip())
    elif actor is not None and not actor.has_perm("onestop.change_procedure", procedure):
        raise PermissionDeniedError(_(ERR_NOT_ALLOWED))
    fields = [
        "name",
        "field",
        "level",
        "agency",
        "competent_authority",
        "processing_amount",
        "processing_unit",
        "fee_text",
        "fee_amount",
        "legal_basis",
        "result",
        "online",
        "is_published",
    ]
    before = audit.snapshot(procedure, fields) if not created else {}
    procedure.name = name.strip()
    procedure.field = field
    procedure.level = level
    procedure.agency = agency
    procedure.competent_authority = competent_authority.strip() or (agency.name if agency else "")
    procedure.processing_amount = Decimal(processing_amount)
    procedure.processing_unit = processing_unit
    procedure.fee_text = fee_text.strip()
    procedure.fee_amount = int(fee_amount)
    procedure.legal_basis = legal_basis.strip()
    procedure.result = result.strip()
    procedure.online = online
    procedure.is_published = is_published
    procedure.full_clean()
    procedure.save()
    procedure.documents.all().delete()
    ProcedureDocument.objects.bulk_create(
        [
            ProcedureDocument(
                procedure=procedure,
                position=i,
                name=d.name.strip()[:500],
                originals=d.originals,
                copies=d.copies,
                required=d.required,
            )
            for i, d in enumerate(documents, start=1)
        ]
    )
    if forms:
        from danvan.onestop.models import ProcedureForm

        procedure.forms.filter(attachment__isnull=True).delete()
        known = set(procedure.forms.values_list("name", flat=True))
        ProcedureForm.objects.bulk_create(
            [
                ProcedureForm(procedure=procedure, name=n[:300], url=u)
                for n, u in forms
                if n not in known
            ]
        )
    procedure_index(procedure)
    if audit_it:
        audit.record(
            actor=actor,
            action="onestop.procedure_create" if created else "onestop.procedure_change",
            obj=procedure,
            changes=audit.changes_of(procedure, before) if before else {},
            data={"documents": len(documents)},
        )
    return procedure, created


@transaction.atomic
def procedure_review_create(
    *,
    actor: User,
    procedure: Procedure,
    year: int,
    proposals: str,
    proposed_days: Decimal,
    proposed_fee: int,
    proposed_documents: int,
    cost_per_day: int = 250_000,
    cost_per_document: int = 50_000,
) -> ProcedureReview:
    """Record a review with its simplification proposals and the yearly saving for citizens:
    (days saved × cost of a day + documents saved × cost of a document + fee saved) × the
    number of dossiers of the procedure received in ``year``."""
    official = _require(actor, "onestop.review_procedure", procedure)
    if not proposals.strip():
        raise ValidationFailed(_(ERR_REASON), field="proposals")
    yearly = Dossier.objects.filter(
        procedure=procedure,
        received_at__gte=datetime(year, 1, 1, tzinfo=TZ),
        received_at__lt=datetime(year + 1, 1, 1, tzinfo=TZ),
    ).count()
    review = ProcedureReview(
        procedure=procedure,
        agency=procedure.agency or official.agency,
        year=year,
        proposals=proposals.strip(),
        current_days=procedure.processing_amount,
        proposed_days=Decimal(proposed_days),
        current_fee=procedure.fee_amount,
        proposed_fee=int(proposed_fee),
        current_documents=procedure.documents.count(),
        proposed_documents=int(proposed_documents),
        cost_per_day=int(cost_per_day),
        cost_per_document=int(cost_per_document),
        yearly_dossiers=yearly,
        reviewed_by=actor,
    )
    review.yearly_saving = review.saving_per_dossier * yearly
    review.full_clean()
    review.save()
    audit.record(
        actor=actor,
        action="onestop.procedure_review_create",
        obj=review,
        data={
            "procedure": procedure.code,
            "yearly_dossiers": yearly,
            "yearly_saving": review.yearly_saving,
        },
    )
    return review


# --- dossiers: at the counter ------------------------------------------------------------------
@transaction.atomic
def dossier_receive(
    *,
    actor: User,
    procedure: Procedure,
    applicant: ApplicantIn,
    documents: Sequence[DocumentIn],
    channel: str = Channel.COUNTER,
    received_at: datetime | None = None,
    note: str = "",
) -> Dossier:
    """Enter a dossier and check it against the procedure's list of documents.

    Complete: the receipt (form 01) is issued with the appointment date (status "received").
    Incomplete: the dossier waits (status "new") for a supplement request (form 02) or a refusal
    (form 03). A ``received_at`` in the past needs the back-dating permission and is audited.
    """
    official = _require(actor, "onestop.receive_dossier")
    agency = official.agency
    now = timezone.now()
    at = received_at or now
    if timezone.is_naive(at):
        raise ValidationFailed("naive datetime", field="received_at")
    if at > now + timedelta(minutes=1):
        raise ValidationFailed(_(ERR_FUTURE), field="received_at")
    backdated = at < now - BACKDATE_TOLERANCE
    if backdated and not actor.has_perm("onestop.backdate_dossier"):
        raise PermissionDeniedError(_(ERR_BACKDATE), field="received_at")
    if not procedure.is_published:
        raise ValidationFailed(
            _(ERR_PROCEDURE_UNPUBLISHED).format(code=procedure.code), field="procedure"
        )
    if procedure.agency_id and procedure.agency_id != agency.pk:
        raise ValidationFailed(
            _(ERR_PROCEDURE_AGENCY).format(
                code=procedure.code, agency=procedure.agency, here=agency.name
            ),
            field="procedure",
        )
    if not procedure.agency_id and procedure.level != agency.unit.level:
        raise ValidationFailed(
            _(ERR_PROCEDURE_LEVEL).format(
                code=procedure.code, level=Level(procedure.level).label, here=agency.name
            ),
            field="procedure",
        )
    if not applicant.name.strip():
        raise ValidationFailed(_(ERR_NAME), field="name")
    if not applicant.address.strip():
        raise ValidationFailed(_(ERR_ADDRESS), field="address")
    phone = normalise_phone(applicant.phone)
    handed, missing = match_documents(procedure, documents)
    dossier = Dossier(
        code=dossier_code_next(agency=agency, on=local_day(at)),
        agency=agency,
        procedure=procedure,
        field_id=procedure.field_id,
        status=Status.NEW,
        channel=channel,
        applicant_name=applicant.name.strip(),
        applicant_phone=phone,
        phone_last4=phone[-4:],
        applicant_address=applicant.address.strip(),
        applicant_email=applicant.email.strip(),
        documents=handed,
        missing=missing,
        processing_amount=procedure.processing_amount,
        processing_unit=procedure.processing_unit,
        received_at=at,
        received_by=actor,
        backdated=backdated,
    )
    dossier.set_applicant_id_number(applicant.id_number)
    dossier.full_clean()
    dossier.save()
    cal = get_calendar()
    _event(
        dossier,
        EventKind.SUBMITTED,
        actor=actor,
        at=at,
        agency=agency,
        public_note=str(Channel(channel).label),
        note=note,
    )
    receipt = None
    if not missing:
        receipt = _accept(dossier, actor=actor, now=at, cal=cal)
        dossier.status = Status.RECEIVED
        dossier.save()
        _event(
            dossier,
            EventKind.RECEIVED,
            actor=actor,
            at=at,
            agency=agency,
            public_note=_("Hẹn trả kết quả: %(when)s") % {"when": _fmt(dossier.appointment_at)},
        )
    audit.record(
        actor=actor,
        action="onestop.dossier_receive",
        obj=dossier,
        data={
            "procedure": procedure.code,
            "channel": channel,
            "status": dossier.status,
            "received_at": at,
            "due_at": dossier.due_at,
            "missing": [m["name"] for m in missing],
            "backdated": backdated,
            "entered_at": now,
            "receipt": receipt.symbol if receipt else None,
        },
    )
    if receipt is not None:
        _tell_citizen(
            dossier,
            _("Hồ sơ %(code)s (%(procedure)s) đã được tiếp nhận. Hẹn trả kết quả: %(when)s.")
            % {
                "code": dossier.code,
                "procedure": procedure.name[:80],
                "when": _fmt(dossier.appointment_at),
            },
        )
    return dossier


@transaction.atomic
def dossier_request_supplement(
    *, actor: User, dossier: Dossier, items: Sequence[str] = (), reason: str = ""
) -> SupplementRequest:
    """Form 02 at the counter: everything missing, at once — and only once per dossier."""
    official = _require(actor, "onestop.request_supplement_dossier", dossier)
    locked = _lock(dossier)
    if locked.supplement_count >= 1:
        raise InvalidTransition(
            _(ERR_SUPPLEMENT_ONCE).format(code=locked.code), code="supplement_once"
        )
    _check_state(locked, "request_supplement")
    names = [i.strip() for i in items if i and i.strip()] or [m["name"] for m in locked.missing]
    if not names:
        raise ValidationFailed(_(ERR_NO_ITEMS), field="items")
    now = timezone.now()
    request = SupplementRequest.objects.create(
        dossier=locked,
        stage=SupplementStage.COUNTER,
        items=names,
        reason=reason.strip(),
        issued_at=now,
        issued_by=actor,
        agency=official.agency,
    )
    before = audit.snapshot(locked, ["status", "supplement_count"])
    locked.status = Status.SUPPLEMENT
    locked.supplement_count += 1
    locked.save(update_fields=["status", "supplement_count"])
    _event(
        locked,
        EventKind.SUPPLEMENT_REQUESTED,
        actor=actor,
        at=now,
        agency=official.agency,
        public_note="; ".join(names)[:500],
        note=reason,
    )
    audit.record(
        actor=actor,
        action="onestop.dossier_request_supplement",
        obj=locked,
        changes=audit.changes_of(locked, before),
        data={"items": names, "reason": reason},
    )
    _tell_citizen(
        locked,
        _("Hồ sơ %(code)s cần bổ sung: %(items)s.")
        % {"code": locked.code, "items": "; ".join(names)[:300]},
    )
    _sync(dossier, locked)
    return request


@transaction.atomic
def dossier_supplement(
    *, actor: User, dossier: Dossier, documents: Sequence[DocumentIn], note: str = ""
) -> Dossier:
    """The citizen hands in what was asked. At the counter: complete → the receipt is issued;
    still incomplete → the dossier waits for a refusal (no second request). After the handling
    body sent it back: complete → the clock restarts and a new appointment date is given."""
    official = _require(actor, "onestop.supplement_dossier", dossier)
    locked = _lock(dossier)
    _check_state(locked, "supplement")
    now = timezone.now()
    request = locked.supplements.filter(completed_at__isnull=True).order_by("-issued_at").first()
    handed, _missing = match_documents(locked.procedure, documents)
    locked.documents = _merge_documents(locked.documents, handed)
    all_items = [DocumentIn(name=d["name"], document_id=d.get("id")) for d in locked.documents]
    _all, missing = match_documents(locked.procedure, all_items)
    before = audit.snapshot(locked, ["status", "due_at", "appointment_at"])
    if request is not None:
        request.completed_at = now
        request.save(update_fields=["completed_at"])
    cal = get_calendar()
    _event(locked, EventKind.SUPPLEMENTED, actor=actor, at=now, agency=official.agency, note=note)
    receipt = None
    if missing and (request is None or request.stage == SupplementStage.COUNTER):
        locked.status = Status.NEW
        locked.missing = missing
    elif request is not None and request.stage == SupplementStage.HANDLING:
        receipt = _accept(locked, actor=actor, now=now, cal=cal)
        locked.status = Status.PROCESSING
        Handover.objects.create(
            dossier=locked,
            step=_("Chuyển hồ sơ đã bổ sung đến cơ quan giải quyết"),
            from_agency=official.agency,
            from_user=actor,
            to_agency=locked.handling_agency or locked.agency,
            to_user=locked.handler,
            handed_at=now,
            due_at=locked.due_at or now,
        )
        locked.forwarded_at = now
    else:
        receipt = _accept(locked, actor=actor, now=now, cal=cal)
        locked.status = Status.RECEIVED
    locked.save()
    if receipt is not None:
        _event(
            locked,
            EventKind.RECEIVED,
            actor=actor,
            at=now,
            agency=official.agency,
            public_note=_("Hẹn trả kết quả: %(when)s") % {"when": _fmt(locked.appointment_at)},
        )
        _tell_citizen(
            locked,
            _("Hồ sơ %(code)s đã nhận đủ giấy tờ bổ sung. Hẹn trả kết quả: %(when)s.")
            % {"code": locked.code, "when": _fmt(locked.appointment_at)},
        )
    audit.record(
        actor=actor,
        action="onestop.dossier_supplement",
        obj=locked,
        changes=audit.changes_of(locked, before),
        data={"documents": [d["name"] for d in handed], "missing": [m["name"] for m in missing]},
    )
    _sync(dossier, locked)
    return locked


@transaction.atomic
def dossier_refuse(*, actor: User, dossier: Dossier, reasons: str) -> Refusal:
    """Form 03: the dossier is not received, with the reasons."""
    official = _require(actor, "onestop.refuse_dossier", dossier)
    locked = _lock(dossier)
    _check_state(locked, "refuse")
    if not reasons.strip():
        raise ValidationFailed(_(ERR_REASON), field="reasons")
    now = timezone.now()
    refusal = Refusal.objects.create(
        dossier=locked, reasons=reasons.strip(), issued_at=now, issued_by=actor
    )
    before = audit.snapshot(locked, ["status"])
    locked.status = Status.NOT_RECEIVED
    locked.finished_at = now
    locked.save(update_fields=["status", "finished_at"])
    _event(
        locked,
        EventKind.REFUSED,
        actor=actor,
        at=now,
        agency=official.agency,
        public_note=reasons.strip()[:500],
    )
    stats.bump(
        agency_id=locked.agency_id, field_id=locked.field_id, day=local_day(now), counter="refused"
    )
    audit.record(
        actor=actor,
        action="onestop.dossier_refuse",
        obj=locked,
        changes=audit.changes_of(locked, before),
        data={"reasons": reasons},
    )
    _tell_citizen(
        locked,
        _("Hồ sơ %(code)s không được tiếp nhận. Lý do: %(reasons)s")
        % {"code": locked.code, "reasons": reasons.strip()[:300]},
    )
    _sync(dossier, locked)
    return refusal


# --- dossiers: handling ------------------------------------------------------------------------
@transaction.atomic
def dossier_forward(
    *,
    actor: User,
    dossier: Dossier,
    to_agency: Agency | None = None,
    to_user: User | None = None,
    due_at: datetime | None = None,
    step: str = "",
    note: str = "",
) -> Handover:
    """Hand the dossier over (form 05 row) with this step's own due time (by default the
    dossier's due time); the previous hand-over is closed with its timeliness."""
    official = _require(actor, "onestop.forward_dossier", dossier)
    locked = _lock(dossier)
    _check_state(locked, "forward")
    target = to_agency or locked.handling_agency or locked.procedure.agency or locked.agency
    if (
        to_user is not None
        and not Official.objects.filter(user=to_user, agency=target, is_active=True).exists()
    ):
        raise ValidationFailed(
            _(ERR_HANDOVER_USER).format(user=to_user, agency=target.name), field="to_user"
        )
    assert locked.due_at is not None
    limit = locked.appointment_at or locked.due_at
    step_due = due_at or limit
    if step_due > limit:
        raise ValidationFailed(
            _(ERR_HANDOVER_DUE).format(due=_fmt(step_due), limit=_fmt(limit)), field="due_at"
        )
    now = timezone.now()
    _close_open_handover(locked, now)
    handover = Handover.objects.create(
        dossier=locked,
        step=step.strip() or _("Chuyển giải quyết"),
        from_agency=official.agency,
        from_user=actor,
        to_agency=target,
        to_user=to_user,
        handed_at=now,
        due_at=step_due,
        note=note.strip()[:500],
    )
    before = audit.snapshot(locked, ["status", "handling_agency", "handler"])
    if locked.handling_agency_id != target.pk or locked.forwarded_at is None:
        locked.forwarded_at = now
    locked.handling_agency = target
    locked.handler = to_user
    locked.status = Status.PROCESSING
    locked.save(update_fields=["status", "handling_agency", "handler", "forwarded_at"])
    _event(
        locked,
        EventKind.FORWARDED,
        actor=actor,
        at=now,
        agency=official.agency,
        public_note=_("Chuyển đến %(agency)s") % {"agency": target.name},
        note=note,
    )
    audit.record(
        actor=actor,
        action="onestop.dossier_forward",
        obj=locked,
        changes=audit.changes_of(locked, before),
        data={
            "to_agency": target.code,
            "to_user": to_user.pk if to_user else None,
            "due_at": step_due,
        },
    )
    _sync(dossier, locked)
    return handover


def insufficient_deadline(dossier: Dossier) -> datetime | None:
    """Until when the handling body may send the dossier back as insufficient: 3 working days
    (rule ``onestop.return_insufficient``) from when it received the dossier."""
    if dossier.forwarded_at is None:
        return None
    agency = dossier.handling_agency or dossier.agency
    deadline, _rule = deadlines.deadline_for(
        "onestop.return_insufficient",
        dossier.forwarded_at,
        received_on=local_day(dossier.received_at),
        hours=no_cutoff(agency.office_hours()),
    )
    return deadline.due


@transaction.atomic
def dossier_return_insufficient(
    *, actor: User, dossier: Dossier, reason: str, items: Sequence[str] = ()
) -> SupplementRequest:
    """The handling body sends the dossier back as insufficient, within 3 working days of
    receiving it; the clock restarts when the dossier is complete."""
    official = _require(actor, "onestop.return_insufficient_dossier", dossier)
    locked = _lock(dossier)
    if locked.insufficient_count >= 1:
        raise InvalidTransition(
            _(ERR_INSUFFICIENT_ONCE).format(code=locked.code), code="insufficient_once"
        )
    _check_state(locked, "return_insufficient")
    if locked.handling_agency_id != official.agency_id:
        raise PermissionDeniedError(_(ERR_INSUFFICIENT_NOT_HANDLER))
    if not reason.strip():
        raise ValidationFailed(_(ERR_REASON), field="reason")
    now = timezone.now()
    limit = insufficient_deadline(locked)
    if limit is not None and now > limit:
        raise InvalidTransition(
            _(ERR_INSUFFICIENT_LATE).format(days=3, deadline=_fmt(limit)),
            code="insufficient_late",
        )
    names = [i.strip() for i in items if i and i.strip()] or [reason.strip()]
    request = SupplementRequest.objects.create(
        dossier=locked,
        stage=SupplementStage.HANDLING,
        items=names,
        reason=reason.strip(),
        issued_at=now,
        issued_by=actor,
        agency=official.agency,
    )
    _close_open_handover(locked, now)
    Handover.objects.create(
        dossier=locked,
        step=_("Trả lại hồ sơ chưa đủ điều kiện giải quyết"),
        from_agency=official.agency,
        from_user=actor,
        to_agency=locked.agency,
        handed_at=now,
        due_at=now,
        done_at=now,
        timeliness=timeliness_of(now, now),
    )
    before = audit.snapshot(locked, ["status", "insufficient_count"])
    locked.status = Status.SUPPLEMENT
    locked.insufficient_count += 1
    locked.save(update_fields=["status", "insufficient_count"])
    _event(
        locked,
        EventKind.RETURNED_INSUFFICIENT,
        actor=actor,
        at=now,
        agency=official.agency,
        public_note="; ".join(names)[:500],
        note=reason,
    )
    audit.record(
        actor=actor,
        action="onestop.dossier_return_insufficient",
        obj=locked,
        changes=audit.changes_of(locked, before),
        data={"reason": reason, "items": names, "deadline": limit},
    )
    _tell_citizen(
        locked,
        _(
            "Hồ sơ %(code)s cần bổ sung, hoàn thiện: %(items)s. Thời hạn giải quyết được tính lại khi hồ sơ đầy đủ."
        )
        % {"code": locked.code, "items": "; ".join(names)[:300]},
    )
    _sync(dossier, locked)
    return request


def _pause(
    *, actor: User, dossier: Dossier, action: str, perm: str, status: str, kind: str, note: str
) -> Dossier:
    official = _require(actor, perm, dossier)
    locked = _lock(dossier)
    _check_state(locked, action)
    now = timezone.now()
    before = audit.snapshot(locked, ["status"])
    locked.status = status
    locked.paused_at = now
    locked.save(update_fields=["status", "paused_at"])
    _event(locked, kind, actor=actor, at=now, agency=official.agency, public_note=note[:500])
    audit.record(
        actor=actor,
        action=f"onestop.dossier_{action}",
        obj=locked,
        changes=audit.changes_of(locked, before),
        data={"note": note},
    )
    _sync(dossier, locked)
    return locked


def _unpause(
    *, actor: User, dossier: Dossier, action: str, perm: str, kind: str, note: str
) -> Dossier:
    official = _require(actor, perm, dossier)
    locked = _lock(dossier)
    _check_state(locked, action)
    now = timezone.now()
    cal = get_calendar()
    before = audit.snapshot(locked, ["status", "due_at", "appointment_at"])
    paused_from = locked.paused_at or now
    locked.due_at = _extend(locked.due_at, paused_from, now, cal)
    locked.appointment_at = _extend(locked.appointment_at, paused_from, now, cal)
    locked.status = Status.PROCESSING if locked.forwarded_at else Status.RECEIVED
    locked.paused_at = None
    locked.save(update_fields=["status", "due_at", "appointment_at", "paused_at"])
    _event(
        locked,
        kind,
        actor=actor,
        at=now,
        agency=official.agency,
        public_note=_("Hẹn trả kết quả: %(when)s") % {"when": _fmt(locked.appointment_at)},
        note=note,
    )
    audit.record(
        actor=actor,
        action=f"onestop.dossier_{action}",
        obj=locked,
        changes=audit.changes_of(locked, before),
        data={"note": note},
    )
    _sync(dossier, locked)
    return locked


def dossier_await_payment(*, actor: User, dossier: Dossier, note: str = "") -> Dossier:
    """The citizen must first pay a tax or fee (nghĩa vụ tài chính): the clock stops."""
    with transaction.atomic():
        return _pause(
            actor=actor,
            dossier=dossier,
            action="await_payment",
            perm="onestop.handle_dossier",
            status=Status.AWAITING_PAYMENT,
            kind=EventKind.AWAITING_PAYMENT,
            note=note,
        )


def dossier_payment_done(*, actor: User, dossier: Dossier, note: str = "") -> Dossier:
    with transaction.atomic():
        return _unpause(
            actor=actor,
            dossier=dossier,
            action="payment_done",
            perm="onestop.handle_dossier",
            kind=EventKind.PAID,
            note=note,
        )


def dossier_suspend(*, actor: User, dossier: Dossier, reason: str) -> Dossier:
    if not reason.strip():
        raise ValidationFailed(_(ERR_REASON), field="reason")
    with transaction.atomic():
        return _pause(
            actor=actor,
            dossier=dossier,
            action="suspend",
            perm="onestop.handle_dossier",
            status=Status.SUSPENDED,
            kind=EventKind.SUSPENDED,
            note=reason,
        )


def dossier_resume(*, actor: User, dossier: Dossier, note: str = "") -> Dossier:
    with transaction.atomic():
        return _unpause(
            actor=actor,
            dossier=dossier,
            action="resume",
            perm="onestop.handle_dossier",
            kind=EventKind.RESUMED,
            note=note,
        )


def apology_deadline(dossier: Dossier) -> datetime | None:
    """The last moment to send the apology: at least 1 working day (rule
    ``onestop.apology_notice``) before the due time."""
    due = dossier.due_at
    if due is None:
        return None
    cal = get_calendar()
    local = due.astimezone(TZ)
    day = local.date()
    # the previous working day, at the same time of day
    while True:
        day = day - timedelta(days=1)  # stepping back to the previous working day, not a deadline
        if cal.is_working_day(day):
            break
    candidate = datetime.combine(day, local.timetz().replace(tzinfo=None), TZ)
    agency = dossier.handling_agency or dossier.agency
    check, _rule = deadlines.deadline_for(
        "onestop.apology_notice", candidate, hours=no_cutoff(agency.office_hours()), calendar=cal
    )
    return candidate if check.due <= due else None


def apology_in_time(dossier: Dossier, at: datetime) -> bool:
    """Sent at least 1 working day before the due time (rule ``onestop.apology_notice``)."""
    if dossier.due_at is None:
        return False
    agency = dossier.handling_agency or dossier.agency
    check, _rule = deadlines.deadline_for(
        "onestop.apology_notice",
        at,
        received_on=local_day(dossier.received_at),
        hours=no_cutoff(agency.office_hours()),
    )
    return check.due <= dossier.due_at


@transaction.atomic
def dossier_apologise(
    *, actor: User, dossier: Dossier, reason: str, new_due_at: datetime
) -> Apology:
    """Form 04: the dossier will be late — apologise, give the reason and a new date. Once only.
    Sent later than 1 working day before the due date it is still recorded, marked as late."""
    official = _require(actor, "onestop.apologise_dossier", dossier)
    locked = _lock(dossier)
    if locked.apology_count >= 1:
        raise InvalidTransition(_(ERR_APOLOGY_ONCE).format(code=locked.code), code="apology_once")
    _check_state(locked, "apologise")
    if not reason.strip():
        raise ValidationFailed(_(ERR_REASON), field="reason")
    current = locked.appointment_at or locked.due_at
    if current is None:
        raise ValidationFailed(_(ERR_APOLOGY_NO_DUE), field="new_due_at")
    if timezone.is_naive(new_due_at):
        raise ValidationFailed("naive datetime", field="new_due_at")
    if new_due_at <= current:
        raise ValidationFailed(
            _(ERR_APOLOGY_DATE).format(current=_fmt(current)), field="new_due_at"
        )
    cal = get_calendar()
    new_day = local_day(new_due_at)
    if not cal.is_working_day(new_day):
        raise ValidationFailed(
            _(ERR_APOLOGY_DAY_OFF).format(
                day=new_day.strftime("%d/%m/%Y"), name=cal.day_off_name(new_day)
            ),
            field="new_due_at",
        )
    now = timezone.now()
    agency = official.agency
    issued = issue_number(
        issuer=agency.code,
        issuer_symbol=agency.symbol,
        doc_type="CV",
        on=local_day(now),
        title=f"Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {locked.code}",
        actor=actor,
    )
    apology = Apology.objects.create(
        dossier=locked,
        symbol=issued.symbol,
        reason=reason.strip(),
        previous_due_at=current,
        new_due_at=new_due_at,
        issued_at=now,
        in_time=apology_in_time(locked, now),
        agency=agency,
        issued_by=actor,
    )
    before = audit.snapshot(locked, ["appointment_at", "apology_count"])
    locked.appointment_at = new_due_at
    locked.apology_count += 1
    locked.save(update_fields=["appointment_at", "apology_count"])
    _event(
        locked,
        EventKind.APOLOGISED,
        actor=actor,
        at=now,
        agency=agency,
        public_note=_("Hẹn lại ngày trả kết quả: %(when)s. Lý do: %(reason)s")
        % {"when": _fmt(new_due_at), "reason": reason.strip()[:300]},
    )
    audit.record(
        actor=actor,
        action="onestop.dossier_apologise",
        obj=locked,
        changes=audit.changes_of(locked, before),
        data={"reason": reason, "symbol": issued.symbol, "in_time": apology.in_time},
    )
    _tell_citizen(
        locked,
        _(
            "%(agency)s xin lỗi vì hồ sơ %(code)s chưa giải quyết kịp hạn. Lý do: %(reason)s. Hẹn lại ngày trả kết quả: %(when)s."
        )
        % {
            "agency": agency.name,
            "code": locked.code,
            "reason": reason.strip()[:200],
            "when": _fmt(new_due_at),
        },
        subject=_("Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s") % {"code": locked.code},
    )
    _sync(dossier, locked)
    return apology


@transaction.atomic
def dossier_resolve(
    *, actor: User, dossier: Dossier, decision: str = Decision.APPROVED, note: str = ""
) -> Dossier:
    """The result is ready (approved, or denied with a reasoned letter): timeliness is fixed
    against the due time, and the result goes back to the counter (a last hand-over)."""
    official = _require(actor, "onestop.resolve_dossier", dossier)
    locked = _lock(dossier)
    _check_state(locked, "resolve")
    if decision == Decision.DENIED and not note.strip():
        raise ValidationFailed(_(ERR_REASON), field="note")
    now = timezone.now()
    assert locked.due_at is not None
    before = audit.snapshot(locked, ["status", "decision", "timeliness"])
    _close_open_handover(locked, now)
    if official.agency_id != locked.agency_id or locked.handovers.exists():
        Handover.objects.create(
            dossier=locked,
            step=_("Chuyển kết quả về Bộ phận Một cửa"),
            from_agency=official.agency,
            from_user=actor,
            to_agency=locked.agency,
            handed_at=now,
            due_at=locked.appointment_at or locked.due_at,
        )
    locked.status = Status.RESOLVED
    locked.decision = decision
    locked.result_note = note.strip()
    locked.resolved_at = now
    locked.timeliness = timeliness_of(now, locked.due_at)
    locked.save(update_fields=["status", "decision", "result_note", "resolved_at", "timeliness"])
    stats.bump(
        agency_id=locked.agency_id,
        field_id=locked.field_id,
        day=local_day(now),
        counter=stats.RESOLVED_COUNTER[Timeliness(locked.timeliness)],
    )
    _event(
        locked,
        EventKind.RESOLVED,
        actor=actor,
        at=now,
        agency=official.agency,
        public_note=str(Decision(decision).label),
    )
    audit.record(
        actor=actor,
        action="onestop.dossier_resolve",
        obj=locked,
        changes=audit.changes_of(locked, before),
        data={"decision": decision, "note": note},
    )
    _tell_citizen(
        locked,
        _("Hồ sơ %(code)s đã có kết quả. Mời ông/bà đến nhận kết quả tại %(agency)s.")
        % {"code": locked.code, "agency": locked.agency.name},
    )
    _sync(dossier, locked)
    return locked


@transaction.atomic
def dossier_return_result(
    *, actor: User, dossier: Dossier, method: str = ReturnMethod.COUNTER, note: str = ""
) -> Dossier:
    """The result is handed to the citizen (at the counter, by post or online)."""
    official = _require(actor, "onestop.return_result_dossier", dossier)
    locked = _lock(dossier)
    _check_state(locked, "return_result")
    now = timezone.now()
    before = audit.snapshot(locked, ["status", "return_method"])
    _close_open_handover(locked, now)
    locked.status = Status.RETURNED
    locked.return_method = ReturnMethod(method)
    locked.returned_at = now
    locked.finished_at = now
    locked.save(update_fields=["status", "return_method", "returned_at", "finished_at"])
    stats.bump(
        agency_id=locked.agency_id, field_id=locked.field_id, day=local_day(now), counter="returned"
    )
    _event(
        locked,
        EventKind.RESULT_RETURNED,
        actor=actor,
        at=now,
        agency=official.agency,
        public_note=str(ReturnMethod(method).label),
        note=note,
    )
    audit.record(
        actor=actor,
        action="onestop.dossier_return_result",
        obj=locked,
        changes=audit.changes_of(locked, before),
        data={"method": method},
    )
    _sync(dossier, locked)
    return locked


@transaction.atomic
def dossier_withdraw(*, actor: User, dossier: Dossier, reason: str = "") -> Dossier:
    """The citizen withdraws the dossier (in writing, at the counter)."""
    official = _require(actor, "onestop.withdraw_dossier", dossier)
    locked = _lock(dossier)
    _check_state(locked, "withdraw")
    now = timezone.now()
    before = audit.snapshot(locked, ["status"])
    _close_open_handover(locked, now)
    locked.status = Status.WITHDRAWN
    locked.finished_at = now
    locked.save(update_fields=["status", "finished_at"])
    stats.bump(
        agency_id=locked.agency_id,
        field_id=locked.field_id,
        day=local_day(now),
        counter="withdrawn",
    )
    _event(
        locked,
        EventKind.WITHDRAWN,
        actor=actor,
        at=now,
        agency=official.agency,
        public_note=reason.strip()[:500],
    )
    audit.record(
        actor=actor,
        action="onestop.dossier_withdraw",
        obj=locked,
        changes=audit.changes_of(locked, before),
        data={"reason": reason},
    )
    _sync(dossier, locked)
    return locked


@transaction.atomic
def dossier_rate(
    *,
    dossier: Dossier,
    score: int,
    comment: str = "",
    channel: str = RatingChannel.WEB,
    actor: Any = None,
) -> Rating:
    """The citizen rates the service, once per dossier (by the receipt's link or QR code, or on
    the counter's tablet)."""
    if channel == RatingChannel.TABLET:
        _require(actor, "onestop.tablet_rating_dossier", dossier)
    locked = _lock(dossier)
    if Rating.objects.filter(dossier=locked).exists():
        raise InvalidTransition(_(ERR_RATED).format(code=locked.code), code="already_rated")
    if locked.status not in ALLOWED_FROM["rate"]:
        raise InvalidTransition(_(ERR_RATING_TOO_EARLY), code="invalid_transition")
    if score not in Score.values:
        raise ValidationFailed(_(ERR_SCORE), field="score")
    now = timezone.now()
    rating = Rating(
        dossier=locked, score=score, comment=comment.strip()[:2000], channel=channel, created_at=now
    )
    rating.full_clean()
    rating.save()
    _event(locked, EventKind.RATED, actor=actor, at=now, public_note=str(Score(score).label))
    audit.record(
        actor=actor,
        actor_label=None if getattr(actor, "is_authenticated", False) else "công dân",
        action="onestop.dossier_rate",
        obj=locked,
        data={"score": score, "channel": channel},
    )
    return rating


@transaction.atomic
def apology_reminders_send(*, now: datetime | None = None) -> int:
    """Warn the handler (and the head of the agency) of every running dossier that is due within
    the reminder window (rule ``onestop.apology_reminder``) and has no apology yet, once each:
    if it will be late, the apology must go out at least 1 working day before the due date."""
    from danvan.org.roles import Role

    now = now or timezone.now()
    cal = get_calendar()
    window, _rule = deadlines.deadline_for(
        "onestop.apology_reminder", now, hours=no_cutoff(OfficeHours()), calendar=cal
    )
    candidates = list(
        Dossier.objects.running()
        .filter(apology_count=0, apology_reminded_at__isnull=True, due_at__lte=window.due)
        .select_related("agency", "handling_agency", "handler", "procedure")
        .order_by("due_at")[:1000]
    )
    sent = 0
    for dossier in candidates:
        agency = dossier.handling_agency or dossier.agency
        recipients: list[Any] = []
        if dossier.handler is not None:
            recipients.append(dossier.handler)
        heads = User.objects.filter(
            memberships__agency=agency,
            memberships__is_active=True,
            memberships__roles__role=Role.HEAD,
        ).distinct()
        recipients.extend(u for u in heads if u not in recipients)
        deadline = apology_deadline(dossier)
        values = {
            "code": dossier.code,
            "procedure": dossier.procedure.name[:80],
            "due": _fmt(dossier.due_at),
            "deadline": _fmt(deadline) if deadline else "",
        }
        if deadline:
            text = (
                _(
                    "Hồ sơ %(code)s (%(procedure)s) đến hạn lúc %(due)s. Nếu không kịp, cần gửi phiếu "
                    "xin lỗi và hẹn lại ngày trả kết quả trước %(deadline)s."
                )
                % values
            )
        else:
            text = (
                _(
                    "Hồ sơ %(code)s (%(procedure)s) đến hạn lúc %(due)s. Nếu không kịp, cần gửi ngay "
                    "phiếu xin lỗi và hẹn lại ngày trả kết quả."
                )
                % values
            )
        for user in recipients:
            if user.email:
                notify.notify(
                    channel="email",
                    recipient=user.email,
                    subject=_("Nhắc việc: hồ sơ %(code)s sắp đến hạn") % {"code": dossier.code},
                    body=text,
                    obj=dossier,
                )
            if user.phone:
                notify.notify(channel="sms", recipient=user.phone, body=text, obj=dossier)
        dossier.apology_reminded_at = now
        dossier.save(update_fields=["apology_reminded_at"])
        audit.record(
            actor=None,
            action="onestop.dossier_apology_reminder",
            obj=dossier,
            data={"recipients": [u.pk for u in recipients], "due_at": dossier.due_at},
        )
        sent += 1
    return sent


def _sync(target: Dossier, source: Dossier) -> None:
    """Copy the locked row's state back to the caller's instance."""
    if target is source:
        return
    for f in Dossier._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))


# --- catalogue import --------------------------------------------------------------------------
@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    rejected: list[tuple[int, str, str]] = dataclasses.field(
        default_factory=list
    )  # row, code, reason

    @property
    def saved(self) -> int:
        return self.created + self.updated


def _field_for(name: str) -> ProcedureField:
    folded = fold(name)
    for f in ProcedureField.objects.all():
        if fold(f.name) == folded:
            return f
    code = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:30] or "linh-vuc"
    base, n = code, 1
    while ProcedureField.objects.filter(code=code).exists():
        n += 1
        code = f"{base[:26]}-{n}"
    return ProcedureField.objects.create(code=code, name=name.strip()[:200])


def _agency_for(text: str) -> Agency | None:
    text = text.strip()
    if not text:
        return None
    agency = Agency.objects.filter(code__iexact=text).first()
    if agency is None:
        folded = fold(text)
        agency = next((a for a in Agency.objects.all() if fold(a.name) == folded), None)
    return agency


def procedures_import(*, actor: User, file_name: str, content: bytes) -> ImportReport:
    """Import a catalogue table: every good row is saved (created or updated by its code), every
    rejected row is reported with its reason. One audit record for the whole import."""
    from danvan.onestop.importing import RowError, parse_row, parse_table

    _require(actor, "onestop.import_procedure")
    report = ImportReport()
    try:
        rows = parse_table(file_name, content)
    except RowError as exc:
        report.rejected.append((0, "", str(exc)))
        rows = []
    seen: set[str] = set()
    for number, record in rows:
        code = record.get("code", "")
        try:
            row = parse_row(record)
            if row.code in seen:
                raise RowError(f"Mã thủ tục {row.code} trùng với một dòng phía trên.")
            seen.add(row.code)
            agency = _agency_for(row.agency)
            if row.agency and agency is None and re.fullmatch(r"[A-Z0-9-]+", row.agency):
                raise RowError(f"Không có cơ quan mã “{row.agency}”.")
            with transaction.atomic():
                _proc, created = procedure_save(
                    actor=actor,
                    code=row.code,
                    name=row.name,
                    field=_field_for(row.field_name),
                    level=row.level,
                    processing_amount=row.amount,
                    processing_unit=row.unit,
                    agency=agency,
                    competent_authority="" if agency else row.agency,
                    fee_text=row.fee_text,
                    fee_amount=row.fee_amount,
                    legal_basis=row.legal_basis,
                    result=row.result,
                    online=row.online,
                    documents=[
                        DocumentSpec(d.name, d.originals, d.copies, d.required)
                        for d in row.documents
                    ],
                    forms=row.forms,
                    audit_it=False,
                )
        except RowError as exc:
            report.rejected.append((number, code, str(exc)))
            continue
        except (ValidationFailed, PermissionDeniedError) as exc:
            report.rejected.append((number, code, exc.message))
            continue
        except ValidationError as exc:
            report.rejected.append((number, code, "; ".join(exc.messages)))
            continue
        if created:
            report.created += 1
        else:
            report.updated += 1
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="onestop.procedures_import",
            object_type="onestop.procedure",
            object_id="import",
            object_repr=file_name[:300],
            data={
                "created": report.created,
                "updated": report.updated,
                "rejected": [[n, c, r] for n, c, r in report.rejected][:200],
            },
        )
    return report
