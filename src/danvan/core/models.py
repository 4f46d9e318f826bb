"""Models of the core: domain-free building blocks shared by every app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


# --- Audit trail -------------------------------------------------------------------------------
class AuditRecord(models.Model):
    """One audited action. Append-only (triggers refuse UPDATE/DELETE) and hash-chained."""

    seq = models.BigIntegerField(_("Số thứ tự"), unique=True)
    occurred_at = models.DateTimeField(_("Thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("Người thực hiện (tên)"), max_length=200)
    action = models.CharField(_("Hành động"), max_length=100, db_index=True)
    object_type = models.CharField(_("Loại đối tượng"), max_length=100)
    object_id = models.CharField(_("Mã đối tượng"), max_length=64)
    object_repr = models.CharField(_("Đối tượng"), max_length=300, blank=True)
    changes = models.JSONField(_("Thay đổi (trước/sau)"), default=dict)
    data = models.JSONField(_("Dữ liệu kèm theo"), default=dict)
    ip = models.GenericIPAddressField(_("Địa chỉ IP"), null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("bản ghi nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The last link of the chain; locked while appending so that records stay in order."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"#{self.seq}"


# --- API tokens --------------------------------------------------------------------------------
class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"


# --- Working-day calendar ----------------------------------------------------------------------
class CalendarException(models.Model):
    """A day that differs from the statutory calendar: an extra day off or compensatory day, or a
    working Saturday announced by the Government. Takes effect at once."""

    day = models.DateField(_("Ngày"), unique=True)
    is_working_day = models.BooleanField(
        _("Là ngày làm việc"), help_text=_("Bật: làm việc bù (ví dụ thứ Bảy). Tắt: ngày nghỉ.")
    )
    name = models.CharField(_("Tên, lý do"), max_length=200)
    legal_basis = models.CharField(_("Căn cứ"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ngày nghỉ, làm bù")
        verbose_name_plural = _("ngày nghỉ, làm bù (ngoại lệ lịch)")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} — {self.name}"


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày (theo lịch)")
    WORKING_HOURS = "working_hours", _("giờ làm việc")


class DeadlineVariant(models.TextChoices):
    NORMAL = "normal", _("Thông thường")
    COMPLEX = "complex", _("Phức tạp")
    REMOTE = "remote", _("Vùng sâu, vùng xa")
    REMOTE_COMPLEX = "remote_complex", _("Vùng sâu, vùng xa và phức tạp")
    EXTENSION = "extension", _("Gia hạn")


class DeadlineRule(models.Model):
    """One version of a legal deadline. The version in force on the day an item was received
    applies to it; a law change is a new row with a later ``effective_from``."""

    key = models.CharField(_("Mã quy tắc"), max_length=80, db_index=True)
    variant = models.CharField(
        _("Trường hợp"),
        max_length=20,
        choices=DeadlineVariant.choices,
        default=DeadlineVariant.NORMAL,
    )
    amount = models.DecimalField(_("Thời hạn"), max_digits=6, decimal_places=2)
    unit = models.CharField(_("Đơn vị"), max_length=20, choices=DeadlineUnit.choices)
    effective_from = models.DateField(_("Áp dụng từ ngày"))
    title = models.CharField(_("Nội dung"), max_length=200)
    legal_basis = models.CharField(_("Căn cứ pháp lý"), max_length=300)
    verified = models.BooleanField(
        _("Đã đối chiếu văn bản"),
        default=True,
        help_text=_("Tắt khi quy định được ghi theo trí nhớ, chưa đối chiếu với văn bản gốc."),
    )
    note = models.TextField(_("Ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quy định thời hạn")
        verbose_name_plural = _("quy định thời hạn (theo phiên bản)")
        ordering = ["key", "variant", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "variant", "effective_from"], name="core_rule_version"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.key} [{self.variant}] {self.amount.normalize()} {self.get_unit_display()} "
            f"từ {self.effective_from:%d/%m/%Y}"
        )


# --- Document numbering ------------------------------------------------------------------------
class DocumentSequence(models.Model):
    """The yearly numbering of one issuer's documents of one type (restarts on 1 January)."""

    issuer = models.CharField(max_length=40)
    doc_type = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["issuer", "doc_type", "year"], name="core_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.doc_type} {self.year}: {self.last_number}"


class IssuedNumber(models.Model):
    """The register of outgoing documents (sổ văn bản đi): one row per number given out."""

    issuer = models.CharField(_("Cơ quan ban hành"), max_length=40)
    doc_type = models.CharField(_("Loại văn bản"), max_length=20)
    year = models.PositiveSmallIntegerField(_("Năm"))
    number = models.PositiveIntegerField(_("Số"))
    symbol = models.CharField(_("Số, ký hiệu"), max_length=60)
    title = models.CharField(_("Trích yếu"), max_length=300, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    issued_on = models.DateField(_("Ngày ban hành"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("số văn bản đã cấp")
        verbose_name_plural = _("sổ văn bản đi")
        ordering = ["-year", "issuer", "doc_type", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "doc_type", "year", "number"], name="core_number_once"
            )
        ]

    def __str__(self) -> str:
        return self.symbol


# --- Attachments -------------------------------------------------------------------------------
class Attachment(models.Model):
    """An uploaded file, checked by content and size, downloadable only through a checked view."""

    file = models.FileField(_("Tệp"), upload_to="attachments/%Y/%m/", max_length=255)
    original_name = models.CharField(_("Tên tệp"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    owner_type = models.CharField(max_length=100, blank=True, db_index=True)
    owner_id = models.CharField(max_length=64, blank=True, db_index=True)
    purpose = models.CharField(max_length=40, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name


# --- Notifications (outbox) --------------------------------------------------------------------
class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


class OutboxMessage(models.Model):
    """A message to send, written in the same transaction as the change that caused it."""

    channel = models.CharField(_("Kênh"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("Người nhận"), max_length=254)
    subject = models.CharField(_("Tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("Nội dung"))
    status = models.CharField(
        _("Trạng thái"),
        max_length=10,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("Số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("Gửi lúc"), null=True, blank=True)
    gateway_ref = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("tin nhắn chờ gửi")
        verbose_name_plural = _("hộp thư đi (e-mail, SMS)")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"


# --- Search ------------------------------------------------------------------------------------
class SearchEntry(models.Model):
    """Folded text of one indexed object. SQLite mirrors ``body`` into an FTS5 table; PostgreSQL
    keeps a generated ``tsvector`` column with a GIN index (see migration 0002)."""

    kind = models.CharField(max_length=60)
    object_id = models.BigIntegerField()
    body = models.TextField()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="core_search_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


# --- Periodic jobs -----------------------------------------------------------------------------
class PeriodicJobRun(models.Model):
    """When each periodic job was last enqueued (so that several schedulers never double-run)."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return self.name


# --- Abuse limits --------------------------------------------------------------------------------
class RateStamp(models.Model):
    """One counted action of a subject (a hashed address or phone number) for sliding-window
    abuse limits; stamps older than the longest window are pruned by a periodic job."""

    subject = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["subject", "at"], name="core_ratestamp_subject_at")]

    def __str__(self) -> str:
        return f"{self.subject}@{self.at:%Y-%m-%d %H:%M:%S}"
