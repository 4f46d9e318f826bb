"""Citizen feedback and recommendations on administrative regulations (phản ánh, kiến nghị).

Decree 20/2008/NĐ-CP (amended by 48/2013 and 92/2017): a citizen sends feedback — about a
regulation, the handling of a dossier, an official's conduct, a local problem, or an initiative —
it is routed to the competent agency (rules: category × unit → agency), transferred within
5 working days when it is not within that agency's competence, answered by a handler, approved by
the head of the agency, sent to the sender and published with the personal data removed.

The sender's personal data lives only in the ``sender_*`` columns, the place (when the sender did
not agree to publication) and ``submitter_ip``; the public list and Open311 read only the
``public_*`` columns, which are redacted when written (:func:`danvan.feedback.redaction.redact`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStamped


class Category(models.TextChoices):
    REGULATION = "regulation", _("Về quy định hành chính")
    DOSSIER = "dossier", _("Về việc giải quyết thủ tục hành chính (hồ sơ)")
    CONDUCT = "conduct", _("Về hành vi, thái độ của cán bộ, công chức")
    LOCAL = "local", _("Về vấn đề ở địa phương")
    INITIATIVE = "initiative", _("Sáng kiến, đề xuất")


# Decree 20/2008 art. 7: feedback on regulations must carry the sender's name, address, phone.
IDENTITY_REQUIRED = frozenset({Category.REGULATION})


class Channel(models.TextChoices):
    WEB = "web", _("Cổng thông tin (biểu mẫu trực tuyến)")
    OPEN311 = "open311", _("Ứng dụng qua Open311")
    OFFICE = "office", _("Cán bộ nhập (văn bản, điện thoại)")


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ lãnh đạo duyệt trả lời")
    ANSWERED = "answered", _("Đã trả lời")
    MERGED = "merged", _("Đã gộp vào phản ánh trùng")


OPEN_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.AWAITING_APPROVAL)
CLOSED_STATUSES = (Status.ANSWERED, Status.MERGED)


class Feedback(TimeStamped):
    """One piece of feedback or recommendation from a citizen."""

    code = models.CharField(_("Mã tra cứu"), max_length=20, unique=True)
    category = models.CharField(_("Loại phản ánh"), max_length=20, choices=Category.choices)
    channel = models.CharField(
        _("Kênh tiếp nhận"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    title = models.CharField(_("Tiêu đề"), max_length=200)
    content = models.TextField(_("Nội dung"))
    dossier_code = models.CharField(_("Mã hồ sơ liên quan"), max_length=40, blank=True)
    # The place the feedback is about.
    unit = models.ForeignKey(
        "org.AdminUnit",
        verbose_name=_("Xã, phường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("Địa chỉ nơi xảy ra"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("Vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("Kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    media_url = models.URLField(_("Đường dẫn ảnh (Open311)"), max_length=500, blank=True)
    # The sender (personal data: never public).
    sender_name = models.CharField(_("Họ và tên người gửi"), max_length=120, blank=True)
    sender_address = models.CharField(_("Địa chỉ người gửi"), max_length=255, blank=True)
    sender_phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)
    sender_email = models.EmailField(_("Thư điện tử"), blank=True)
    publish_consent = models.BooleanField(_("Đồng ý công khai nội dung"), default=False)
    submitter_ip = models.GenericIPAddressField(null=True, blank=True)
    # Where it is and who handles it.
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("Cơ quan xử lý"),
        on_delete=models.PROTECT,
        related_name="feedback_items",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Cán bộ xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("Trạng thái"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    received_at = models.DateTimeField(_("Thời điểm tiếp nhận"))
    routed_at = models.DateTimeField(_("Cơ quan hiện tại nhận lúc"))
    transfer_due_at = models.DateTimeField(_("Hạn chuyển nếu không thuộc thẩm quyền"))
    due_at = models.DateTimeField(_("Hạn trả lời"))
    answer_rule = models.ForeignKey(
        "core.DeadlineRule",
        verbose_name=_("Quy định thời hạn áp dụng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("Trùng với phản ánh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    # The answer: drafted by the handler, approved by the head, then sent.
    answer_text = models.TextField(_("Nội dung trả lời"), blank=True)
    answer_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer_submitted_at = models.DateTimeField(null=True, blank=True)
    answer_return_note = models.TextField(_("Ý kiến của lãnh đạo"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("Đã trả lời lúc"), null=True, blank=True)
    # Publication (redacted when written).
    public_title = models.CharField(_("Tiêu đề công khai"), max_length=200, blank=True)
    public_content = models.TextField(_("Nội dung công khai"), blank=True)
    public_answer = models.TextField(_("Trả lời công khai"), blank=True)
    published_at = models.DateTimeField(_("Công khai lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Reminders.
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "status"], name="fb_agency_status"),
            models.Index(fields=["status", "due_at"], name="fb_status_due"),
            models.Index(fields=["received_at"], name="fb_received"),
            models.Index(fields=["answered_at"], name="fb_answered"),
            models.Index(fields=["published_at"], name="fb_published"),
            models.Index(fields=["updated_at"], name="fb_updated"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_anonymous(self) -> bool:
        return not (self.sender_name or self.sender_phone or self.sender_email)


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Tiếp nhận")
    ASSIGNED = "assigned", _("Giao cán bộ xử lý")
    TRANSFERRED = "transferred", _("Chuyển cơ quan có thẩm quyền")
    MERGED = "merged", _("Gộp vào phản ánh trùng")
    ANSWER_SUBMITTED = "answer_submitted", _("Trình lãnh đạo duyệt trả lời")
    ANSWER_RETURNED = "answer_returned", _("Lãnh đạo trả lại dự thảo trả lời")
    ANSWERED = "answered", _("Trả lời người gửi")
    PUBLISHED = "published", _("Công khai kết quả trả lời")
    REMINDED = "reminded", _("Nhắc hạn")


# Events a citizen sees on the tracking page (the others are internal).
PUBLIC_EVENTS = frozenset(
    {
        EventKind.RECEIVED,
        EventKind.ASSIGNED,
        EventKind.TRANSFERRED,
        EventKind.MERGED,
        EventKind.ANSWERED,
        EventKind.PUBLISHED,
    }
)


class FeedbackEvent(models.Model):
    """One step in the life of a feedback item: its timeline (the audit trail has the rest)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("Bước"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("Thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_time = models.BooleanField(null=True, blank=True)
    note = models.TextField(_("Ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("các bước xử lý")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["kind", "at"], name="fb_event_kind_at")]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.kind}"

    @property
    def is_public(self) -> bool:
        return self.kind in PUBLIC_EVENTS


class RoutingRule(models.Model):
    """Where feedback goes: a category (or any) in a unit and below (or the whole province) →
    an agency. The most specific rule wins: a rule for the category before a rule for any
    category, then the deepest unit."""

    category = models.CharField(
        _("Loại phản ánh"),
        max_length=20,
        choices=Category.choices,
        blank=True,
        help_text=_("Để trống: áp dụng cho mọi loại."),
    )
    unit = models.ForeignKey(
        "org.AdminUnit",
        verbose_name=_("Địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Áp dụng cho địa bàn này và các đơn vị trực thuộc. Để trống: toàn tỉnh."),
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("Cơ quan tiếp nhận, xử lý"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("Ghi chú, căn cứ"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quy tắc chuyển phản ánh")
        verbose_name_plural = _("quy tắc chuyển phản ánh")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "unit"],
                condition=models.Q(unit__isnull=False),
                name="fb_rule_once",
                violation_error_message=_("Đã có quy tắc cho loại phản ánh và địa bàn này."),
            ),
            models.UniqueConstraint(
                fields=["category"],
                condition=models.Q(unit__isnull=True),
                name="fb_rule_once_province",
                violation_error_message=_("Đã có quy tắc cho loại phản ánh và địa bàn này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display() or '*'} × {self.unit or '*'} → {self.agency}"


class ReplyTemplate(TimeStamped):
    """A reply template for a category: the province's (no agency) or one agency's own."""

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("Cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Để trống: mẫu dùng chung toàn tỉnh."),
    )
    category = models.CharField(_("Loại phản ánh"), max_length=20, choices=Category.choices)
    title = models.CharField(_("Tên mẫu"), max_length=150)
    body = models.TextField(
        _("Nội dung mẫu"),
        help_text=_("Có thể dùng {ma} (mã phản ánh), {ngay} (ngày tiếp nhận), {co_quan}."),
    )

    class Meta:
        verbose_name = _("mẫu trả lời")
        verbose_name_plural = _("mẫu trả lời")
        ordering = ["category", "title"]

    def __str__(self) -> str:
        return self.title


class Open311Key(models.Model):
    """An API key for an Open311 client. While any key is active, posting requires one."""

    name = models.CharField(_("Ứng dụng"), max_length=120)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    is_active = models.BooleanField(_("Đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("khóa Open311")
        verbose_name_plural = _("khóa Open311")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
