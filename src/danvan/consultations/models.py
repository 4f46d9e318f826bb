"""Public consultation on drafts (lấy ý kiến dự thảo): the draft and its sections, citizens'
comments, the agency's responses (tiếp thu, giải trình), followers and phone checks."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStamped
from danvan.org.models import AdminUnit, Agency


class DraftKind(models.TextChoices):
    LEGAL_DOCUMENT = "legal_document", _("Văn bản quy phạm pháp luật")
    PLAN = "plan", _("Kế hoạch")
    PROGRAMME = "programme", _("Chương trình")
    PROJECT = "project", _("Dự án, đề án")


class IdentityLevel(models.TextChoices):
    """How much a commenter must prove of who they are, chosen per consultation."""

    ANONYMOUS_PHONE = "anonymous_phone", _("Ẩn danh, xác minh số điện thoại")
    NAMED = "named", _("Ghi rõ họ tên và cách liên hệ")
    SIGNED_IN = "signed_in", _("Đăng nhập tài khoản")


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    OPEN = "open", _("Đang lấy ý kiến")
    CLOSED = "closed", _("Đã kết thúc lấy ý kiến")
    PUBLISHED = "published", _("Đã công bố kết quả")


class Consultation(TimeStamped):
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("Cơ quan chủ trì"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    title = models.CharField(_("Tên dự thảo"), max_length=300)
    kind = models.CharField(_("Loại dự thảo"), max_length=20, choices=DraftKind.choices)
    summary = models.TextField(_("Tóm tắt nội dung"), blank=True)
    affected_units = models.ManyToManyField(
        AdminUnit, verbose_name=_("Địa bàn chịu tác động"), blank=True, related_name="+"
    )
    opens_at = models.DateTimeField(_("Bắt đầu lấy ý kiến"))
    closes_at = models.DateTimeField(_("Kết thúc lấy ý kiến"))
    identity_level = models.CharField(
        _("Yêu cầu về danh tính người góp ý"),
        max_length=20,
        choices=IdentityLevel.choices,
        default=IdentityLevel.NAMED,
    )
    status = models.CharField(
        _("Trạng thái"),
        max_length=12,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("Công bố lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("Kết thúc lúc"), null=True, blank=True)
    # The synthesis report (báo cáo tổng hợp, tiếp thu, giải trình ý kiến).
    report_symbol = models.CharField(_("Số, ký hiệu báo cáo"), max_length=60, blank=True)
    report_issued_on = models.DateField(_("Ngày báo cáo"), null=True, blank=True)
    report_signer = models.CharField(_("Người ký báo cáo"), max_length=150, blank=True)
    report_signer_position = models.CharField(_("Chức vụ người ký"), max_length=150, blank=True)
    final_text = models.TextField(_("Văn bản hoàn chỉnh sau tiếp thu"), blank=True)
    published_at = models.DateTimeField(_("Công bố kết quả lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("cuộc lấy ý kiến")
        verbose_name_plural = _("lấy ý kiến dự thảo")
        ordering = ["-opens_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return self.title

    def accepts_comments(self, now: datetime | None = None) -> bool:
        """The one place that says whether comments may be sent now."""
        now = now or timezone.now()
        return self.status == ConsultationStatus.OPEN and self.opens_at <= now < self.closes_at

    @property
    def is_public(self) -> bool:
        return self.status != ConsultationStatus.DRAFT


class SectionKind(models.TextChoices):
    PREAMBLE = "preamble", _("Phần mở đầu")
    PART = "part", _("Phần")
    CHAPTER = "chapter", _("Chương")
    DIVISION = "division", _("Mục")
    ARTICLE = "article", _("Điều")
    ITEM = "item", _("Khoản, mục")
    TEXT = "text", _("Nội dung")


class Section(models.Model):
    """One commentable part of the draft (a chapter, an article, a numbered item…)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField(_("Thứ tự"))
    kind = models.CharField(_("Loại"), max_length=12, choices=SectionKind.choices)
    number = models.CharField(_("Số hiệu"), max_length=40, blank=True, help_text=_("Ví dụ: Điều 3"))
    heading = models.CharField(_("Tiêu đề"), max_length=300, blank=True)
    body = models.TextField(_("Nội dung"), blank=True)
    level = models.PositiveSmallIntegerField(_("Cấp"), default=0)

    class Meta:
        verbose_name = _("phần của dự thảo")
        verbose_name_plural = _("các phần của dự thảo")
        ordering = ["consultation", "order"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "order"], name="consult_section_order")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.number and self.heading:
            return f"{self.number}. {self.heading}"
        return self.number or self.heading or str(self.get_kind_display())

    @property
    def scope_agency(self) -> Agency:
        return self.consultation.agency


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ kiểm duyệt")
    PUBLISHED = "published", _("Đã đăng")
    REJECTED = "rejected", _("Không đăng")


class Comment(models.Model):
    """A citizen's or an organisation's comment on a section or on the whole draft."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("Phần góp ý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
        help_text=_("Để trống: góp ý chung cho toàn bộ dự thảo."),
    )
    number = models.PositiveIntegerField(_("Số thứ tự"))
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("Họ và tên"), max_length=150, blank=True)
    organisation = models.CharField(_("Cơ quan, tổ chức (nếu có)"), max_length=200, blank=True)
    phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("Thư điện tử"), blank=True)
    phone_verified = models.BooleanField(_("Đã xác minh số điện thoại"), default=False)
    body = models.TextField(_("Nội dung góp ý"))
    status = models.CharField(
        _("Trạng thái"),
        max_length=10,
        choices=CommentStatus.choices,
        default=CommentStatus.PENDING,
        db_index=True,
    )
    moderation_reason = models.CharField(_("Lý do không đăng"), max_length=20, blank=True)
    moderation_note = models.CharField(_("Ghi chú kiểm duyệt"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("Gửi lúc"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("ý kiến góp ý")
        verbose_name_plural = _("ý kiến góp ý")
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="consult_comment_no")
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.body[:60]}"

    @property
    def scope_agency(self) -> Agency:
        return self.consultation.agency

    @property
    def public_author(self) -> str:
        """What the public page shows: the organisation or name, never contact details."""
        if self.organisation:
            return self.organisation
        return self.author_name or str(_("Người dân (ẩn danh)"))


class ResponseOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Tiếp thu")
    EXPLAINED = "explained", _("Giải trình")
    NOT_ACCEPTED = "not_accepted", _("Không tiếp thu")


class Response(models.Model):
    """The agency's answer to one comment (tiếp thu / giải trình / không tiếp thu)."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="response")
    outcome = models.CharField(_("Kết quả"), max_length=15, choices=ResponseOutcome.choices)
    text = models.TextField(_("Nội dung tiếp thu, giải trình"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tiếp thu, giải trình")
        verbose_name_plural = _("tiếp thu, giải trình")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} #{self.comment_id}"

    @property
    def scope_agency(self) -> Agency:
        return self.comment.consultation.agency


class Follower(models.Model):
    """Someone notified when the consultation closes and when its result is published."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="followers"
    )
    channel = models.CharField(max_length=10)  # core.models.Channel
    recipient = models.CharField(max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("người theo dõi")
        verbose_name_plural = _("người theo dõi")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "channel", "recipient"], name="consult_follow_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.recipient}"


class PhoneCheck(models.Model):
    """A one-time code sent by SMS to prove a phone number (anonymous comments)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.phone[-3:]} {self.created_at:%Y-%m-%d %H:%M}"
