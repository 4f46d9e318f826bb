"""Writes of the petitions app: reception schedule and register, petition intake, handling,
resolution, the denouncer's identity. Each service is atomic, checks permission, validates,
writes its audit record (never with a protected value) and queues notifications on commit.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danvan.core import audit, deadlines, files, notify, numbering, search
from danvan.core.calendar import as_local
from danvan.core.errors import (
    InvalidTransition,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailed,
)
from danvan.core.models import Channel, DeadlineRule
from danvan.org.models import Agency, Official, User
from danvan.org.selectors import official_of
from danvan.petitions import identity as idn
from danvan.petitions.identity import Identity
from danvan.petitions.models import (
    MASS_CASE_MIN,
    PROTECTED_KINDS,
    Assignment,
    Complexity,
    DocKind,
    Extension,
    IdentityStorage,
    Outcome,
    Petition,
    PetitionDocument,
    PetitionEvent,
    PetitionKind,
    PetitionSettings,
    ReceptionDay,
    ReceptionEntry,
    Source,
    Status,
    StoreReason,
    Tag,
)
from danvan.petitions.rules import forget_assignments

SEARCH_KIND = "petitions.petition"
logger = logging.getLogger("danvan.petitions")

ERR_NOT_ALLOWED = gettext_noop("Bạn không có quyền thực hiện thao tác này.")
ERR_NAIVE = gettext_noop("Thời điểm phải có múi giờ.")
ERR_FUTURE = gettext_noop("Thời điểm nhận không được ở tương lai.")
ERR_BEFORE_RECEIPT = gettext_noop("Ngày thụ lý không được trước ngày nhận đơn.")
ERR_CONTENT = gettext_noop("Cần ghi nội dung đơn.")
ERR_SIGNERS = gettext_noop("Số người đứng tên phải từ 1 trở lên.")
ERR_ROUND = gettext_noop("Lần khiếu nại chỉ có thể là 1 hoặc 2, và chỉ áp dụng cho đơn khiếu nại.")
ERR_FIRST_ROUND = gettext_noop(
    "Khiếu nại lần hai phải gắn với một khiếu nại lần đầu (đơn khiếu nại lần 1)."
)
ERR_SEALED_REF = gettext_noop(
    "Cơ quan không lưu thông tin người tố cáo trong hệ thống: cần ghi số hồ sơ giấy niêm phong."
)
ERR_STATE = gettext_noop("Đơn đang ở trạng thái “{status}”, không thể thực hiện bước này.")
ERR_NOT_COMPETENT = gettext_noop(
    "Đơn không thuộc thẩm quyền: chỉ có thể hướng dẫn hoặc chuyển đơn."
)
ERR_CONDITIONS = gettext_noop(
    "Đơn chưa đủ điều kiện xử lý (ngôn ngữ, ngày, họ tên, địa chỉ, chữ ký)."
)
ERR_ANONYMOUS = gettext_noop(
    "Tố cáo nặc danh, mạo danh không được xử lý như tố cáo; đơn được lưu làm thông tin."
)
ERR_LIMITATION = gettext_noop("Đơn đã quá thời hiệu khiếu nại (hết hạn ngày {day}).")
ERR_SECOND_LATE = gettext_noop("Đã quá thời hạn khiếu nại lần hai (hết hạn ngày {day}).")
ERR_GUIDED_TO = gettext_noop("Cần ghi cơ quan có thẩm quyền để hướng dẫn người gửi đơn.")
ERR_TRANSFER_TO = gettext_noop("Cần chọn hoặc ghi cơ quan nhận đơn chuyển.")
ERR_TRANSFER_SELF = gettext_noop("Không thể chuyển đơn cho chính cơ quan đang xử lý.")
ERR_STORE_REASON = gettext_noop("Lý do lưu đơn không hợp lệ.")
ERR_DUPLICATE_SELF = gettext_noop("Không thể gắn đơn trùng với chính nó.")
ERR_DUPLICATE_AGENCY = gettext_noop("Chỉ gắn đơn trùng với vụ việc của cùng cơ quan.")
ERR_EXTEND_KIND = gettext_noop("Chỉ gia hạn giải quyết đối với tố cáo.")
ERR_EXTEND_NORMAL = gettext_noop(
    "Vụ việc không phức tạp: không được gia hạn thời hạn giải quyết tố cáo."
)
ERR_EXTEND_COMPLEX = gettext_noop("Vụ việc phức tạp chỉ được gia hạn một lần.")
ERR_EXTEND_ESPECIALLY = gettext_noop("Vụ việc đặc biệt phức tạp được gia hạn tối đa hai lần.")
ERR_EXTEND_REASON = gettext_noop("Cần ghi lý do gia hạn (văn bản gia hạn).")
ERR_OUTCOME = gettext_noop("Kết quả giải quyết không hợp lệ.")
ERR_SUMMARY = gettext_noop("Cần ghi nội dung kết luận, quyết định.")
ERR_RESOLVED_BEFORE = gettext_noop("Ngày giải quyết không được trước ngày thụ lý.")
ERR_ASSIGN_AGENCY = gettext_noop("Chỉ phân công cán bộ của cơ quan đang xử lý đơn.")
ERR_VISITORS = gettext_noop("Cần ghi ít nhất một người đến.")
ERR_VISITOR_COUNT = gettext_noop("Số người đến không được ít hơn số người được ghi tên.")
ERR_REPRESENTATIVES = gettext_noop(
    "Nhóm {n} người phải cử từ {low} đến {high} người đại diện (đang có {got})."
)
ERR_REPRESENTATIVE_NAME = gettext_noop("Cần ghi họ tên của người đại diện.")
ERR_SCHEDULE_TIME = gettext_noop("Giờ kết thúc phải sau giờ bắt đầu.")
ERR_SCHEDULE_LEADER = gettext_noop("Lãnh đạo tiếp công dân phải là cán bộ của cơ quan.")
ERR_ONLINE_KIND = gettext_noop("Trực tuyến chỉ nhận đơn khiếu nại hoặc kiến nghị.")
ERR_ONLINE_CONTACT = gettext_noop("Cần ghi họ tên, địa chỉ và số điện thoại hoặc thư điện tử.")
ERR_NO_IDENTITY = gettext_noop("Không có thông tin người gửi đơn để hiển thị.")
ERR_PURPOSE = gettext_noop("Cần chọn mục đích xem thông tin.")

REVEAL_PURPOSES = {
    "notify": gettext_noop("Gửi thông báo cho người tố cáo"),
    "contact": gettext_noop("Làm việc với người tố cáo"),
    "protect": gettext_noop("Áp dụng biện pháp bảo vệ người tố cáo"),
    "document": gettext_noop("Lập văn bản gửi người tố cáo"),
}

# The fields the audit trail may show before/after (never the petitioner's).
AUDIT_FIELDS = [
    "status",
    "kind",
    "round",
    "agency",
    "signers_count",
    "competent",
    "is_complex",
    "is_remote",
    "complexity",
    "is_anonymous",
    "handling_due_at",
    "accepted_at",
    "resolution_due_at",
    "resolved_at",
    "outcome",
    "transferred_to",
    "store_reason",
    "duplicate_of",
    "extensions_count",
    "reopen_count",
    "decision_symbol",
    "legal_effect_date",
]
CONDITION_FIELDS = ["cond_language", "cond_date", "cond_name", "cond_address", "cond_signature"]

DOC_TYPES = {
    DocKind.ACCEPTANCE_NOTICE: "TB",
    DocKind.TRANSFER_SLIP: "PC",
    DocKind.GUIDANCE_LETTER: numbering.OFFICIAL_LETTER,
    DocKind.EXTENSION_NOTICE: "TB",
    DocKind.COMPLAINT_DECISION: "QĐ",
    DocKind.DENUNCIATION_CONCLUSION: "KL",
    DocKind.ANSWER: numbering.OFFICIAL_LETTER,
}


# --- inputs -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PetitionerIn:
    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class VisitorIn:
    name: str
    address: str = ""
    phone: str = ""
    id_number: str = ""
    representative: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name.strip(),
            "address": self.address.strip(),
            "phone": self.phone.strip(),
            "id_number": self.id_number.strip(),
            "representative": self.representative,
        }


# --- helpers ------------------------------------------------------------------------------------
def _require(actor: Any, perm: str, obj: Any = None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDeniedError(_(ERR_NOT_ALLOWED))


def _user(actor: Any) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def _check_aware(moment: datetime, field_name: str) -> None:
    if timezone.is_naive(moment):
        raise ValidationFailed(_(ERR_NAIVE), field=field_name)


def _check_not_future(moment: datetime, field_name: str) -> None:
    _check_aware(moment, field_name)
    if moment > timezone.now() + timedelta(minutes=5):
        raise ValidationFailed(_(ERR_FUTURE), field=field_name)


def _state_error(petition: Petition) -> InvalidTransition:
    return InvalidTransition(
        _(ERR_STATE).format(status=petition.get_status_display()), status=petition.status
    )


def _expect(petition: Petition, *statuses: str) -> None:
    if petition.status not in statuses:
        raise _state_error(petition)


def settings_for(agency: Agency) -> PetitionSettings:
    found = PetitionSettings.objects.filter(agency=agency).first()
    return found or PetitionSettings(agency=agency)


def keeps_no_identity(agency: Agency) -> bool:
    return settings_for(agency).identity_storage == IdentityStorage.SEALED_PAPER


def _next_code(agency: Agency, prefix: str, on: date) -> str:
    n = numbering.next_number(issuer=agency.code, doc_type=prefix, year=on.year)
    return f"{prefix}-{agency.code}-{on.year}-{n:04d}"


_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_tracking_code() -> str:
    """12 random characters (60 bits), grouped: a bearer code, not guessable from the number."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _amount(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".").replace(".", ",") if "." in text else text


def _basis(rule: DeadlineRule) -> str:
    return (
        f"{rule.title}: {_amount(rule.amount)} {rule.get_unit_display()} "
        f"({rule.legal_basis}, từ {rule.effective_from:%d/%m/%Y})"
    )[:300]


def _deadline(
    petition: Petition, key: str, start: datetime, variant: str = "normal"
) -> tuple[datetime, DeadlineRule]:
    """The deadline of ``key`` from ``start`` under the version in force on the day the petition
    was received, with the agency's office hours."""
    due, rule = deadlines.deadline_for(
        key,
        start,
        received_on=as_local(petition.received_at).date(),
        variant=variant,
        hours=petition.agency.office_hours(),
    )
    return due.due, rule


def handling_rule_key(petition: Petition) -> tuple[str, str]:
    """(rule key, variant) of the handling deadline (accept, guide or transfer)."""
    if petition.kind == PetitionKind.COMPLAINT:
        return "complaint.acceptance", "normal"
    if petition.kind == PetitionKind.DENUNCIATION:
        if petition.competent is False:
            return "denunciation.transfer", "normal"
        return "denunciation.acceptance", "extension" if petition.is_complex else "normal"
    return "petition.handling", "normal"


def resolution_rule_key(petition: Petition) -> tuple[str, str]:
    if petition.kind == PetitionKind.COMPLAINT:
        key = "complaint.second_resolution" if petition.round == 2 else "complaint.first_resolution"
        return key, petition.variant
    if petition.kind == PetitionKind.DENUNCIATION:
        return "denunciation.resolution", "normal"
    return "recommendation.resolution", "normal"


def _refresh_due(petition: Petition) -> None:
    """Keep ``current_due_at`` (what "overdue" is computed from) in step with the status."""
    if petition.status == Status.RECEIVED:
        petition.current_due_at = petition.handling_due_at
    elif petition.status == Status.ACCEPTED:
        petition.current_due_at = petition.resolution_due_at
    else:
        petition.current_due_at = None


def _set_handling_due(petition: Petition) -> None:
    if petition.status != Status.RECEIVED:
        return
    key, variant = handling_rule_key(petition)
    petition.handling_due_at, rule = _deadline(petition, key, petition.received_at, variant)
    petition.handling_basis = _basis(rule)
    _refresh_due(petition)


def identity_of(petition: Petition) -> Identity:
    """The petitioner's identity, decrypted. Callers check ``petitions.reveal_identity`` (or use
    it server-side only, e.g. to redact a text)."""
    if petition.protected:
        return idn.unseal(petition.identity_sealed)
    return Identity(
        name=petition.petitioner_name,
        address=petition.petitioner_address,
        phone=petition.petitioner_phone,
        email=petition.petitioner_email,
        representatives=list(petition.representatives or []),
        original_content=petition.content,
        original_subject=petition.subject,
    )


def entry_identity_of(entry: ReceptionEntry) -> Identity:
    if entry.protected:
        return idn.unseal(entry.identity_sealed)
    visitors = list(entry.visitors or [])
    first = visitors[0] if visitors else {}
    return Identity(
        name=first.get("name", ""),
        address=first.get("address", ""),
        phone=first.get("phone", ""),
        id_number=first.get("id_number", ""),
        representatives=visitors,
        original_content=entry.content,
    )


def clean_text(petition: Petition, text: str) -> str:
    """A free text to store on ``petition``: for a protected petition, the identity redacted."""
    text = (text or "").strip()
    if petition.protected and petition.identity_sealed:
        return idn.redact(text, idn.unseal(petition.identity_sealed).values())
    return text


def _event(
    petition: Petition, kind: str, actor: Any, note: str = "", at: datetime | None = None
) -> None:
    PetitionEvent.objects.create(
        petition=petition,
        kind=kind,
        at=at or timezone.now(),
        actor=_user(actor),
        note=clean_text(petition, note)[:4000],
    )


def _index(petition: Petition) -> None:
    """Index what may be searched: never a protected identity (the stored content of a protected
    petition is already redacted)."""
    tags = [t.label for t in petition.tags.all()]
    name = "" if petition.protected else petition.petitioner_name
    search.index(
        SEARCH_KIND,
        petition.pk,
        petition.code,
        petition.subject,
        petition.content,
        petition.decision_complained,
        " ".join(tags),
        name,
    )


def _audit(
    actor: Any,
    action: str,
    petition: Petition,
    before: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    # The log line names the case and the official, never the petitioner.
    logger.info(
        "petitions.%s %s (%s) by user %s",
        action,
        petition.code,
        petition.status,
        getattr(actor, "pk", None),
    )
    audit.record(
        actor=actor,
        action=f"petitions.{action}",
        obj=petition,
        changes=audit.changes_of(petition, before) if before is not None else None,
        data=data,
    )


def _save(petition: Petition) -> None:
    petition.full_clean(exclude=["tags"])
    petition.save()


def _notify_petitioner(petition: Petition, body: str) -> None:
    """A short status message to an (unprotected) petitioner. Never to a denouncer: the law asks
    for notices through channels that keep the identity secret (sealed letters), and the outbox
    is not such a channel."""
    if petition.protected or petition.is_anonymous:
        return
    text = f"{body} Mã tra cứu: {petition.tracking_code}."
    if petition.petitioner_phone:
        notify.notify(
            channel=Channel.SMS, recipient=petition.petitioner_phone, body=text, obj=petition
        )
    if petition.petitioner_email:
        notify.notify(
            channel=Channel.EMAIL,
            recipient=petition.petitioner_email,
            subject=f"Đơn {petition.code}",
            body=text,
            obj=petition,
        )


def _notify_official(official: Official, petition: Petition, body: str) -> None:
    email = official.user.email
    if email:
        notify.notify(
            channel=Channel.EMAIL,
            recipient=email,
            subject=f"Đơn {petition.code}",
            body=body,
            obj=petition,
        )


def _issue_document(
    petition: Petition, kind: str, actor: Any, on: date, data: dict[str, Any] | None = None
) -> PetitionDocument:
    agency = petition.agency
    label = str(DocKind(kind).label)
    issued = numbering.issue_number(
        issuer=agency.code,
        issuer_symbol=agency.symbol,
        doc_type=DOC_TYPES[DocKind(kind)],
        on=on,
        title=f"{label} đơn {petition.code}",
        obj=petition,
        actor=actor,
    )
    return PetitionDocument.objects.create(
        petition=petition,
        kind=kind,
        symbol=issued.symbol,
        issued_on=on,
        data=data or {},
        issued_by=_user(actor),
    )


def _assign(petition: Petition, official: Official, duty: str, actor: Any) -> Assignment:
    assignment, created = Assignment.objects.get_or_create(
        petition=petition, official=official, duty=duty, defaults={"assigned_by": _user(actor)}
    )
    if not created and not assignment.active:
        assignment.active = True
        assignment.save(update_fields=["active"])
    forget_assignments(petition)
    return assignment


def _set_tags(petition: Petition, tags: Iterable[str | Tag]) -> None:
    codes = [t.code if isinstance(t, Tag) else t for t in tags]
    petition.tags.set(Tag.objects.filter(code__in=codes))


# --- identity -----------------------------------------------------------------------------------
def _seal_into(
    obj: Petition | ReceptionEntry,
    ident: Identity,
    agency: Agency,
    sealed_ref: str,
) -> None:
    """Store ``ident`` on a protected record: encrypted, or — when the agency keeps no identity
    — not at all (only the reference to the sealed paper file)."""
    obj.sealed_ref = (sealed_ref or "").strip()
    if keeps_no_identity(agency):
        if not obj.sealed_ref:
            raise ValidationFailed(_(ERR_SEALED_REF), field="sealed_ref")
        obj.identity_sealed = ""
        if isinstance(obj, Petition):
            obj.person_digest = ""
        return
    obj.identity_sealed = idn.seal(ident)
    if isinstance(obj, Petition):
        obj.person_digest = idn.person_digest(ident.name)


def _apply_identity(
    petition: Petition,
    person: PetitionerIn,
    representatives: Sequence[dict[str, Any]],
    subject: str,
    content: str,
    sealed_ref: str,
) -> None:
    ident = Identity(
        name=person.name.strip(),
        address=person.address.strip(),
        phone=person.phone.strip(),
        email=person.email.strip(),
        id_number=person.id_number.strip(),
        representatives=[dict(r) for r in representatives],
        original_content=content.strip(),
        original_subject=subject.strip(),
    )
    if petition.protected:
        values = ident.values()
        petition.content = idn.redact(content.strip(), values)
        petition.subject = idn.redact(subject.strip(), values)[:300]
        petition.petitioner_name = petition.petitioner_address = ""
        petition.petitioner_phone = petition.petitioner_email = ""
        petition.representatives = []
        _seal_into(petition, ident, petition.agency, sealed_ref)
    else:
        petition.content = content.strip()
        petition.subject = subject.strip()[:300]
        petition.petitioner_name = ident.name
        petition.petitioner_address = ident.address
        petition.petitioner_phone = ident.phone
        petition.petitioner_email = ident.email
        petition.representatives = [dict(r) for r in representatives]
        petition.person_digest = idn.person_digest(ident.name)


def _protect(petition: Petition, sealed_ref: str = "") -> None:
    """An unprotected petition becomes protected (reclassified as a denunciation): its identity
    moves from the clear columns into the sealed one, and its texts are redacted."""
    if petition.protected:
        return
    ident = identity_of(petition)
    petition.protected = True
    _apply_identity(
        petition,
        PetitionerIn(name=ident.name, address=ident.address, phone=ident.phone, email=ident.email),
        ident.representatives,
        ident.original_subject,
        ident.original_content,
        sealed_ref or petition.sealed_ref,
    )
    values = ident.values()
    for event in petition.events.all():
        redacted = idn.redact(event.note, values)
        if redacted != event.note:
            event.note = redacted
            event.save(update_fields=["note"])
    for rep in ("handling_note", "resolution_summary"):
        setattr(petition, rep, idn.redact(getattr(petition, rep), values))
    entry = ReceptionEntry.objects.filter(petition=petition).first()
    if entry is not None and not entry.protected:
        entry_ident = entry_identity_of(entry)
        entry.protected = True
        entry.content = idn.redact(entry.content, entry_ident.values())
        entry.guidance = idn.redact(entry.guidance, entry_ident.values())
        entry.visitors = []
        _seal_into(entry, entry_ident, entry.agency, sealed_ref or petition.sealed_ref)
        entry.save()


@transaction.atomic
def identity_reveal(*, actor: Any, petition: Petition, purpose: str) -> Identity:
    """Show the petitioner's identity to one who may see it; a protected identity's every
    reveal is written to the audit trail (who, when, why — never the identity itself)."""
    _require(actor, "petitions.reveal_identity", petition)
    if purpose not in REVEAL_PURPOSES:
        raise ValidationFailed(_(ERR_PURPOSE), field="purpose")
    if petition.protected and not petition.identity_sealed:
        raise ValidationFailed(_(ERR_NO_IDENTITY), sealed_ref=petition.sealed_ref)
    ident = identity_of(petition)
    if petition.protected:
        _audit(actor, "identity_reveal", petition, data={"purpose": purpose})
    return ident


@transaction.atomic
def reception_identity_reveal(*, actor: Any, entry: ReceptionEntry, purpose: str) -> Identity:
    _require(actor, "petitions.reveal_receptionentry", entry)
    if purpose not in REVEAL_PURPOSES:
        raise ValidationFailed(_(ERR_PURPOSE), field="purpose")
    if entry.protected and not entry.identity_sealed:
        raise ValidationFailed(_(ERR_NO_IDENTITY), sealed_ref=entry.sealed_ref)
    ident = entry_identity_of(entry)
    if entry.protected:
        audit.record(
            actor=actor,
            action="petitions.reception_identity_reveal",
            obj=entry,
            data={"purpose": purpose},
        )
    return ident


@transaction.atomic
def identity_rotate_keys(*, actor: Any = None) -> int:
    """Re-encrypt every sealed identity with the newest key and recompute the blind indexes.
    Run after putting a new key first in ``FIELD_ENCRYPTION_KEYS`` (old keys stay until done)."""
    count = 0
    for petition in Petition.objects.exclude(identity_sealed="").only(
        "pk", "identity_sealed", "person_digest"
    ):
        sealed = idn.reseal(petition.identity_sealed)
        digest = idn.person_digest(idn.unseal(sealed).name)
        Petition.objects.filter(pk=petition.pk).update(identity_sealed=sealed, person_digest=digest)
        count += 1
    for entry in ReceptionEntry.objects.exclude(identity_sealed="").only("pk", "identity_sealed"):
        ReceptionEntry.objects.filter(pk=entry.pk).update(
            identity_sealed=idn.reseal(entry.identity_sealed)
        )
        count += 1
    unprotected = Petition.objects.filter(protected=False).exclude(petitioner_name="")
    for petition in unprotected.only("pk", "petitioner_name"):
        Petition.objects.filter(pk=petition.pk).update(
            person_digest=idn.person_digest(petition.petitioner_name)
        )
    audit.record(
        actor=actor,
        action="petitions.identity_rotate_keys",
        object_type="petitions.petition",
        object_id="*",
        object_repr="Mã hóa lại thông tin người tố cáo",
        data={"records": count},
    )
    return count


@transaction.atomic
def settings_set(
    *, actor: Any, agency: Agency, identity_storage: str, purge_existing: bool = False
) -> PetitionSettings:
    """Choose where the agency keeps denouncers' identities. Switching to "no identity in the
    system" with ``purge_existing`` deletes the sealed identities already stored (the sealed
    paper files remain the only record)."""
    _require(actor, "petitions.change_petitionsettings", agency)
    if identity_storage not in IdentityStorage.values:
        raise ValidationFailed(_(ERR_NOT_ALLOWED), field="identity_storage")
    current, _created = PetitionSettings.objects.get_or_create(agency=agency)
    before = audit.snapshot(current, ["identity_storage"])
    current.identity_storage = identity_storage
    current.full_clean()
    current.save()
    purged = 0
    if identity_storage == IdentityStorage.SEALED_PAPER and purge_existing:
        purged += (
            Petition.objects.filter(agency=agency, protected=True)
            .exclude(identity_sealed="")
            .update(identity_sealed="", person_digest="")
        )
        purged += (
            ReceptionEntry.objects.filter(agency=agency, protected=True)
            .exclude(identity_sealed="")
            .update(identity_sealed="")
        )
    audit.record(
        actor=actor,
        action="petitions.settings_set",
        obj=current,
        object_repr=f"Thiết lập tiếp công dân — {agency.name}",
        changes=audit.changes_of(current, before),
        data={"purged": purged},
    )
    return current


# --- reception schedule -------------------------------------------------------------------------
@transaction.atomic
def reception_day_add(
    *,
    actor: Any,
    agency: Agency,
    leader: Official,
    day: date,
    start_time: time,
    end_time: time,
    location: str,
    kind: str = ReceptionDay.Kind.REGULAR,
    note: str = "",
    published: bool = True,
) -> ReceptionDay:
    _require(actor, "petitions.change_receptionday", agency)
    if leader.agency_id != agency.pk:
        raise ValidationFailed(_(ERR_SCHEDULE_LEADER), field="leader")
    if end_time <= start_time:
        raise ValidationFailed(_(ERR_SCHEDULE_TIME), field="end_time")
    item = ReceptionDay(
        agency=agency,
        leader=leader,
        day=day,
        start_time=start_time,
        end_time=end_time,
        kind=kind,
        location=location.strip(),
        note=note.strip(),
        published=published,
    )
    item.full_clean()
    item.save()
    audit.record(actor=actor, action="petitions.reception_day_add", obj=item)
    return item


@transaction.atomic
def reception_day_remove(*, actor: Any, item: ReceptionDay) -> None:
    _require(actor, "petitions.change_receptionday", item.agency)
    audit.record(actor=actor, action="petitions.reception_day_remove", obj=item)
    item.delete()


# --- reception register -------------------------------------------------------------------------
def representative_bounds(visitors: int) -> tuple[int, int] | None:
    """How many representatives a group must choose (Law 42/2013 art. 30; Decree 64/2014):
    5-10 people choose 1-2; more than 10, up to 5. Fewer than 5: not a group (None)."""
    if visitors < MASS_CASE_MIN:
        return None
    if visitors <= 10:
        return (1, 2)
    return (1, 5)


def check_representatives(visitor_count: int, representatives: int) -> None:
    bounds = representative_bounds(visitor_count)
    if bounds is None:
        return
    low, high = bounds
    if not low <= representatives <= high:
        raise ValidationFailed(
            _(ERR_REPRESENTATIVES).format(n=visitor_count, low=low, high=high, got=representatives),
            field="visitors",
            low=low,
            high=high,
        )


@transaction.atomic
def reception_record(
    *,
    actor: Any,
    agency: Agency,
    received_at: datetime,
    kind: str,
    visitors: Sequence[VisitorIn],
    content: str,
    visitor_count: int | None = None,
    documents_received: str = "",
    guidance: str = "",
    reception_day: ReceptionDay | None = None,
    create_petition: bool = False,
    subject: str = "",
    tags: Iterable[str] = (),
    is_complex: bool = False,
    is_remote: bool = False,
    sealed_ref: str = "",
) -> ReceptionEntry:
    """Enter a visit in the reception register; a group of 5 or more on one matter is a mass
    case and must have chosen its representatives. Optionally lodge the petition it brings."""
    _require(actor, "petitions.add_receptionentry", agency)
    _check_not_future(received_at, "received_at")
    listed = [v for v in visitors if v.name.strip()]
    if not listed:
        raise ValidationFailed(_(ERR_VISITORS), field="visitors")
    count = visitor_count if visitor_count is not None else len(listed)
    if count < len(listed):
        raise ValidationFailed(_(ERR_VISITOR_COUNT), field="visitor_count")
    reps = [v for v in listed if v.representative]
    check_representatives(count, len(reps))
    if not content.strip():
        raise ValidationFailed(_(ERR_CONTENT), field="content")
    day = as_local(received_at).date()
    reply_due = deadlines.deadline_for(
        "reception.reply", received_at, received_on=day, hours=agency.office_hours()
    )[0].due
    ordered = reps + [v for v in listed if not v.representative]
    entry = ReceptionEntry(
        code=_next_code(agency, "TCD", day),
        agency=agency,
        received_at=received_at,
        receiver=_user(actor),
        reception_day=reception_day,
        kind=kind,
        visitor_count=count,
        representative_count=len(reps),
        protected=kind in PROTECTED_KINDS,
        documents_received=documents_received.strip(),
        reply_due_at=reply_due,
    )
    visitor_dicts = [v.as_dict() for v in ordered]
    if entry.protected:
        first = ordered[0]
        ident = Identity(
            name=first.name.strip(),
            address=first.address.strip(),
            phone=first.phone.strip(),
            id_number=first.id_number.strip(),
            representatives=visitor_dicts,
            original_content=content.strip(),
        )
        entry.content = idn.redact(content.strip(), ident.values())
        entry.guidance = idn.redact(guidance.strip(), ident.values())
        entry.visitors = []
        _seal_into(entry, ident, agency, sealed_ref)
    else:
        entry.content = content.strip()
        entry.guidance = guidance.strip()
        entry.visitors = visitor_dicts
    entry.full_clean(exclude=["petition"])
    entry.save()
    audit.record(
        actor=actor,
        action="petitions.reception_record",
        obj=entry,
        data={
            "visitors": count,
            "representatives": len(reps),
            "mass_case": entry.is_mass_case,
            "kind": kind,
        },
    )
    if create_petition:
        first = ordered[0]
        petition = _create_petition(
            actor=actor,
            agency=agency,
            kind=kind,
            received_at=received_at,
            petitioner=PetitionerIn(
                name=first.name, address=first.address, phone=first.phone, id_number=first.id_number
            ),
            representatives=visitor_dicts[1:],
            content=content,
            subject=subject or content.strip().split("\n")[0][:120],
            signers_count=count,
            source=Source.RECEPTION,
            tags=tags,
            is_complex=is_complex,
            is_remote=is_remote,
            sealed_ref=sealed_ref,
        )
        entry.petition = petition
        entry.save(update_fields=["petition"])
    return entry


# --- intake -------------------------------------------------------------------------------------
def _create_petition(
    *,
    actor: Any,
    agency: Agency,
    kind: str,
    received_at: datetime,
    petitioner: PetitionerIn,
    content: str,
    subject: str = "",
    signers_count: int = 1,
    source: str = Source.POST,
    round: int | None = None,
    first_round: Petition | None = None,
    is_complex: bool = False,
    is_remote: bool = False,
    complexity: str = Complexity.NORMAL,
    decision_complained: str = "",
    decision_known_on: date | None = None,
    tags: Iterable[str] = (),
    representatives: Sequence[dict[str, Any]] = (),
    sealed_ref: str = "",
    source_body: str = "",
    transferred_from: Petition | None = None,
    attachments: Sequence[UploadedFile] = (),
    anonymous: bool | None = None,
) -> Petition:
    _check_not_future(received_at, "received_at")
    if kind not in PetitionKind.values:
        raise ValidationFailed(_(ERR_NOT_ALLOWED), field="kind")
    if not content.strip():
        raise ValidationFailed(_(ERR_CONTENT), field="content")
    if signers_count < 1:
        raise ValidationFailed(_(ERR_SIGNERS), field="signers_count")
    if kind == PetitionKind.COMPLAINT:
        round = round or 1
        if round not in (1, 2):
            raise ValidationFailed(_(ERR_ROUND), field="round")
        if (
            round == 2
            and first_round is not None
            and (first_round.kind != PetitionKind.COMPLAINT or first_round.round != 1)
        ):
            raise ValidationFailed(_(ERR_FIRST_ROUND), field="first_round")
    elif round not in (None, 1):
        raise ValidationFailed(_(ERR_ROUND), field="round")
    else:
        round = None
        first_round = None
    day = as_local(received_at).date()
    petition = Petition(
        code=_next_code(agency, "DT", day),
        tracking_code=new_tracking_code(),
        agency=agency,
        kind=kind,
        round=round,
        first_round=first_round if round == 2 else None,
        source=source,
        source_body=source_body.strip()[:200],
        received_at=received_at,
        received_by=_user(actor),
        signers_count=signers_count,
        protected=kind in PROTECTED_KINDS,
        is_complex=is_complex,
        is_remote=is_remote,
        complexity=complexity,
        decision_complained=decision_complained.strip()[:300],
        decision_known_on=decision_known_on,
        transferred_from=transferred_from,
        status=Status.RECEIVED,
    )
    _apply_identity(
        petition,
        petitioner,
        representatives,
        subject or content.strip().split("\n")[0][:120],
        content,
        sealed_ref,
    )
    if petition.protected:  # redact with the values typed now (kept or not, per the setting)
        typed = Identity(
            name=petitioner.name,
            address=petitioner.address,
            phone=petitioner.phone,
            email=petitioner.email,
            id_number=petitioner.id_number,
            representatives=[dict(r) for r in representatives],
        )
        petition.decision_complained = idn.redact(petition.decision_complained, typed.values())
    if anonymous is None:
        anonymous = kind == PetitionKind.DENUNCIATION and not petitioner.name.strip()
    if anonymous:
        # Anonymous denunciations are recorded as information, not handled (art. 25).
        petition.is_anonymous = True
        petition.status = Status.INFORMATION
    else:
        _set_handling_due(petition)
    _save(petition)
    tag_codes = list(tags)
    if first_round is not None and not tag_codes:
        tag_codes = list(first_round.tags.values_list("code", flat=True))
    _set_tags(petition, tag_codes)
    for i, upload in enumerate(attachments, start=1):
        if petition.protected:  # the file's own name may carry the denouncer's name
            ext = (upload.name or "").rsplit(".", 1)[-1].lower()[:5]
            upload.name = f"tai-lieu-{i}.{ext}"
        files.attachment_create(
            upload=upload,
            actor=actor,
            owner=petition,
            purpose="petition",
            allowed=files.IMAGES_AND_PDF,
        )
    official = official_of(actor)
    if official is not None and official.agency_id == agency.pk:
        _assign(petition, official, Assignment.Duty.RECEIVE, actor)
    _event(petition, "receive", actor, at=received_at)
    _index(petition)
    _audit(
        actor,
        "petition_receive",
        petition,
        data={
            "kind": kind,
            "source": source,
            "signers": signers_count,
            "mass_case": petition.is_mass_case,
            "anonymous": petition.is_anonymous,
            "round": round,
            "first_round": first_round.pk if first_round else None,
            "handling_due_at": petition.handling_due_at,
        },
    )
    return petition


@transaction.atomic
def petition_receive(
    *,
    actor: Any,
    agency: Agency,
    kind: str,
    received_at: datetime,
    petitioner: PetitionerIn,
    content: str,
    subject: str = "",
    signers_count: int = 1,
    source: str = Source.POST,
    round: int | None = None,
    first_round: Petition | None = None,
    is_complex: bool = False,
    is_remote: bool = False,
    complexity: str = Complexity.NORMAL,
    decision_complained: str = "",
    decision_known_on: date | None = None,
    tags: Iterable[str] = (),
    representatives: Sequence[dict[str, Any]] = (),
    sealed_ref: str = "",
    source_body: str = "",
    attachments: Sequence[UploadedFile] = (),
) -> Petition:
    """Register a petition received by post, at the reception office, from another body…"""
    _require(actor, "petitions.add_petition", agency)
    petition = _create_petition(
        actor=actor,
        agency=agency,
        kind=kind,
        received_at=received_at,
        petitioner=petitioner,
        content=content,
        subject=subject,
        signers_count=signers_count,
        source=source,
        round=round,
        first_round=first_round,
        is_complex=is_complex,
        is_remote=is_remote,
        complexity=complexity,
        decision_complained=decision_complained,
        decision_known_on=decision_known_on,
        tags=tags,
        representatives=representatives,
        sealed_ref=sealed_ref,
        source_body=source_body,
        attachments=attachments,
    )
    return petition


@transaction.atomic
def petition_submit_online(
    *,
    actor: Any,
    agency: Agency,
    kind: str,
    petitioner: PetitionerIn,
    subject: str,
    content: str,
    decision_complained: str = "",
    decision_known_on: date | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> Petition:
    """A complaint or a recommendation sent from the portal. The sender gets a tracking code."""
    if kind not in (PetitionKind.COMPLAINT, PetitionKind.RECOMMENDATION):
        raise ValidationFailed(_(ERR_ONLINE_KIND), field="kind")
    if (
        not petitioner.name.strip()
        or not petitioner.address.strip()
        or not (petitioner.phone.strip() or petitioner.email.strip())
    ):
        raise ValidationFailed(_(ERR_ONLINE_CONTACT), field="name")
    petition = _create_petition(
        actor=actor,
        agency=agency,
        kind=kind,
        received_at=timezone.now(),
        petitioner=petitioner,
        content=content,
        subject=subject,
        source=Source.ONLINE,
        decision_complained=decision_complained,
        decision_known_on=decision_known_on,
        attachments=attachments,
    )
    _notify_petitioner(petition, f"{petition.agency.name} đã nhận đơn {petition.code} của ông/bà.")
    return petition


# --- handling -----------------------------------------------------------------------------------
@transaction.atomic
def petition_classify(
    *,
    actor: Any,
    petition: Petition,
    kind: str,
    conditions: dict[str, bool],
    competent: bool,
    round: int | None = None,
    is_complex: bool | None = None,
    is_remote: bool | None = None,
    complexity: str | None = None,
    tags: Iterable[str] | None = None,
    false_name: bool = False,
    sealed_ref: str = "",
    note: str = "",
) -> Petition:
    """Classify, check the conditions (language, date, name, address, signature) and the
    competence. A denunciation without a (true) name is recorded as information."""
    _require(actor, "petitions.handle_petition", petition)
    _expect(petition, Status.RECEIVED)
    if kind not in PetitionKind.values:
        raise ValidationFailed(_(ERR_NOT_ALLOWED), field="kind")
    before = audit.snapshot(petition, AUDIT_FIELDS)
    petition.kind = kind
    if kind in PROTECTED_KINDS:
        _protect(petition, sealed_ref)
    if kind == PetitionKind.COMPLAINT:
        petition.round = round or petition.round or 1
        if petition.round not in (1, 2):
            raise ValidationFailed(_(ERR_ROUND), field="round")
    else:
        petition.round = None
    for name in CONDITION_FIELDS:
        key = name.removeprefix("cond_")
        if key in conditions:
            setattr(petition, name, bool(conditions[key]))
    petition.competent = competent
    if is_complex is not None:
        petition.is_complex = is_complex
    if is_remote is not None:
        petition.is_remote = is_remote
    if complexity is not None:
        petition.complexity = complexity
    petition.classified_at = timezone.now()
    if note:
        petition.handling_note = clean_text(petition, note)
    if kind == PetitionKind.DENUNCIATION and (false_name or petition.cond_name is False):
        petition.is_anonymous = True
        petition.status = Status.INFORMATION
        petition.handled_at = timezone.now()
        _refresh_due(petition)
    else:
        _set_handling_due(petition)
    _save(petition)
    if tags is not None:
        _set_tags(petition, tags)
    _event(petition, "classify", actor, note)
    _index(petition)
    _audit(
        actor,
        "petition_classify",
        petition,
        before,
        data={"conditions": {k: bool(v) for k, v in conditions.items()}},
    )
    return petition


def _check_limitation(petition: Petition) -> None:
    if petition.kind != PetitionKind.COMPLAINT:
        return
    if petition.round == 2 and petition.first_round_id:
        first = petition.first_round
        assert first is not None
        start_day = first.decision_date or (
            as_local(first.resolution_due_at).date() if first.resolution_due_at else None
        )
        if start_day is None:
            return
        start = timezone.make_aware(datetime.combine(start_day, time(8, 0)))
        due, _rule = deadlines.deadline_for(
            "complaint.second_lodging",
            start,
            received_on=as_local(petition.received_at).date(),
            variant="remote" if petition.is_remote else "normal",
            hours=petition.agency.office_hours(),
        )
        if petition.received_at > due.due:
            raise ValidationFailed(
                _(ERR_SECOND_LATE).format(day=f"{as_local(due.due):%d/%m/%Y}"), field="received_at"
            )
        return
    if petition.decision_known_on:
        start = timezone.make_aware(datetime.combine(petition.decision_known_on, time(8, 0)))
        due, _rule = deadlines.deadline_for(
            "complaint.limitation",
            start,
            received_on=as_local(petition.received_at).date(),
            hours=petition.agency.office_hours(),
        )
        if petition.received_at > due.due:
            raise ValidationFailed(
                _(ERR_LIMITATION).format(day=f"{as_local(due.due):%d/%m/%Y}"), field="received_at"
            )


@transaction.atomic
def petition_accept(
    *,
    actor: Any,
    petition: Petition,
    accepted_at: datetime | None = None,
    is_complex: bool | None = None,
    is_remote: bool | None = None,
    complexity: str | None = None,
) -> Petition:
    """Take the petition up (thụ lý): the resolution deadline runs from the acceptance, under
    the rule version in force when the petition was received, for its variant."""
    _require(actor, "petitions.handle_petition", petition)
    _expect(petition, Status.RECEIVED)
    if petition.is_anonymous:
        raise ValidationFailed(_(ERR_ANONYMOUS))
    if petition.competent is False:
        raise ValidationFailed(_(ERR_NOT_COMPETENT), field="competent")
    if petition.conditions_met is False:
        raise ValidationFailed(_(ERR_CONDITIONS))
    accepted_at = accepted_at or timezone.now()
    _check_not_future(accepted_at, "accepted_at")
    if accepted_at < petition.received_at:
        raise ValidationFailed(_(ERR_BEFORE_RECEIPT), field="accepted_at")
    before = audit.snapshot(petition, AUDIT_FIELDS)
    if is_complex is not None:
        petition.is_complex = is_complex
    if is_remote is not None:
        petition.is_remote = is_remote
    if complexity is not None:
        petition.complexity = complexity
    _check_limitation(petition)
    if petition.competent is None:
        petition.competent = True
    key, variant = resolution_rule_key(petition)
    petition.resolution_due_at, rule = _deadline(petition, key, accepted_at, variant)
    petition.resolution_basis = _basis(rule)
    petition.accepted_at = accepted_at
    petition.handled_at = accepted_at
    petition.status = Status.ACCEPTED
    _refresh_due(petition)
    _save(petition)
    official = official_of(actor)
    if (
        official is not None
        and official.agency_id == petition.agency_id
        and official.has_role("handler")
    ):
        _assign(petition, official, Assignment.Duty.RESOLVE, actor)
    doc = _issue_document(
        petition,
        DocKind.ACCEPTANCE_NOTICE,
        actor,
        as_local(accepted_at).date(),
        {"due": petition.resolution_due_at.isoformat(), "basis": petition.resolution_basis},
    )
    _event(petition, "accept", actor, f"Thông báo thụ lý số {doc.symbol}", at=accepted_at)
    _audit(
        actor,
        "petition_accept",
        petition,
        before,
        data={"document": doc.symbol, "variant": variant},
    )
    _notify_petitioner(
        petition,
        f"Đơn {petition.code} đã được thụ lý; hạn giải quyết "
        f"{as_local(petition.resolution_due_at):%d/%m/%Y}.",
    )
    return petition


@transaction.atomic
def petition_guide(
    *, actor: Any, petition: Petition, guided_to: str, note: str = "", at: datetime | None = None
) -> Petition:
    """Guide the sender to the competent body (complaints, denunciations outside competence)."""
    _require(actor, "petitions.handle_petition", petition)
    _expect(petition, Status.RECEIVED)
    if not guided_to.strip():
        raise ValidationFailed(_(ERR_GUIDED_TO), field="guided_to")
    at = at or timezone.now()
    _check_not_future(at, "at")
    before = audit.snapshot(petition, AUDIT_FIELDS)
    petition.guided_to = guided_to.strip()[:200]
    petition.handling_note = clean_text(petition, note)
    petition.competent = False
    petition.status = Status.GUIDED
    petition.handled_at = at
    _refresh_due(petition)
    _save(petition)
    doc = _issue_document(
        petition, DocKind.GUIDANCE_LETTER, actor, as_local(at).date(), {"to": petition.guided_to}
    )
    _event(petition, "guide", actor, f"Hướng dẫn đến {petition.guided_to} ({doc.symbol})", at=at)
    _audit(actor, "petition_guide", petition, before, data={"document": doc.symbol})
    _notify_petitioner(
        petition, f"Đơn {petition.code}: đề nghị ông/bà gửi đến {petition.guided_to}."
    )
    return petition


@transaction.atomic
def petition_transfer(
    *,
    actor: Any,
    petition: Petition,
    to_agency: Agency | None = None,
    to_name: str = "",
    note: str = "",
    at: datetime | None = None,
) -> Petition:
    """Transfer the petition to the competent body with a transfer slip. A body in the system
    receives it as a new petition (same sender, protected the same way) with its own clock."""
    _require(actor, "petitions.handle_petition", petition)
    _expect(petition, Status.RECEIVED)
    if to_agency is None and not to_name.strip():
        raise ValidationFailed(_(ERR_TRANSFER_TO), field="to_agency")
    if to_agency is not None and to_agency.pk == petition.agency_id:
        raise ValidationFailed(_(ERR_TRANSFER_SELF), field="to_agency")
    at = at or timezone.now()
    _check_not_future(at, "at")
    before = audit.snapshot(petition, AUDIT_FIELDS)
    petition.transferred_to = to_agency
    petition.transferred_to_name = (to_agency.name if to_agency else to_name.strip())[:200]
    petition.handling_note = clean_text(petition, note)
    petition.competent = False
    petition.status = Status.TRANSFERRED
    petition.handled_at = at
    _refresh_due(petition)
    _save(petition)
    doc = _issue_document(
        petition,
        DocKind.TRANSFER_SLIP,
        actor,
        as_local(at).date(),
        {"to": petition.transferred_to_name},
    )
    created = None
    if to_agency is not None:
        ident = identity_of(petition)
        created = _create_petition(
            actor=actor,
            agency=to_agency,
            kind=petition.kind,
            received_at=at,
            petitioner=PetitionerIn(
                name=ident.name,
                address=ident.address,
                phone=ident.phone,
                email=ident.email,
                id_number=ident.id_number,
            ),
            representatives=ident.representatives,
            content=ident.original_content or petition.content,
            subject=ident.original_subject or petition.subject,
            signers_count=petition.signers_count,
            source=Source.TRANSFER,
            source_body=petition.agency.name,
            round=petition.round,
            first_round=petition.first_round,
            is_complex=petition.is_complex,
            is_remote=petition.is_remote,
            complexity=petition.complexity,
            decision_complained=petition.decision_complained,
            decision_known_on=petition.decision_known_on,
            tags=list(petition.tags.values_list("code", flat=True)),
            sealed_ref=petition.sealed_ref
            or (f"(chuyển từ {petition.code})" if petition.protected else ""),
            transferred_from=petition,
            anonymous=petition.is_anonymous,
        )
    _event(
        petition,
        "transfer",
        actor,
        f"Chuyển đến {petition.transferred_to_name} ({doc.symbol})",
        at=at,
    )
    _audit(
        actor,
        "petition_transfer",
        petition,
        before,
        data={"document": doc.symbol, "new_petition": created.pk if created else None},
    )
    _notify_petitioner(
        petition,
        f"Đơn {petition.code} đã được chuyển đến {petition.transferred_to_name} để giải quyết.",
    )
    return petition


@transaction.atomic
def petition_store(
    *, actor: Any, petition: Petition, reason: str, note: str = "", at: datetime | None = None
) -> Petition:
    """Store without new handling: already guided once, a copy sent to several bodies including
    the competent one, a duplicate, or a petition that does not meet the conditions."""
    _require(actor, "petitions.handle_petition", petition)
    _expect(petition, Status.RECEIVED)
    if reason not in StoreReason.values:
        raise ValidationFailed(_(ERR_STORE_REASON), field="reason")
    at = at or timezone.now()
    before = audit.snapshot(petition, AUDIT_FIELDS)
    petition.store_reason = reason
    petition.handling_note = clean_text(petition, note)
    petition.status = Status.STORED
    petition.handled_at = at
    _refresh_due(petition)
    _save(petition)
    _event(petition, "store", actor, f"{StoreReason(reason).label}. {note}".strip(), at=at)
    _audit(actor, "petition_store", petition, before)
    return petition


@transaction.atomic
def petition_link_duplicate(
    *, actor: Any, petition: Petition, existing: Petition, note: str = ""
) -> Petition:
    """A duplicate joins the existing case: linked to it and stored."""
    _require(actor, "petitions.handle_petition", petition)
    _expect(petition, Status.RECEIVED)
    if existing.pk == petition.pk:
        raise ValidationFailed(_(ERR_DUPLICATE_SELF), field="existing")
    if existing.agency_id != petition.agency_id:
        raise ValidationFailed(_(ERR_DUPLICATE_AGENCY), field="existing")
    root = existing.duplicate_of or existing
    before = audit.snapshot(petition, AUDIT_FIELDS)
    petition.duplicate_of = root
    petition.store_reason = StoreReason.DUPLICATE
    petition.handling_note = clean_text(petition, note)
    petition.status = Status.STORED
    petition.handled_at = timezone.now()
    _refresh_due(petition)
    _save(petition)
    _event(petition, "duplicate", actor, f"Trùng với vụ việc {root.code}")
    _event(root, "duplicate_joined", actor, f"Nhập đơn trùng {petition.code}")
    _audit(actor, "petition_link_duplicate", petition, before, data={"existing": root.pk})
    return petition


@transaction.atomic
def petition_assign(*, actor: Any, petition: Petition, official: Official, duty: str) -> Assignment:
    """The head assigns an official to receive, resolve or verify the case."""
    _require(actor, "petitions.assign_petition", petition)
    if official.agency_id != petition.agency_id or not official.is_active:
        raise ValidationFailed(_(ERR_ASSIGN_AGENCY), field="official")
    if duty not in Assignment.Duty.values:
        raise ValidationFailed(_(ERR_NOT_ALLOWED), field="duty")
    assignment = _assign(petition, official, duty, actor)
    _event(
        petition,
        "assign",
        actor,
        f"{official.user.get_full_name()}: {Assignment.Duty(duty).label}",
    )
    audit.record(
        actor=actor,
        action="petitions.petition_assign",
        obj=petition,
        data={"official": official.pk, "duty": duty},
    )
    _notify_official(
        official,
        petition,
        f"Ông/bà được phân công {Assignment.Duty(duty).label.lower()} đơn {petition.code} "
        f"({petition.get_kind_display()}).",
    )
    return assignment


@transaction.atomic
def petition_unassign(*, actor: Any, assignment: Assignment) -> None:
    petition = assignment.petition
    _require(actor, "petitions.assign_petition", petition)
    assignment.active = False
    assignment.save(update_fields=["active"])
    forget_assignments(petition)
    audit.record(
        actor=actor,
        action="petitions.petition_unassign",
        obj=petition,
        data={"official": assignment.official_id, "duty": assignment.duty},
    )


@transaction.atomic
def petition_record_verification(*, actor: Any, petition: Petition, note: str) -> PetitionEvent:
    """A verification step (xác minh) on an accepted case."""
    _require(actor, "petitions.verify_petition", petition)
    _expect(petition, Status.ACCEPTED)
    if not note.strip():
        raise ValidationFailed(_(ERR_CONTENT), field="note")
    _event(petition, "verify", actor, note)
    event = petition.events.order_by("-pk").first()
    assert event is not None
    audit.record(actor=actor, action="petitions.petition_verify", obj=petition)
    return event


# --- resolution ---------------------------------------------------------------------------------
@transaction.atomic
def petition_extend(
    *, actor: Any, petition: Petition, reason: str, complexity: str | None = None
) -> Extension:
    """Extend a denunciation's resolution, in writing: complex cases once, especially complex
    cases twice, each time by the rule's extension period (Law 25/2018 art. 30)."""
    _require(actor, "petitions.extend_petition", petition)
    _expect(petition, Status.ACCEPTED)
    if petition.kind != PetitionKind.DENUNCIATION:
        raise ValidationFailed(_(ERR_EXTEND_KIND), field="kind")
    if not reason.strip():
        raise ValidationFailed(_(ERR_EXTEND_REASON), field="reason")
    before = audit.snapshot(petition, AUDIT_FIELDS)
    if complexity is not None:
        if complexity not in Complexity.values:
            raise ValidationFailed(_(ERR_NOT_ALLOWED), field="complexity")
        petition.complexity = complexity
    if petition.extensions_count >= petition.max_extensions:
        message = {
            Complexity.NORMAL: ERR_EXTEND_NORMAL,
            Complexity.COMPLEX: ERR_EXTEND_COMPLEX,
            Complexity.ESPECIALLY_COMPLEX: ERR_EXTEND_ESPECIALLY,
        }[Complexity(petition.complexity)]
        raise ValidationFailed(_(message), field="complexity", limit=petition.max_extensions)
    assert petition.resolution_due_at is not None
    old_due = petition.resolution_due_at
    new_due, rule = _deadline(petition, "denunciation.resolution", old_due, "extension")
    petition.resolution_due_at = new_due
    petition.extensions_count += 1
    _refresh_due(petition)
    _save(petition)
    doc = _issue_document(
        petition,
        DocKind.EXTENSION_NOTICE,
        actor,
        timezone.localdate(),
        {
            "number": petition.extensions_count,
            "old_due": old_due.isoformat(),
            "new_due": new_due.isoformat(),
            "reason": clean_text(petition, reason),
            "basis": _basis(rule),
        },
    )
    extension = Extension.objects.create(
        petition=petition,
        number=petition.extensions_count,
        reason=clean_text(petition, reason),
        old_due_at=old_due,
        new_due_at=new_due,
        document=doc,
    )
    _event(petition, "extend", actor, f"Gia hạn lần {extension.number} ({doc.symbol}): {reason}")
    _audit(actor, "petition_extend", petition, before, data={"document": doc.symbol})
    return extension


def _default_legal_effect(petition: Petition, decision_date: date) -> date | None:
    """A first-round decision takes legal effect when the time to lodge a second complaint has
    run out (30 days, remote areas 45); a second-round decision on the day it is issued."""
    if petition.kind != PetitionKind.COMPLAINT:
        return None
    if petition.round == 2:
        return decision_date
    start = timezone.make_aware(datetime.combine(decision_date, time(8, 0)))
    due, _rule = deadlines.deadline_for(
        "complaint.second_lodging",
        start,
        received_on=as_local(petition.received_at).date(),
        variant="remote" if petition.is_remote else "normal",
        hours=petition.agency.office_hours(),
    )
    return as_local(due.due).date() + timedelta(days=1)


@transaction.atomic
def petition_resolve(
    *,
    actor: Any,
    petition: Petition,
    outcome: str,
    summary: str,
    resolved_at: datetime | None = None,
    legal_effect_date: date | None = None,
) -> Petition:
    """Close the case with its decision (complaint), conclusion (denunciation) or answer
    (recommendation, report), numbered by the core numbering."""
    _require(actor, "petitions.resolve_petition", petition)
    _expect(petition, Status.ACCEPTED)
    if outcome not in Outcome.values:
        raise ValidationFailed(_(ERR_OUTCOME), field="outcome")
    if not summary.strip():
        raise ValidationFailed(_(ERR_SUMMARY), field="summary")
    resolved_at = resolved_at or timezone.now()
    _check_not_future(resolved_at, "resolved_at")
    assert petition.accepted_at is not None
    if resolved_at < petition.accepted_at:
        raise ValidationFailed(_(ERR_RESOLVED_BEFORE), field="resolved_at")
    before = audit.snapshot(petition, AUDIT_FIELDS)
    day = as_local(resolved_at).date()
    kind = {
        PetitionKind.COMPLAINT: DocKind.COMPLAINT_DECISION,
        PetitionKind.DENUNCIATION: DocKind.DENUNCIATION_CONCLUSION,
    }.get(PetitionKind(petition.kind), DocKind.ANSWER)
    petition.outcome = outcome
    petition.resolution_summary = clean_text(petition, summary)
    petition.resolved_at = resolved_at
    petition.decision_date = day
    petition.legal_effect_date = legal_effect_date or _default_legal_effect(petition, day)
    petition.status = Status.RESOLVED
    _refresh_due(petition)
    doc = _issue_document(
        petition,
        kind,
        actor,
        day,
        {"outcome": outcome, "summary": petition.resolution_summary, "round": petition.round},
    )
    petition.decision_symbol = doc.symbol
    _save(petition)
    _event(petition, "resolve", actor, f"{doc.get_kind_display()} số {doc.symbol}", at=resolved_at)
    _audit(
        actor,
        "petition_resolve",
        petition,
        before,
        data={"document": doc.symbol, "on_time": petition.timeliness(resolved_at) == "on_time"},
    )
    _notify_petitioner(
        petition,
        f"Đơn {petition.code} đã được giải quyết ({doc.get_kind_display()} số {doc.symbol}).",
    )
    return petition


@transaction.atomic
def petition_reopen(
    *, actor: Any, petition: Petition, reason: str, at: datetime | None = None
) -> Petition:
    """Re-open a resolved case (a superior's request, a new fact): it is resolved again within
    a new resolution period; cases reopened repeatedly are long-running."""
    _require(actor, "petitions.reopen_petition", petition)
    _expect(petition, Status.RESOLVED)
    if not reason.strip():
        raise ValidationFailed(_(ERR_CONTENT), field="reason")
    at = at or timezone.now()
    _check_not_future(at, "at")
    before = audit.snapshot(petition, AUDIT_FIELDS)
    key, variant = resolution_rule_key(petition)
    petition.resolution_due_at, rule = _deadline(petition, key, at, variant)
    petition.resolution_basis = _basis(rule)
    petition.accepted_at = at
    petition.reopen_count += 1
    petition.status = Status.ACCEPTED
    petition.resolved_at = None
    petition.outcome = ""
    petition.extensions_count = 0
    _refresh_due(petition)
    _save(petition)
    _event(petition, "reopen", actor, reason, at=at)
    _audit(actor, "petition_reopen", petition, before)
    return petition


# --- reminders ----------------------------------------------------------------------------------
def remind_due_petitions(*, now: datetime, until: datetime) -> int:
    """Tell the assigned officials (and, for unassigned cases, the heads) of petitions whose
    current deadline falls before ``until``, once per deadline."""
    from danvan.org.models import Official

    count = 0
    due = (
        Petition.objects.due_before(now, until)
        .select_related("agency")
        .prefetch_related("assignments__official__user")
    )
    for petition in due:
        if petition.reminded_for == petition.current_due_at:
            continue
        assert petition.current_due_at is not None
        officials = [a.official for a in petition.assignments.all() if a.active]
        if not officials:
            officials = list(
                Official.objects.filter(
                    agency_id=petition.agency_id, is_active=True, roles__role="head"
                ).select_related("user")
            )
        body = (
            f"Đơn {petition.code} ({petition.get_kind_display()}) đến hạn "
            f"{as_local(petition.current_due_at):%H:%M %d/%m/%Y}."
        )
        with transaction.atomic():
            for official in officials:
                _notify_official(official, petition, body)
            Petition.objects.filter(pk=petition.pk).update(reminded_for=petition.current_due_at)
        count += 1
    return count


def get_petition(pk: int) -> Petition:
    found = Petition.objects.select_related("agency__unit").filter(pk=pk).first()
    if found is None:
        raise NotFoundError(_("Không tìm thấy đơn."))
    return found
