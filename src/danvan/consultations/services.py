"""Writes of the consultations app. Each service is atomic, checks the actor's permission,
validates, writes its audit record and queues its notifications (sent after commit)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danvan.consultations import policy, sections
from danvan.consultations.models import (
    Comment,
    CommentStatus,
    Consultation,
    ConsultationStatus,
    DraftKind,
    Follower,
    IdentityLevel,
    PhoneCheck,
    Response,
    ResponseOutcome,
    Section,
    SectionKind,
)
from danvan.consultations.selectors import SEARCH_COMMENT, SEARCH_CONSULTATION, attachments_of
from danvan.core import audit, files, notify, search
from danvan.core.calendar import as_local
from danvan.core.deadlines import deadline_for
from danvan.core.errors import (
    InvalidTransition,
    PermissionDeniedError,
    RateLimited,
    ValidationFailed,
)
from danvan.core.models import Attachment, Channel
from danvan.core.numbering import issue_number
from danvan.org.models import AdminUnit, Agency

MIN_PERIOD_RULE = "consultations.min_period"
PHONE_CODE_LIFETIME = timedelta(minutes=10)  # a one-time code, not a legal deadline
PHONE_CODES_PER_HOUR = 3
PHONE_CODE_ATTEMPTS = 5

ERR_NOT_ALLOWED = gettext_noop("Bạn không có quyền thực hiện thao tác này.")
ERR_DATES = gettext_noop("Thời điểm kết thúc phải sau thời điểm bắt đầu lấy ý kiến.")
ERR_MIN_PERIOD = gettext_noop(
    "Thời gian lấy ý kiến dự thảo văn bản quy phạm pháp luật tối thiểu là {amount} {unit} "
    "({basis}): hạn kết thúc sớm nhất là {due}."
)
ERR_NOT_DRAFT = gettext_noop("Chỉ sửa được dự thảo chưa công bố lấy ý kiến.")
ERR_NO_SECTIONS = gettext_noop(
    "Dự thảo chưa có nội dung: hãy nhập từ tệp DOCX hoặc nhập tay các điều, mục."
)
ERR_NO_SECTIONS_FOUND = gettext_noop(
    "Không tìm thấy nội dung trong tệp. Tệp cần có các đề mục “Chương”, “Mục”, “Điều 1.” hoặc các mục đánh số."
)
ERR_NOT_DOCX = gettext_noop("Tệp dự thảo phải là tệp Word (.docx).")
ERR_BAD_DOCX = gettext_noop("Không đọc được tệp Word này. Hãy lưu lại dưới dạng .docx rồi thử lại.")
ERR_NOT_OPEN = gettext_noop("Dự thảo này hiện không nhận ý kiến góp ý.")
ERR_BODY = gettext_noop("Hãy nhập nội dung góp ý (ít nhất 10 ký tự).")
ERR_SECTION = gettext_noop("Phần được góp ý không thuộc dự thảo này.")
ERR_NAME_REQUIRED = gettext_noop(
    "Dự thảo này yêu cầu ghi rõ họ tên người góp ý (hoặc tên tổ chức)."
)
ERR_CONTACT_REQUIRED = gettext_noop(
    "Hãy ghi số điện thoại hoặc thư điện tử để cơ quan liên hệ khi cần."
)
ERR_SIGN_IN = gettext_noop("Dự thảo này yêu cầu đăng nhập tài khoản trước khi góp ý.")
ERR_PHONE_UNVERIFIED = gettext_noop("Hãy xác minh số điện thoại trước khi gửi góp ý.")
ERR_PHONE = gettext_noop("Số điện thoại không hợp lệ: nhập 10 chữ số, ví dụ 0912345678.")
ERR_TOO_MANY_CODES = gettext_noop(
    "Bạn đã yêu cầu quá nhiều mã xác minh. Vui lòng thử lại sau 1 giờ."
)
ERR_CODE = gettext_noop("Mã xác minh không đúng hoặc đã hết hạn.")
ERR_REASON = gettext_noop("Khi không đăng ý kiến phải chọn lý do theo quy định kiểm duyệt.")
ERR_ALREADY_MODERATED = gettext_noop("Ý kiến này đã được kiểm duyệt.")
ERR_NOT_CLOSED = gettext_noop("Chỉ tiếp thu, giải trình sau khi đã kết thúc lấy ý kiến.")
ERR_ALREADY_CLOSED = gettext_noop("Cuộc lấy ý kiến đã kết thúc.")
ERR_NOT_PUBLISHED_COMMENT = gettext_noop("Chỉ trả lời các ý kiến đã được đăng.")
ERR_RESPONSE_TEXT = gettext_noop("Hãy nhập nội dung tiếp thu, giải trình.")
ERR_PENDING_LEFT = gettext_noop("Còn {n} ý kiến chưa kiểm duyệt.")
ERR_UNANSWERED = gettext_noop("Còn {n} ý kiến chưa được tiếp thu, giải trình.")
ERR_NO_REPORT = gettext_noop("Chưa ban hành báo cáo tổng hợp, tiếp thu, giải trình.")
ERR_FINAL_TEXT = gettext_noop("Hãy nhập hoặc đính kèm văn bản hoàn chỉnh sau tiếp thu.")
ERR_ALREADY_PUBLISHED = gettext_noop("Kết quả lấy ý kiến đã được công bố.")
ERR_RECIPIENT = gettext_noop("Hãy nhập số điện thoại hoặc thư điện tử hợp lệ để nhận thông báo.")
ERR_SIGNER = gettext_noop("Hãy ghi họ tên và chức vụ người ký báo cáo.")

_PHONE_DIGITS = re.compile(r"\D+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _require(actor: Any, perm: str, obj: Any = None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDeniedError(_(ERR_NOT_ALLOWED))


def normalise_phone(raw: str) -> str:
    """A Vietnamese phone number as 10 digits starting with 0, or raise."""
    digits = _PHONE_DIGITS.sub("", raw or "")
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not re.fullmatch(r"0\d{9}", digits):
        raise ValidationFailed(_(ERR_PHONE), field="phone")
    return digits


def _index_consultation(c: Consultation) -> None:
    texts = [c.title, c.summary, c.agency.name]
    texts += [f"{s.number} {s.heading} {s.body}" for s in c.sections.all()]
    search.index(SEARCH_CONSULTATION, c.pk, *texts)


# --- the draft --------------------------------------------------------------------------------
def _check_period(c: Consultation) -> None:
    if c.closes_at <= c.opens_at:
        raise ValidationFailed(_(ERR_DATES), field="closes_at")
    if c.kind == DraftKind.LEGAL_DOCUMENT:
        deadline, rule = deadline_for(MIN_PERIOD_RULE, c.opens_at)
        if as_local(c.closes_at).date() < as_local(deadline.due).date():
            raise ValidationFailed(
                _(ERR_MIN_PERIOD).format(
                    amount=f"{rule.amount.normalize():f}",
                    unit=rule.get_unit_display(),
                    basis=rule.legal_basis,
                    due=as_local(deadline.due).strftime("%d/%m/%Y"),
                ),
                field="closes_at",
            )


@transaction.atomic
def consultation_create(
    *,
    actor: Any,
    agency: Agency,
    title: str,
    kind: str,
    summary: str = "",
    opens_at: datetime,
    closes_at: datetime,
    identity_level: str = IdentityLevel.NAMED,
    affected_units: list[AdminUnit] | None = None,
) -> Consultation:
    _require(actor, "consultations.change_consultation", agency)
    c = Consultation(
        agency=agency,
        title=title.strip(),
        kind=kind,
        summary=summary.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        identity_level=identity_level,
        created_by=actor,
    )
    c.full_clean()
    _check_period(c)
    c.save()
    if affected_units:
        c.affected_units.set(affected_units)
    audit.record(
        actor=actor,
        action="consultations.consultation_create",
        obj=c,
        data={
            "kind": kind,
            "identity_level": identity_level,
            "units": [u.pk for u in affected_units or []],
        },
    )
    return c


EDITABLE = ["title", "kind", "summary", "opens_at", "closes_at", "identity_level"]


@transaction.atomic
def consultation_update(
    *,
    actor: Any,
    consultation: Consultation,
    affected_units: list[AdminUnit] | None = None,
    **fields: Any,
) -> Consultation:
    _require(actor, "consultations.change_consultation", consultation)
    if consultation.status != ConsultationStatus.DRAFT:
        raise InvalidTransition(_(ERR_NOT_DRAFT))
    before = audit.snapshot(consultation, EDITABLE)
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ValueError(name)
        setattr(consultation, name, value)
    consultation.full_clean()
    _check_period(consultation)
    consultation.save()
    if affected_units is not None:
        consultation.affected_units.set(affected_units)
    audit.record(
        actor=actor,
        action="consultations.consultation_update",
        obj=consultation,
        changes=audit.changes_of(consultation, before),
    )
    return consultation


@transaction.atomic
def consultation_attach(
    *, actor: Any, consultation: Consultation, upload: UploadedFile, purpose: str = "draft"
) -> Attachment:
    """Attach a file to the draft (the draft itself, an impact assessment, the final text…)."""
    _require(actor, "consultations.change_consultation", consultation)
    att = files.attachment_create(
        upload=upload,
        actor=actor,
        owner=consultation,
        purpose=purpose,
        allowed=("pdf", "docx", "xlsx", "jpg", "png"),
    )
    audit.record(
        actor=actor,
        action="consultations.consultation_attach",
        obj=consultation,
        data={"attachment": att.pk, "name": att.original_name, "purpose": purpose},
    )
    return att


def _replace_sections(consultation: Consultation, parsed: list[sections.ParsedSection]) -> int:
    if not parsed:
        raise ValidationFailed(_(ERR_NO_SECTIONS_FOUND), field="file")
    consultation.sections.all().delete()
    Section.objects.bulk_create(
        [
            Section(
                consultation=consultation,
                order=i,
                kind=p.kind,
                number=p.number[:40],
                heading=p.heading[:300],
                body=p.body,
                level=p.level,
            )
            for i, p in enumerate(parsed, start=1)
        ]
    )
    return len(parsed)


@transaction.atomic
def sections_import_docx(*, actor: Any, consultation: Consultation, upload: UploadedFile) -> int:
    """Cut the uploaded DOCX into sections (replacing those entered before); keep the file."""
    _require(actor, "consultations.change_consultation", consultation)
    if consultation.status != ConsultationStatus.DRAFT:
        raise InvalidTransition(_(ERR_NOT_DRAFT))
    if not (upload.name or "").lower().endswith(".docx"):
        raise ValidationFailed(_(ERR_NOT_DOCX), field="file")
    files.check_upload(upload, ("docx",))
    upload.seek(0)
    try:
        parsed = sections.parse_docx(upload.read())
    except Exception as exc:  # any unreadable document (zip, XML) is the user's file problem
        raise ValidationFailed(_(ERR_BAD_DOCX), field="file") from exc
    upload.seek(0)
    count = _replace_sections(consultation, parsed)
    att = files.attachment_create(
        upload=upload, actor=actor, owner=consultation, purpose="draft", allowed=("docx",)
    )
    audit.record(
        actor=actor,
        action="consultations.sections_import_docx",
        obj=consultation,
        data={"sections": count, "attachment": att.pk, "name": att.original_name},
    )
    return count


@transaction.atomic
def sections_from_text(*, actor: Any, consultation: Consultation, text: str) -> int:
    """Cut pasted text into sections by the same headings (entered by hand)."""
    _require(actor, "consultations.change_consultation", consultation)
    if consultation.status != ConsultationStatus.DRAFT:
        raise InvalidTransition(_(ERR_NOT_DRAFT))
    count = _replace_sections(consultation, sections.parse_text(text))
    audit.record(
        actor=actor,
        action="consultations.sections_from_text",
        obj=consultation,
        data={"sections": count},
    )
    return count


@transaction.atomic
def section_add(
    *,
    actor: Any,
    consultation: Consultation,
    kind: str = SectionKind.ARTICLE,
    number: str = "",
    heading: str = "",
    body: str = "",
) -> Section:
    _require(actor, "consultations.change_consultation", consultation)
    if consultation.status != ConsultationStatus.DRAFT:
        raise InvalidTransition(_(ERR_NOT_DRAFT))
    last = consultation.sections.aggregate(m=Max("order"))["m"] or 0
    s = Section(
        consultation=consultation,
        order=last + 1,
        kind=kind,
        number=number.strip(),
        heading=heading.strip(),
        body=body.strip(),
    )
    s.full_clean()
    s.save()
    audit.record(actor=actor, action="consultations.section_add", obj=s, data={"label": s.label})
    return s


@transaction.atomic
def consultation_open(*, actor: Any, consultation: Consultation) -> Consultation:
    """Publish the draft on the portal for comments (from ``opens_at`` to ``closes_at``)."""
    _require(actor, "consultations.change_consultation", consultation)
    if consultation.status != ConsultationStatus.DRAFT:
        raise InvalidTransition(_(ERR_NOT_DRAFT))
    if not consultation.sections.exists():
        raise ValidationFailed(_(ERR_NO_SECTIONS))
    _check_period(consultation)
    before = audit.snapshot(consultation, ["status"])
    consultation.status = ConsultationStatus.OPEN
    consultation.opened_at = timezone.now()
    consultation.save(update_fields=["status", "opened_at", "updated_at"])
    _index_consultation(consultation)
    audit.record(
        actor=actor,
        action="consultations.consultation_open",
        obj=consultation,
        changes=audit.changes_of(consultation, before),
    )
    return consultation


# --- followers --------------------------------------------------------------------------------
def _recipient(contact: str) -> tuple[str, str]:
    contact = (contact or "").strip()
    if "@" in contact:
        if not _EMAIL.match(contact):
            raise ValidationFailed(_(ERR_RECIPIENT), field="contact")
        return Channel.EMAIL, contact.lower()
    try:
        return Channel.SMS, normalise_phone(contact)
    except ValidationFailed as exc:
        raise ValidationFailed(_(ERR_RECIPIENT), field="contact") from exc


@transaction.atomic
def consultation_follow(*, consultation: Consultation, contact: str) -> Follower:
    """Follow a consultation: notified when it closes and when its result is published."""
    if not consultation.is_public:
        raise InvalidTransition(_(ERR_NOT_OPEN))
    channel, recipient = _recipient(contact)
    follower, created = Follower.objects.get_or_create(
        consultation=consultation, channel=channel, recipient=recipient
    )
    if created:
        audit.record(
            actor=None,
            action="consultations.consultation_follow",
            obj=consultation,
            data={"channel": channel, "recipient": audit.MASK},
        )
    return follower


def _notify_followers(consultation: Consultation, subject: str, body: str) -> int:
    n = 0
    for f in consultation.followers.all():
        notify.notify(
            channel=f.channel, recipient=f.recipient, subject=subject, body=body, obj=consultation
        )
        n += 1
    return n


def public_url(consultation: Consultation) -> str:
    from django.urls import reverse

    path = reverse("consultations-public:detail", args=[consultation.pk])
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


# --- phone check (anonymous comments) ---------------------------------------------------------
def _code_hash(phone: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256
    ).hexdigest()


@transaction.atomic
def phone_check_start(*, consultation: Consultation, phone: str) -> PhoneCheck:
    """Send a 6-digit code by SMS to ``phone`` (at most 3 an hour per number)."""
    if not consultation.accepts_comments():
        raise InvalidTransition(_(ERR_NOT_OPEN))
    phone = normalise_phone(phone)
    now = timezone.now()
    recent = PhoneCheck.objects.filter(phone=phone, created_at__gte=now - timedelta(hours=1))
    if recent.count() >= PHONE_CODES_PER_HOUR:
        raise RateLimited(_(ERR_TOO_MANY_CODES))
    code = f"{secrets.randbelow(1_000_000):06d}"
    check = PhoneCheck.objects.create(
        consultation=consultation,
        phone=phone,
        code_hash=_code_hash(phone, code),
        created_at=now,
        expires_at=now + PHONE_CODE_LIFETIME,
    )
    audit.record(
        actor=None,
        action="consultations.phone_check_start",
        obj=consultation,
        data={"phone": f"*******{phone[-3:]}", "check": check.pk},
    )
    notify.notify(
        channel=Channel.SMS,
        recipient=phone,
        obj=check,
        body=_("Mã xác minh góp ý dự thảo trên DânVận: %(code)s (hiệu lực 10 phút).")
        % {"code": code},
    )
    return check


@transaction.atomic
def phone_check_confirm(*, consultation: Consultation, phone: str, code: str) -> str:
    """Check the code; returns the verified phone number or raises."""
    phone = normalise_phone(phone)
    check = (
        PhoneCheck.objects.select_for_update(of=("self",))
        .filter(
            consultation=consultation,
            phone=phone,
            verified_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )
    if check is None or check.attempts >= PHONE_CODE_ATTEMPTS:
        raise ValidationFailed(_(ERR_CODE), field="code")
    if not hmac.compare_digest(check.code_hash, _code_hash(phone, (code or "").strip())):
        check.attempts += 1
        check.save(update_fields=["attempts"])
        raise ValidationFailed(_(ERR_CODE), field="code")
    check.verified_at = timezone.now()
    check.save(update_fields=["verified_at"])
    audit.record(
        actor=None,
        action="consultations.phone_check_confirm",
        obj=consultation,
        data={"phone": f"*******{phone[-3:]}", "check": check.pk},
    )
    return phone


# --- comments ---------------------------------------------------------------------------------
@transaction.atomic
def comment_submit(
    *,
    actor: Any,
    consultation: Consultation,
    body: str,
    section: Section | None = None,
    author_name: str = "",
    organisation: str = "",
    phone: str = "",
    email: str = "",
    verified_phone: str | None = None,
    follow: bool = False,
) -> Comment:
    """A citizen's comment, held for moderation. The identity required depends on the
    consultation: a verified phone (anonymous), a name and a contact (named), or an account."""
    consultation = Consultation.objects.select_for_update(of=("self",)).get(pk=consultation.pk)
    if not consultation.accepts_comments():
        raise InvalidTransition(_(ERR_NOT_OPEN))
    body = (body or "").strip()
    if len(body) < 10:
        raise ValidationFailed(_(ERR_BODY), field="body")
    if section is not None and section.consultation_id != consultation.pk:
        raise ValidationFailed(_(ERR_SECTION), field="section")
    user = actor if getattr(actor, "is_authenticated", False) else None
    author_name, organisation = author_name.strip(), organisation.strip()
    phone_ok = False
    level = consultation.identity_level
    if level == IdentityLevel.SIGNED_IN:
        if user is None:
            raise PermissionDeniedError(_(ERR_SIGN_IN))
        author_name = author_name or user.get_full_name()
        phone = phone or getattr(user, "phone", "")
        email = email or user.email
    elif level == IdentityLevel.NAMED:
        if not (author_name or organisation):
            raise ValidationFailed(_(ERR_NAME_REQUIRED), field="author_name")
        if not (phone or email):
            raise ValidationFailed(_(ERR_CONTACT_REQUIRED), field="phone")
    else:  # anonymous with a verified phone
        if not verified_phone:
            raise ValidationFailed(_(ERR_PHONE_UNVERIFIED), field="phone")
        phone, phone_ok = verified_phone, True
    if phone and not phone_ok:
        phone = normalise_phone(phone)
    if email and not _EMAIL.match(email.strip()):
        raise ValidationFailed(_(ERR_RECIPIENT), field="email")
    number = (consultation.comments.aggregate(m=Max("number"))["m"] or 0) + 1
    comment = Comment(
        consultation=consultation,
        section=section,
        number=number,
        author_user=user,
        author_name=author_name,
        organisation=organisation,
        phone=phone,
        email=email.strip(),
        phone_verified=phone_ok,
        body=body,
    )
    comment.full_clean()
    comment.save()
    if follow and (phone or email):
        consultation_follow(consultation=consultation, contact=email.strip() or phone)
    audit.record(
        actor=actor,
        action="consultations.comment_submit",
        obj=comment,
        object_repr=f"Ý kiến số {number} — {consultation.title}"[:300],
        data={
            "section": section.label if section else None,
            "identity": level,
            "flags": policy.screen(body),
        },
    )
    return comment


@transaction.atomic
def comment_moderate(
    *, actor: Any, comment: Comment, publish: bool, reason: str = "", note: str = ""
) -> Comment:
    """Publish a comment, or refuse it for a reason of the published policy."""
    _require(actor, "consultations.moderate_comment", comment)
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("consultation__agency", "section")
        .get(pk=comment.pk)
    )
    if comment.status != CommentStatus.PENDING:
        raise InvalidTransition(_(ERR_ALREADY_MODERATED))
    if not publish and reason not in policy.REASON_CODES:
        raise ValidationFailed(_(ERR_REASON), field="reason")
    before = audit.snapshot(comment, ["status", "moderation_reason"])
    comment.status = CommentStatus.PUBLISHED if publish else CommentStatus.REJECTED
    comment.moderation_reason = "" if publish else reason
    comment.moderation_note = note.strip()[:300]
    comment.moderated_by = actor
    comment.moderated_at = timezone.now()
    comment.save()
    if publish:
        search.index(
            SEARCH_COMMENT,
            comment.pk,
            comment.body,
            comment.section.label if comment.section else "",
            comment.public_author,
        )
    audit.record(
        actor=actor,
        action="consultations.comment_moderate",
        obj=comment,
        changes=audit.changes_of(comment, before),
        data={
            "reason": reason,
            "reason_label": policy.reason_label(reason) if reason else "",
            "note": comment.moderation_note,
        },
    )
    return comment


@transaction.atomic
def consultation_close(*, actor: Any, consultation: Consultation) -> Consultation:
    """End the comment period (by an official, or by the scheduler at ``closes_at``)."""
    if actor is not None:
        _require(actor, "consultations.change_consultation", consultation)
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=consultation.pk)
    )
    if consultation.status != ConsultationStatus.OPEN:
        raise InvalidTransition(_(ERR_ALREADY_CLOSED))
    before = audit.snapshot(consultation, ["status"])
    consultation.status = ConsultationStatus.CLOSED
    consultation.closed_at = timezone.now()
    consultation.save(update_fields=["status", "closed_at", "updated_at"])
    count = consultation.comments.filter(status=CommentStatus.PUBLISHED).count()
    sent = _notify_followers(
        consultation,
        _("Kết thúc lấy ý kiến: %(title)s") % {"title": consultation.title[:120]},
        _(
            "Cơ quan %(agency)s đã kết thúc lấy ý kiến dự thảo “%(title)s” với %(n)d ý kiến được đăng. "
            "Kết quả tiếp thu, giải trình sẽ được công bố tại %(url)s"
        )
        % {
            "agency": consultation.agency.name,
            "title": consultation.title,
            "n": count,
            "url": public_url(consultation),
        },
    )
    audit.record(
        actor=actor,
        action="consultations.consultation_close",
        obj=consultation,
        changes=audit.changes_of(consultation, before),
        data={"comments": count, "notified": sent, "by": "user" if actor else "scheduler"},
    )
    return consultation


def close_due(now: datetime | None = None) -> int:
    """Close every open consultation whose period has ended (the scheduler's job)."""
    now = now or timezone.now()
    n = 0
    for c in Consultation.objects.filter(status=ConsultationStatus.OPEN, closes_at__lte=now):
        consultation_close(actor=None, consultation=c)
        n += 1
    return n


# --- responses, synthesis report, publication ---------------------------------------------------
@transaction.atomic
def comment_respond(*, actor: Any, comment: Comment, outcome: str, text: str) -> Response:
    """Record (or change, until the report is issued) the agency's answer to a comment."""
    _require(actor, "consultations.respond_comment", comment)
    consultation = Consultation.objects.get(pk=comment.consultation_id)
    if consultation.status != ConsultationStatus.CLOSED or consultation.report_symbol:
        raise InvalidTransition(_(ERR_NOT_CLOSED))
    if comment.status != CommentStatus.PUBLISHED:
        raise InvalidTransition(_(ERR_NOT_PUBLISHED_COMMENT))
    if outcome not in ResponseOutcome.values:
        raise ValidationFailed(_(ERR_RESPONSE_TEXT), field="outcome")
    if not (text or "").strip():
        raise ValidationFailed(_(ERR_RESPONSE_TEXT), field="text")
    response = Response.objects.filter(comment=comment).first()
    before = audit.snapshot(response, ["outcome", "text"]) if response else {}
    if response is None:
        response = Response(comment=comment)
    response.outcome, response.text = outcome, text.strip()
    response.responded_by, response.responded_at = actor, timezone.now()
    response.full_clean()
    response.save()
    audit.record(
        actor=actor,
        action="consultations.comment_respond",
        obj=response,
        changes=audit.changes_of(response, before) if before else {},
        data={"comment": comment.number, "outcome": outcome},
    )
    return response


@transaction.atomic
def synthesis_issue(
    *, actor: Any, consultation: Consultation, signer: str, signer_position: str
) -> Consultation:
    """Number the synthesis report (BC) once every published comment has its answer."""
    _require(actor, "consultations.publish_consultation", consultation)
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=consultation.pk)
    )
    if consultation.status != ConsultationStatus.CLOSED:
        raise InvalidTransition(_(ERR_NOT_CLOSED))
    if not signer.strip() or not signer_position.strip():
        raise ValidationFailed(_(ERR_SIGNER), field="signer")
    pending = consultation.comments.filter(status=CommentStatus.PENDING).count()
    if pending:
        raise InvalidTransition(_(ERR_PENDING_LEFT).format(n=pending))
    unanswered = consultation.comments.filter(
        status=CommentStatus.PUBLISHED, response__isnull=True
    ).count()
    if unanswered:
        raise InvalidTransition(_(ERR_UNANSWERED).format(n=unanswered))
    today = timezone.localdate()
    if not consultation.report_symbol:
        issued = issue_number(
            issuer=consultation.agency.code,
            issuer_symbol=consultation.agency.symbol,
            doc_type="BC",
            on=today,
            obj=consultation,
            actor=actor,
            title=f"Tổng hợp, tiếp thu, giải trình ý kiến góp ý dự thảo {consultation.title}",
        )
        consultation.report_symbol, consultation.report_issued_on = issued.symbol, today
    consultation.report_signer = signer.strip()[:150]
    consultation.report_signer_position = signer_position.strip()[:150]
    consultation.save(
        update_fields=[
            "report_symbol",
            "report_issued_on",
            "report_signer",
            "report_signer_position",
            "updated_at",
        ]
    )
    audit.record(
        actor=actor,
        action="consultations.synthesis_issue",
        obj=consultation,
        data={"symbol": consultation.report_symbol, "signer": consultation.report_signer},
    )
    return consultation


@transaction.atomic
def consultation_publish(
    *,
    actor: Any,
    consultation: Consultation,
    final_text: str = "",
    final_upload: UploadedFile | None = None,
) -> Consultation:
    """Publish the synthesis report and the final text; tell the followers."""
    _require(actor, "consultations.publish_consultation", consultation)
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=consultation.pk)
    )
    if consultation.status == ConsultationStatus.PUBLISHED:
        raise InvalidTransition(_(ERR_ALREADY_PUBLISHED))
    if consultation.status != ConsultationStatus.CLOSED:
        raise InvalidTransition(_(ERR_NOT_CLOSED))
    if not consultation.report_symbol:
        raise InvalidTransition(_(ERR_NO_REPORT))
    final_text = (final_text or "").strip()
    has_final_file = bool(attachments_of(consultation, "final"))
    if not final_text and final_upload is None and not has_final_file:
        raise ValidationFailed(_(ERR_FINAL_TEXT), field="final_text")
    if final_upload is not None:
        files.attachment_create(
            upload=final_upload,
            actor=actor,
            owner=consultation,
            purpose="final",
            allowed=("pdf", "docx"),
        )
    before = audit.snapshot(consultation, ["status"])
    consultation.final_text = final_text
    consultation.status = ConsultationStatus.PUBLISHED
    consultation.published_at = timezone.now()
    consultation.save(update_fields=["final_text", "status", "published_at", "updated_at"])
    sent = _notify_followers(
        consultation,
        _("Công bố kết quả lấy ý kiến: %(title)s") % {"title": consultation.title[:120]},
        _(
            "Đã công bố báo cáo tổng hợp, tiếp thu, giải trình số %(symbol)s và văn bản hoàn "
            "chỉnh của dự thảo “%(title)s”: %(url)s"
        )
        % {
            "symbol": consultation.report_symbol,
            "title": consultation.title,
            "url": public_url(consultation),
        },
    )
    audit.record(
        actor=actor,
        action="consultations.consultation_publish",
        obj=consultation,
        changes=audit.changes_of(consultation, before),
        data={"symbol": consultation.report_symbol, "notified": sent},
    )
    return consultation
