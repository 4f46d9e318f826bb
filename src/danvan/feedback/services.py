"""Writes of the feedback app. Each step is one service: it checks the actor's permission and the
item's state, writes the item, its timeline event and the audit record in one transaction, and
queues the sender's SMS/e-mail (core outbox) so that it leaves only after the commit.

Deadlines come only from the versioned rules ``feedback.transfer`` (5 working days) and
``feedback.answer`` through :mod:`danvan.core.deadlines`, counted in the agency's office hours.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danvan.core import audit, files, notify, refcache, search
from danvan.core.calendar import WorkingCalendar, as_local, get_calendar
from danvan.core.deadlines import deadline_for
from danvan.core.errors import (
    ApplicationError,
    InvalidTransition,
    PermissionDeniedError,
    ValidationFailed,
)
from danvan.core.models import Attachment
from danvan.feedback import limits, selectors
from danvan.feedback.models import (
    IDENTITY_REQUIRED,
    OPEN_STATUSES,
    Category,
    Channel,
    EventKind,
    Feedback,
    FeedbackEvent,
    ReplyTemplate,
    RoutingRule,
    Status,
)
from danvan.feedback.redaction import redact
from danvan.org.models import AdminUnit, Agency, AgencyKind, Official, UnitLevel, User
from danvan.org.roles import Role
from danvan.org.selectors import official_of

SEARCH_KIND = selectors.SEARCH_KIND
PUBLIC_SEARCH_KIND = selectors.PUBLIC_SEARCH_KIND
search.register(SEARCH_KIND, "Phản ánh, kiến nghị (nội bộ)")
search.register(PUBLIC_SEARCH_KIND, "Phản ánh, kiến nghị đã công khai")

MAX_ATTACHMENTS = 5
MIN_CONTENT = 20
MAX_CONTENT = 5000
ATTACHMENT_OWNER = selectors.ATTACHMENT_OWNER
PURPOSE_SUBMISSION = "submission"
PURPOSE_ANSWER = "answer"

# --- messages (Vietnamese, shown as they are) --------------------------------------------------
ERR_NOT_ALLOWED = gettext_noop("Bạn không có quyền thực hiện thao tác này.")
ERR_TRANSITION = gettext_noop("Không thể {action} khi phản ánh đang ở trạng thái “{status}”.")
ERR_IDENTITY = gettext_noop(
    "Phản ánh về quy định hành chính phải ghi rõ họ và tên, địa chỉ và số điện thoại của người "
    "gửi (Nghị định 20/2008/NĐ-CP)."
)
ERR_NAME = gettext_noop("Cần ghi họ và tên người gửi.")
ERR_SENDER_ADDRESS = gettext_noop("Cần ghi địa chỉ người gửi.")
ERR_SENDER_PHONE = gettext_noop("Cần ghi số điện thoại người gửi.")
ERR_PHONE = gettext_noop("Số điện thoại không hợp lệ (cần 10 chữ số, ví dụ 0912345678).")
ERR_EMAIL = gettext_noop("Địa chỉ thư điện tử không hợp lệ.")
ERR_CATEGORY = gettext_noop("Hãy chọn loại phản ánh.")
ERR_TITLE = gettext_noop("Cần ghi tiêu đề (tối đa 200 ký tự).")
ERR_CONTENT_SHORT = gettext_noop("Nội dung quá ngắn: hãy mô tả rõ sự việc (ít nhất {n} ký tự).")
ERR_CONTENT_LONG = gettext_noop("Nội dung quá dài (tối đa {n} ký tự).")
ERR_UNIT = gettext_noop("Hãy chọn xã, phường, thị trấn trong danh sách.")
ERR_PLACE_REQUIRED = gettext_noop("Phản ánh về vấn đề ở địa phương cần chọn xã, phường nơi xảy ra.")
ERR_COORDINATES = gettext_noop("Tọa độ không hợp lệ (vĩ độ −90…90, kinh độ −180…180, ghi cả hai).")
ERR_TOO_MANY_FILES = gettext_noop("Chỉ được đính kèm tối đa {n} tệp.")
ERR_NO_AGENCY = gettext_noop(
    "Chưa có cơ quan nào để tiếp nhận phản ánh. Quản trị hệ thống cần cấu hình quy tắc chuyển "
    "phản ánh."
)
ERR_FUTURE = gettext_noop("Thời điểm tiếp nhận không được ở tương lai.")
ERR_HANDLER = gettext_noop("{user} không phải cán bộ của {agency}.")
ERR_TRANSFER_SAME = gettext_noop("Phản ánh đang ở chính cơ quan này.")
ERR_TRANSFER_AGENCY = gettext_noop("Không thể chuyển tới cơ quan này.")
ERR_REASON = gettext_noop("Cần nêu rõ lý do.")
ERR_MERGE_SELF = gettext_noop("Không thể gộp một phản ánh vào chính nó.")
ERR_MERGE_TARGET = gettext_noop(
    "Phản ánh {code} đã được gộp vào phản ánh khác; hãy gộp vào phản ánh {root}."
)
ERR_MERGE_AGENCY = gettext_noop("Chỉ gộp được vào phản ánh do cùng cơ quan xử lý.")
ERR_ANSWER_EMPTY = gettext_noop("Cần nhập nội dung trả lời.")
ERR_PUBLIC_EMPTY = gettext_noop("Cần có tiêu đề và nội dung trả lời công khai.")
ERR_RULE_UNIT = gettext_noop("Chỉ đặt quy tắc cho địa bàn thuộc phạm vi của bạn.")
ERR_RULE_AGENCY = gettext_noop("Cơ quan tiếp nhận phải đang hoạt động.")
ERR_RULE_EXISTS = gettext_noop("Đã có quy tắc cho loại phản ánh và địa bàn này.")

ACTION_LABELS = {
    "assign": gettext_noop("giao cán bộ xử lý"),
    "transfer": gettext_noop("chuyển phản ánh"),
    "merge": gettext_noop("gộp phản ánh"),
    "answer": gettext_noop("soạn trả lời"),
    "approve": gettext_noop("duyệt trả lời"),
    "return": gettext_noop("trả lại dự thảo"),
    "publish": gettext_noop("công khai"),
}

SMS_RECEIVED = gettext_noop(
    "{site}: Phản ánh, kiến nghị của bạn đã được tiếp nhận. Mã tra cứu: {code}. Hạn trả lời: "
    "{due}. Tra cứu: {url}"
)
SMS_TRANSFERRED = gettext_noop(
    "{site}: Phản ánh {code} không thuộc thẩm quyền của {from_agency}, đã được chuyển tới "
    "{to_agency}. Tra cứu: {url}"
)
SMS_MERGED = gettext_noop(
    "{site}: Phản ánh {code} trùng nội dung với phản ánh {target} đang được xử lý; kết quả sẽ "
    "được trả lời chung. Tra cứu: {url}"
)
SMS_ANSWERED = gettext_noop(
    "{site}: Phản ánh {code} đã được {agency} trả lời. Xem nội dung trả lời: {url}"
)
EMAIL_RECEIVED_SUBJECT = gettext_noop("Đã tiếp nhận phản ánh, kiến nghị {code}")
EMAIL_RECEIVED = gettext_noop(
    "Phản ánh, kiến nghị “{title}” của bạn đã được tiếp nhận lúc {at} và chuyển tới {agency}.\n"
    "Mã tra cứu: {code}\nHạn trả lời: {due}\nTheo dõi tình hình xử lý tại: {url}\n"
)
EMAIL_ANSWERED_SUBJECT = gettext_noop("Trả lời phản ánh, kiến nghị {code}")
EMAIL_ANSWERED = gettext_noop(
    "{agency} trả lời phản ánh, kiến nghị {code} (“{title}”) của bạn như sau:\n\n{answer}\n\n"
    "Xem tại: {url}\n"
)
EMAIL_NOTICE_SUBJECT = gettext_noop("Phản ánh, kiến nghị {code}")
REMINDER_SUBJECT = gettext_noop("Sắp đến hạn trả lời phản ánh {code}")
REMINDER_BODY = gettext_noop("Phản ánh {code} (“{title}”) đến hạn trả lời lúc {due}. Xem: {url}")
OVERDUE_SUBJECT = gettext_noop("Phản ánh {code} đã quá hạn trả lời")
OVERDUE_BODY = gettext_noop(
    "Phản ánh {code} (“{title}”) đã quá hạn trả lời từ {due}; cán bộ xử lý: {handler}. Xem: {url}"
)

_PHONE = re.compile(r"^0\d{9,10}$")
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U


# --- small helpers -------------------------------------------------------------------------------
def _now(at: datetime | None) -> datetime:
    return as_local(at) if at is not None else timezone.localtime()


def _fmt(moment: datetime | None) -> str:
    return as_local(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


def _actor_user(actor: Any) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def _require(actor: Any, perm: str, obj: Any = None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDeniedError(_(ERR_NOT_ALLOWED))


def _require_state(item: Feedback, action: str, *allowed: str) -> None:
    if item.status not in allowed:
        raise InvalidTransition(
            _(ERR_TRANSITION).format(
                action=_(ACTION_LABELS[action]), status=item.get_status_display()
            ),
            status=item.status,
        )


def _clean(obj: Any, **kwargs: Any) -> None:
    """``full_clean`` with the first problem raised as ValidationFailed (one error family)."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ValidationFailed(str(messages[0]), field=field) from None


def new_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"PA-{raw[:4]}-{raw[4:]}"


def normalise_code(text: str | None) -> str:
    """What a citizen typed → the stored form: "pa 7k3q x9m2" → "PA-7K3Q-X9M2"."""
    raw = re.sub(r"[^0-9A-Za-z]", "", text or "").upper()
    if raw.startswith("PA"):
        raw = raw[2:]
    raw = raw.translate(str.maketrans("OILU", "011V"))
    return f"PA-{raw[:4]}-{raw[4:]}" if len(raw) == 8 else ""


def tracking_url(item: Feedback) -> str:
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{reverse('feedback-public:track', args=[item.code])}"


def _event(
    item: Feedback,
    kind: str,
    *,
    at: datetime,
    actor: Any = None,
    agency: Agency | None = None,
    to_agency: Agency | None = None,
    note: str = "",
    on_time: bool | None = None,
) -> FeedbackEvent:
    return FeedbackEvent.objects.create(
        feedback=item,
        kind=kind,
        at=at,
        actor=_actor_user(actor),
        agency=agency or item.agency,
        to_agency=to_agency,
        note=note,
        on_time=on_time,
    )


def _tell_sender(item: Feedback, *, sms: str, subject: str, email: str) -> None:
    """The sender's SMS and e-mail (when given), through the outbox: sent after the commit."""
    if item.sender_phone:
        notify.notify(channel="sms", recipient=item.sender_phone, body=sms, obj=item)
    if item.sender_email:
        notify.notify(
            channel="email", recipient=item.sender_email, subject=subject, body=email, obj=item
        )


def personal_values(item: Feedback) -> list[str]:
    """The sender's data that must never be published."""
    values = [item.sender_name, item.sender_address, item.sender_phone, item.sender_email]
    if not item.publish_consent:
        values.append(item.address)
    return [v for v in values if v]


def _index(item: Feedback) -> None:
    text = " ".join(
        t
        for t in (
            item.code,
            item.title,
            item.content,
            item.address,
            item.dossier_code,
            item.sender_name,
        )
        if t
    )
    search.index_many(SEARCH_KIND, [(item.pk, text)])


# --- routing and deadlines -----------------------------------------------------------------------
def _unit_depth(unit: AdminUnit | None) -> int:
    return len([p for p in unit.path.split("/") if p]) if unit is not None else 0


def _ancestor_ids(unit: AdminUnit | None) -> list[int]:
    if unit is None:
        return []
    return [int(p) for p in unit.path.split("/") if p]


ROUTING_DEPENDS_ON = (RoutingRule, Agency, AdminUnit)


def _routing_rules() -> dict[str, list[RoutingRule]]:
    """The routing rules to active agencies, by category ("" = any category)."""
    out: dict[str, list[RoutingRule]] = {}
    for rule in RoutingRule.objects.filter(agency__is_active=True).select_related("agency", "unit"):
        out.setdefault(rule.category, []).append(rule)
    return out


def fallback_agency() -> Agency | None:
    """Where feedback goes when no rule matches: the province's People's Committee."""

    def load() -> Agency | None:
        base = Agency.objects.filter(is_active=True, is_partner=False)
        return (
            base.filter(parent__isnull=True, kind=AgencyKind.PEOPLES_COMMITTEE)
            .order_by("pk")
            .first()
            or base.order_by("pk").first()
        )

    return refcache.memo("feedback.fallback_agency", load, depends_on=(Agency,))


def route(*, category: str, unit: AdminUnit | None) -> tuple[Agency, RoutingRule | None]:
    """The agency that receives feedback of ``category`` about ``unit``: the most specific
    routing rule (the category's own rule before a rule for any category, then the deepest
    unit), else the province's People's Committee."""
    ancestors = set(_ancestor_ids(unit))
    rules = refcache.memo("feedback.routing", _routing_rules, depends_on=ROUTING_DEPENDS_ON)
    candidates = [
        r
        for r in rules.get(category, []) + rules.get("", [])
        if r.unit_id is None or r.unit_id in ancestors
    ]
    if candidates:
        best = max(candidates, key=lambda r: (r.category == category, _unit_depth(r.unit)))
        return best.agency, best
    agency = fallback_agency()
    if agency is None:
        raise ApplicationError(_(ERR_NO_AGENCY), code="no_agency")
    return agency, None


def _set_deadlines(
    item: Feedback, start: datetime, calendar: WorkingCalendar | None = None
) -> None:
    """Transfer deadline and answer deadline for the agency now holding ``item``, counted from
    ``start`` in its office hours, under the rule versions in force on the day of receipt."""
    cal = calendar or get_calendar()
    hours = item.agency.office_hours()
    received_on = as_local(item.received_at).date()
    transfer, _rule = deadline_for(
        "feedback.transfer", start, received_on=received_on, hours=hours, calendar=cal
    )
    answer, rule = deadline_for(
        "feedback.answer", start, received_on=received_on, hours=hours, calendar=cal
    )
    item.routed_at = start
    item.transfer_due_at = transfer.due
    item.due_at = answer.due
    item.answer_rule = rule


# --- submission ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Submission:
    """What a citizen sends (the public form and Open311 alike)."""

    category: str
    title: str
    content: str
    dossier_code: str = ""
    unit: AdminUnit | None = None
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    media_url: str = ""
    sender_name: str = ""
    sender_address: str = ""
    sender_phone: str = ""
    sender_email: str = ""
    publish_consent: bool = False
    channel: str = Channel.WEB


def validate_submission(data: Submission, uploads: Sequence[UploadedFile] = ()) -> None:
    """The rules of the form and of Open311 (one place): raise ValidationFailed on the first
    broken one, naming its field."""
    if data.category not in Category.values:
        raise ValidationFailed(_(ERR_CATEGORY), field="category")
    if not data.title.strip() or len(data.title) > 200:
        raise ValidationFailed(_(ERR_TITLE), field="title")
    content = data.content.strip()
    if len(content) < MIN_CONTENT:
        raise ValidationFailed(_(ERR_CONTENT_SHORT).format(n=MIN_CONTENT), field="content")
    if len(content) > MAX_CONTENT:
        raise ValidationFailed(_(ERR_CONTENT_LONG).format(n=MAX_CONTENT), field="content")
    if data.category in IDENTITY_REQUIRED:
        for value, field in (
            (data.sender_name, "sender_name"),
            (data.sender_address, "sender_address"),
            (data.sender_phone, "sender_phone"),
        ):
            if not value.strip():
                raise ValidationFailed(_(ERR_IDENTITY), field=field)
    if data.sender_phone and not _PHONE.match(limits.normalise_phone(data.sender_phone)):
        raise ValidationFailed(_(ERR_PHONE), field="sender_phone")
    if data.sender_email:
        try:
            validate_email(data.sender_email)
        except ValidationError:
            raise ValidationFailed(_(ERR_EMAIL), field="sender_email") from None
    if data.unit is not None and (data.unit.level != UnitLevel.COMMUNE or not data.unit.is_current):
        raise ValidationFailed(_(ERR_UNIT), field="unit")
    if data.category == Category.LOCAL and data.unit is None:
        raise ValidationFailed(_(ERR_PLACE_REQUIRED), field="unit")
    lat, lng = data.latitude, data.longitude
    if (lat is None) != (lng is None) or (
        lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180)
    ):
        raise ValidationFailed(_(ERR_COORDINATES), field="latitude")
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationFailed(_(ERR_TOO_MANY_FILES).format(n=MAX_ATTACHMENTS), field="files")
    for upload in uploads:
        files.check_upload(upload, files.IMAGES_AND_PDF)


def _attach(
    item: Feedback, uploads: Sequence[UploadedFile], actor: Any, purpose: str
) -> list[Attachment]:
    return [
        files.attachment_create(
            upload=u, actor=actor, owner=item, purpose=purpose, allowed=files.IMAGES_AND_PDF
        )
        for u in uploads
    ]


def feedback_submit(
    *,
    actor: Any,
    data: Submission,
    uploads: Sequence[UploadedFile] = (),
    ip: str | None = None,
    received_at: datetime | None = None,
    actor_label: str | None = None,
    at_agency: Agency | None = None,
) -> Feedback:
    """Receive a citizen's feedback: validate it (the category's required fields, attachments),
    apply the abuse limits, route it, set its deadlines, give it a tracking code, and tell the
    sender (SMS/e-mail) once committed.

    An official entering feedback that reached their agency in writing or by phone passes
    ``at_agency`` (their own: no routing, no abuse limits; transfer it if it is not within the
    agency's competence) and ``received_at`` (when it arrived; not in the future).

    Everything that only reads (validation, abuse limits, routing, deadlines) happens before the
    write transaction opens: on SQLite a writer holds the database while its transaction is open,
    so the transaction holds only the writes.
    """
    now = _now(None)
    received = _now(received_at)
    validate_submission(data, uploads)
    if at_agency is not None:
        _require(actor, "feedback.add_feedback", at_agency)
        if received > now:
            raise ValidationFailed(_(ERR_FUTURE), field="received_at")
        agency, rule = at_agency, None
    else:
        limits.check(ip=ip, phone=data.sender_phone, now=now)
        agency, rule = route(category=data.category, unit=data.unit)
    item = Feedback(
        category=data.category,
        channel=data.channel,
        title=data.title.strip(),
        content=data.content.strip(),
        dossier_code=data.dossier_code.strip(),
        unit=data.unit,
        address=data.address.strip(),
        latitude=data.latitude,
        longitude=data.longitude,
        media_url=data.media_url.strip(),
        sender_name=data.sender_name.strip(),
        sender_address=data.sender_address.strip(),
        sender_phone=limits.normalise_phone(data.sender_phone),
        sender_email=data.sender_email.strip().lower(),
        publish_consent=data.publish_consent,
        submitter_ip=ip or None,
        agency=agency,
        received_at=received,
        status=Status.RECEIVED,
    )
    _set_deadlines(item, received)
    # the agency, the place and the rule were just read from the database
    _clean(item, exclude=["code", "agency", "unit", "answer_rule"])
    with transaction.atomic():
        _store_submission(
            item,
            uploads=uploads,
            actor=actor,
            agency=agency,
            rule=rule,
            received=received,
            actor_label=actor_label,
        )
        if at_agency is None:  # in the same write transaction (one lock on SQLite, not three)
            limits.count(ip=ip, phone=data.sender_phone, now=now)
    return item


def _store_submission(
    item: Feedback,
    *,
    uploads: Sequence[UploadedFile],
    actor: Any,
    agency: Agency,
    rule: Any,
    received: datetime,
    actor_label: str | None,
) -> None:
    """The writes of :func:`feedback_submit`, in its transaction."""
    for _attempt in range(5):
        item.code = new_code()
        try:
            with transaction.atomic():
                item.save(force_insert=True)
            break
        except IntegrityError:
            item.pk = None
            if Feedback.objects.filter(code=item.code).exists():
                continue
            raise
    _attach(item, uploads, actor, PURPOSE_SUBMISSION)
    _event(
        item,
        EventKind.RECEIVED,
        at=received,
        actor=actor,
        to_agency=agency,
        note=str(rule) if rule else "",
    )
    audit.record(
        actor=actor,
        action="feedback.feedback_submit",
        obj=item,
        object_repr=item.code,
        data={
            "category": item.category,
            "channel": item.channel,
            "agency": agency.pk,
            "rule": rule.pk if rule else None,
            "attachments": len(uploads),
            "due_at": item.due_at,
        },
        actor_label=actor_label or (None if _actor_user(actor) else "công dân"),
    )
    _index(item)
    url = tracking_url(item)
    _tell_sender(
        item,
        sms=_(SMS_RECEIVED).format(
            site=settings.SITE_NAME,
            code=item.code,
            due=as_local(item.due_at).strftime("%d/%m/%Y"),
            url=url,
        ),
        subject=_(EMAIL_RECEIVED_SUBJECT).format(code=item.code),
        email=_(EMAIL_RECEIVED).format(
            title=item.title,
            at=_fmt(received),
            agency=agency.name,
            code=item.code,
            due=_fmt(item.due_at),
            url=url,
        ),
    )


# --- handling ------------------------------------------------------------------------------------
def _locked(item: Feedback) -> Feedback:
    """Re-read ``item`` under a row lock (PostgreSQL; SQLite's writes are serialised anyway)."""
    return Feedback.objects.select_for_update().select_related("agency").get(pk=item.pk)


@transaction.atomic
def feedback_assign(
    *, actor: User, item: Feedback, handler: User, at: datetime | None = None
) -> Feedback:
    """Give the item to a handler of the agency holding it."""
    item = _locked(item)
    _require(actor, "feedback.assign_feedback", item)
    _require_state(item, "assign", *OPEN_STATUSES)
    if not Official.objects.filter(user=handler, agency=item.agency, is_active=True).exists():
        raise ValidationFailed(
            _(ERR_HANDLER).format(user=handler.get_full_name(), agency=item.agency.name),
            field="handler",
        )
    before = audit.snapshot(item, ["handler", "status"])
    now = _now(at)
    item.handler = handler
    if item.status == Status.RECEIVED:
        item.status = Status.PROCESSING
    item.save(update_fields=["handler", "status", "updated_at"])
    _event(item, EventKind.ASSIGNED, at=now, actor=actor, note=handler.get_full_name())
    audit.record(
        actor=actor,
        action="feedback.feedback_assign",
        obj=item,
        object_repr=item.code,
        changes=audit.changes_of(item, before),
    )
    return item


@transaction.atomic
def feedback_transfer(
    *, actor: User, item: Feedback, to_agency: Agency, reason: str, at: datetime | None = None
) -> Feedback:
    """Send an item that is not within the agency's competence to the competent one (Decree 20:
    within 5 working days of receipt), restart its deadlines there and tell the sender."""
    item = _locked(item)
    _require(actor, "feedback.transfer_feedback", item)
    _require_state(item, "transfer", Status.RECEIVED, Status.PROCESSING)
    if to_agency.pk == item.agency_id:
        raise ValidationFailed(_(ERR_TRANSFER_SAME), field="agency")
    if not to_agency.is_active or to_agency.is_partner:
        raise ValidationFailed(_(ERR_TRANSFER_AGENCY), field="agency")
    if not reason.strip():
        raise ValidationFailed(_(ERR_REASON), field="reason")
    now = _now(at)
    from_agency = item.agency
    on_time = now <= item.transfer_due_at
    before = audit.snapshot(item, ["agency", "handler", "status", "due_at"])
    item.agency = to_agency
    item.handler = None
    item.status = Status.RECEIVED
    _set_deadlines(item, now)
    item.save(
        update_fields=[
            "agency",
            "handler",
            "status",
            "routed_at",
            "transfer_due_at",
            "due_at",
            "answer_rule",
            "updated_at",
        ]
    )
    _event(
        item,
        EventKind.TRANSFERRED,
        at=now,
        actor=actor,
        agency=from_agency,
        to_agency=to_agency,
        note=reason.strip(),
        on_time=on_time,
    )
    audit.record(
        actor=actor,
        action="feedback.feedback_transfer",
        obj=item,
        object_repr=item.code,
        changes=audit.changes_of(item, before),
        data={"reason": reason.strip(), "on_time": on_time},
    )
    url = tracking_url(item)
    sms = _(SMS_TRANSFERRED).format(
        site=settings.SITE_NAME,
        code=item.code,
        from_agency=from_agency.name,
        to_agency=to_agency.name,
        url=url,
    )
    _tell_sender(item, sms=sms, subject=_(EMAIL_NOTICE_SUBJECT).format(code=item.code), email=sms)
    return item


def duplicates_of(item: Feedback) -> list[Feedback]:
    """Every item merged into ``item``, directly or through another duplicate."""
    found: list[Feedback] = []
    level = [item.pk]
    seen = {item.pk}
    while level:
        rows = [r for r in Feedback.objects.filter(duplicate_of_id__in=level) if r.pk not in seen]
        seen.update(r.pk for r in rows)
        found.extend(rows)
        level = [r.pk for r in rows]
    return found


def merge_root(item: Feedback) -> Feedback:
    """The item a chain of duplicates ends at."""
    seen = set()
    while item.duplicate_of_id is not None and item.pk not in seen:
        seen.add(item.pk)
        item = Feedback.objects.select_related("agency").get(pk=item.duplicate_of_id)
    return item


@transaction.atomic
def feedback_merge(
    *, actor: User, item: Feedback, into: Feedback, note: str = "", at: datetime | None = None
) -> Feedback:
    """Close ``item`` as a duplicate of ``into`` (handled together, answered together); the
    sender is told which item it joined."""
    item = _locked(item)
    _require(actor, "feedback.merge_feedback", item)
    _require_state(item, "merge", Status.RECEIVED, Status.PROCESSING)
    if into.pk == item.pk:
        raise ValidationFailed(_(ERR_MERGE_SELF), field="into")
    into = Feedback.objects.select_related("agency").get(pk=into.pk)
    if into.status == Status.MERGED:
        root = merge_root(into)
        raise ValidationFailed(
            _(ERR_MERGE_TARGET).format(code=into.code, root=root.code), field="into"
        )
    if into.agency_id != item.agency_id:
        raise ValidationFailed(_(ERR_MERGE_AGENCY), field="into")
    now = _now(at)
    before = audit.snapshot(item, ["status", "duplicate_of"])
    item.status = Status.MERGED
    item.duplicate_of = into
    item.save(update_fields=["status", "duplicate_of", "updated_at"])
    _event(item, EventKind.MERGED, at=now, actor=actor, note=f"{into.code} {note}".strip())
    audit.record(
        actor=actor,
        action="feedback.feedback_merge",
        obj=item,
        object_repr=item.code,
        changes=audit.changes_of(item, before),
        data={"into": into.code, "note": note},
    )
    sms = _(SMS_MERGED).format(
        site=settings.SITE_NAME, code=item.code, target=into.code, url=tracking_url(item)
    )
    _tell_sender(item, sms=sms, subject=_(EMAIL_NOTICE_SUBJECT).format(code=item.code), email=sms)
    return item


@transaction.atomic
def feedback_answer(
    *,
    actor: User,
    item: Feedback,
    text: str,
    uploads: Sequence[UploadedFile] = (),
    submit: bool = True,
    at: datetime | None = None,
) -> Feedback:
    """Draft the answer (text and attachments); ``submit`` sends it to the head for approval.
    A handler who answers an item nobody was given takes it."""
    item = _locked(item)
    _require(actor, "feedback.answer_feedback", item)
    _require_state(item, "answer", *OPEN_STATUSES)
    if not text.strip():
        raise ValidationFailed(_(ERR_ANSWER_EMPTY), field="text")
    existing = Attachment.objects.filter(
        owner_type=ATTACHMENT_OWNER, owner_id=str(item.pk), purpose=PURPOSE_ANSWER
    ).count()
    if existing + len(uploads) > MAX_ATTACHMENTS:
        raise ValidationFailed(_(ERR_TOO_MANY_FILES).format(n=MAX_ATTACHMENTS), field="files")
    for upload in uploads:
        files.check_upload(upload, files.IMAGES_AND_PDF)
    now = _now(at)
    before = audit.snapshot(item, ["status", "handler", "answer_text"])
    item.answer_text = text.strip()
    item.answer_drafted_by = actor
    if item.handler_id is None:
        item.handler = actor
    if submit:
        item.status = Status.AWAITING_APPROVAL
        item.answer_submitted_at = now
    elif item.status == Status.RECEIVED:
        item.status = Status.PROCESSING
    item.save(
        update_fields=[
            "answer_text",
            "answer_drafted_by",
            "handler",
            "status",
            "answer_submitted_at",
            "updated_at",
        ]
    )
    _attach(item, uploads, actor, PURPOSE_ANSWER)
    if submit:
        _event(item, EventKind.ANSWER_SUBMITTED, at=now, actor=actor)
    audit.record(
        actor=actor,
        action="feedback.feedback_answer_submit" if submit else "feedback.feedback_answer_draft",
        obj=item,
        object_repr=item.code,
        changes=audit.changes_of(item, before),
        data={"attachments": len(uploads)},
    )
    return item


@transaction.atomic
def feedback_return(*, actor: User, item: Feedback, note: str) -> Feedback:
    """The head sends the draft answer back to the handler with a note."""
    item = _locked(item)
    _require(actor, "feedback.approve_feedback", item)
    _require_state(item, "return", Status.AWAITING_APPROVAL)
    if not note.strip():
        raise ValidationFailed(_(ERR_REASON), field="note")
    now = _now(None)
    item.status = Status.PROCESSING
    item.answer_return_note = note.strip()
    item.save(update_fields=["status", "answer_return_note", "updated_at"])
    _event(item, EventKind.ANSWER_RETURNED, at=now, actor=actor, note=note.strip())
    audit.record(
        actor=actor,
        action="feedback.feedback_answer_return",
        obj=item,
        object_repr=item.code,
        data={"note": note.strip()},
    )
    return item


@transaction.atomic
def feedback_approve(
    *,
    actor: User,
    item: Feedback,
    text: str | None = None,
    publish: bool = True,
    at: datetime | None = None,
) -> Feedback:
    """The head approves the answer (possibly edited): it is sent to the sender (and to the
    senders of the items merged into this one) and, with ``publish``, published at once."""
    item = _locked(item)
    _require(actor, "feedback.approve_feedback", item)
    _require_state(item, "approve", Status.AWAITING_APPROVAL)
    if text is not None:
        if not text.strip():
            raise ValidationFailed(_(ERR_ANSWER_EMPTY), field="text")
        item.answer_text = text.strip()
    now = _now(at)
    before = audit.snapshot(item, ["status", "answer_text"])
    item.status = Status.ANSWERED
    item.approved_by = actor
    item.answered_at = now
    item.answer_return_note = ""
    item.save(
        update_fields=[
            "status",
            "answer_text",
            "approved_by",
            "answered_at",
            "answer_return_note",
            "updated_at",
        ]
    )
    on_time = now <= item.due_at
    _event(item, EventKind.ANSWERED, at=now, actor=actor, on_time=on_time)
    audit.record(
        actor=actor,
        action="feedback.feedback_answer_approve",
        obj=item,
        object_repr=item.code,
        changes=audit.changes_of(item, before),
        data={"on_time": on_time, "publish": publish},
    )
    recipients = [item, *duplicates_of(item)]
    for target in recipients:
        url = tracking_url(target)
        _tell_sender(
            target,
            sms=_(SMS_ANSWERED).format(
                site=settings.SITE_NAME, code=target.code, agency=item.agency.name, url=url
            ),
            subject=_(EMAIL_ANSWERED_SUBJECT).format(code=target.code),
            email=_(EMAIL_ANSWERED).format(
                agency=item.agency.name,
                code=target.code,
                title=target.title,
                answer=item.answer_text,
                url=url,
            ),
        )
    if publish:
        item = feedback_publish(actor=actor, item=item, at=at)
    return item


def public_draft(item: Feedback) -> dict[str, str]:
    """The public version proposed to the head: everything redacted; the question's content only
    when the sender agreed to publication."""
    personal = personal_values(item)
    return {
        "public_title": redact(item.title, personal)[:200],
        "public_content": redact(item.content, personal) if item.publish_consent else "",
        "public_answer": redact(item.answer_text, personal),
    }


@transaction.atomic
def feedback_publish(
    *,
    actor: User,
    item: Feedback,
    public_title: str | None = None,
    public_content: str | None = None,
    public_answer: str | None = None,
    at: datetime | None = None,
) -> Feedback:
    """Publish the answered item on the public list. Whatever text is given, the sender's
    personal data and anything looking like a phone, e-mail or ID number is removed; without the
    sender's consent the question's own content is never published."""
    item = _locked(item)
    _require(actor, "feedback.publish_feedback", item)
    _require_state(item, "publish", Status.ANSWERED)
    personal = personal_values(item)
    draft = public_draft(item)
    title = redact(public_title if public_title is not None else draft["public_title"], personal)
    content = redact(
        public_content if public_content is not None else draft["public_content"], personal
    )
    answer = redact(
        public_answer if public_answer is not None else draft["public_answer"], personal
    )
    if not item.publish_consent:
        content = ""
    if not title.strip() or not answer.strip():
        raise ValidationFailed(_(ERR_PUBLIC_EMPTY), field="public_answer")
    now = _now(at)
    first = item.published_at is None
    before = audit.snapshot(item, ["public_title", "public_content", "public_answer"])
    item.public_title = title.strip()[:200]
    item.public_content = content.strip()
    item.public_answer = answer.strip()
    if first:
        item.published_at = now
        item.published_by = actor
    item.save(
        update_fields=[
            "public_title",
            "public_content",
            "public_answer",
            "published_at",
            "published_by",
            "updated_at",
        ]
    )
    if first:
        _event(item, EventKind.PUBLISHED, at=now, actor=actor)
    audit.record(
        actor=actor,
        action="feedback.feedback_publish",
        obj=item,
        object_repr=item.code,
        changes=audit.changes_of(item, before),
    )
    search.index(
        PUBLIC_SEARCH_KIND,
        item.pk,
        item.public_title,
        item.public_content,
        item.public_answer,
        str(item.get_category_display()),
        item.unit.name if item.unit_id and item.unit else "",
        item.agency.name,
    )
    return item


# --- reminders -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReminderRun:
    due_soon: int
    overdue: int


@transaction.atomic
def feedback_send_reminders(*, now: datetime | None = None) -> ReminderRun:
    """Remind handlers of items due soon (once), and tell heads of agency about items that went
    overdue (once). Called by the periodic job ``feedback.reminders``."""
    moment = _now(now)
    soon = list(
        Feedback.objects.filter(selectors.due_soon_q(moment), reminded_at__isnull=True)
        .select_related("agency", "handler")
        .order_by("due_at")[:500]
    )
    for item in soon:
        handler = item.handler
        recipients = [handler] if handler is not None and handler.email else _heads_of(item.agency)
        for user in recipients:
            notify.notify(
                channel="email",
                recipient=user.email,
                subject=_(REMINDER_SUBJECT).format(code=item.code),
                body=_(REMINDER_BODY).format(
                    code=item.code,
                    title=item.title,
                    due=_fmt(item.due_at),
                    url=office_url(item),
                ),
                obj=item,
            )
        item.reminded_at = moment
        item.save(update_fields=["reminded_at"])
        _event(item, EventKind.REMINDED, at=moment, note=_fmt(item.due_at))
    late = list(
        Feedback.objects.filter(selectors.overdue_q(moment), overdue_notified_at__isnull=True)
        .select_related("agency", "handler")
        .order_by("due_at")[:500]
    )
    for item in late:
        for head in _heads_of(item.agency):
            notify.notify(
                channel="email",
                recipient=head.email,
                subject=_(OVERDUE_SUBJECT).format(code=item.code),
                body=_(OVERDUE_BODY).format(
                    code=item.code,
                    title=item.title,
                    due=_fmt(item.due_at),
                    handler=item.handler.get_full_name() if item.handler else "—",
                    url=office_url(item),
                ),
                obj=item,
            )
        item.overdue_notified_at = moment
        item.save(update_fields=["overdue_notified_at"])
    if soon or late:
        audit.record(
            actor=None,
            action="feedback.reminders_send",
            object_type="feedback.feedback",
            data={"due_soon": [i.code for i in soon], "overdue": [i.code for i in late]},
        )
    return ReminderRun(due_soon=len(soon), overdue=len(late))


def _heads_of(agency: Agency) -> list[User]:
    return [
        o.user
        for o in Official.objects.filter(
            agency=agency, is_active=True, roles__role="head"
        ).select_related("user")
        if o.user.email
    ]


def office_url(item: Feedback) -> str:
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{reverse('feedback:detail', args=[item.pk])}"


# --- routing rules and reply templates -----------------------------------------------------------
@transaction.atomic
def routing_rule_save(*, actor: User, rule: RoutingRule) -> RoutingRule:
    _require(actor, "feedback.change_routingrule", rule)
    official = official_of(actor)
    is_admin = official is not None and official.has_role(Role.SYSADMIN)
    # a committee leader: rules for their own unit and below only
    if not is_admin and (
        rule.unit is None or official is None or not rule.unit.is_within(official.agency.unit)
    ):
        raise PermissionDeniedError(_(ERR_RULE_UNIT))
    if not rule.agency.is_active:
        raise ValidationFailed(_(ERR_RULE_AGENCY), field="agency")
    clash = RoutingRule.objects.filter(category=rule.category, unit=rule.unit).exclude(pk=rule.pk)
    if clash.exists():
        raise ValidationFailed(_(ERR_RULE_EXISTS), field="unit")
    creating = rule.pk is None
    if creating:
        rule.created_by = actor
    _clean(rule, validate_constraints=False)
    rule.save()
    audit.record(
        actor=actor,
        action="feedback.routing_rule_add" if creating else "feedback.routing_rule_change",
        obj=rule,
        data={"category": rule.category, "unit": rule.unit_id, "agency": rule.agency_id},
    )
    return rule


@transaction.atomic
def routing_rule_delete(*, actor: User, rule: RoutingRule) -> None:
    _require(actor, "feedback.change_routingrule", rule)
    audit.record(
        actor=actor,
        action="feedback.routing_rule_delete",
        obj=rule,
        data={"category": rule.category, "unit": rule.unit_id, "agency": rule.agency_id},
    )
    rule.delete()


@transaction.atomic
def reply_template_save(*, actor: User, template: ReplyTemplate) -> ReplyTemplate:
    _require(actor, "feedback.change_replytemplate", template)
    creating = template.pk is None
    _clean(template)
    template.save()
    audit.record(
        actor=actor,
        action="feedback.reply_template_add" if creating else "feedback.reply_template_change",
        obj=template,
        data={"category": template.category, "agency": template.agency_id},
    )
    return template


@transaction.atomic
def reply_template_delete(*, actor: User, template: ReplyTemplate) -> None:
    _require(actor, "feedback.change_replytemplate", template)
    audit.record(
        actor=actor,
        action="feedback.reply_template_delete",
        obj=template,
        data={"category": template.category, "agency": template.agency_id},
    )
    template.delete()


def render_template(template: ReplyTemplate, item: Feedback) -> str:
    """The template's text for ``item`` ({ma}, {ngay}, {co_quan}); unknown fields stay as typed."""
    values = {
        "ma": item.code,
        "ngay": as_local(item.received_at).strftime("%d/%m/%Y"),
        "co_quan": item.agency.name,
    }
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template.body)
