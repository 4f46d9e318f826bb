"""Dialogues and seminars with citizens (đối thoại, tọa đàm): schedule, questions, minutes, and
the commitments made there, followed to done."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStamped
from danvan.org.models import AdminUnit, Agency, Official


class DialogueKind(models.TextChoices):
    DIALOGUE = "dialogue", _("Đối thoại")
    SEMINAR = "seminar", _("Tọa đàm")


class DialogueStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Đã lên lịch")
    HELD = "held", _("Đã tổ chức")
    CANCELLED = "cancelled", _("Đã hủy")


class Dialogue(TimeStamped):
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("Cơ quan tổ chức"),
        on_delete=models.PROTECT,
        related_name="dialogues",
    )
    kind = models.CharField(
        _("Hình thức"), max_length=10, choices=DialogueKind.choices, default=DialogueKind.DIALOGUE
    )
    topic = models.CharField(_("Chủ đề"), max_length=300)
    description = models.TextField(_("Nội dung"), blank=True)
    host = models.ForeignKey(
        Official,
        verbose_name=_("Lãnh đạo chủ trì"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    host_name = models.CharField(
        _("Người chủ trì (họ tên, chức vụ)"),
        max_length=200,
        help_text=_("Ví dụ: Ông Trần Văn Hùng, Phó Chủ tịch UBND tỉnh."),
    )
    participants = models.ManyToManyField(
        Agency, verbose_name=_("Cơ quan tham dự"), blank=True, related_name="+"
    )
    place = models.CharField(_("Địa điểm"), max_length=300)
    starts_at = models.DateTimeField(_("Bắt đầu"), db_index=True)
    ends_at = models.DateTimeField(_("Kết thúc"))
    affected_units = models.ManyToManyField(
        AdminUnit, verbose_name=_("Địa bàn, đối tượng"), blank=True, related_name="+"
    )
    accepts_questions = models.BooleanField(_("Nhận câu hỏi trước qua cổng"), default=True)
    status = models.CharField(
        _("Trạng thái"),
        max_length=10,
        choices=DialogueStatus.choices,
        default=DialogueStatus.SCHEDULED,
        db_index=True,
    )
    minutes_text = models.TextField(_("Tóm tắt diễn biến"), blank=True)
    attendance = models.PositiveIntegerField(_("Số người dân tham dự"), null=True, blank=True)
    minutes_symbol = models.CharField(_("Số biên bản"), max_length=60, blank=True)
    minutes_issued_on = models.DateField(_("Ngày biên bản"), null=True, blank=True)
    secretary = models.CharField(_("Thư ký"), max_length=150, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("cuộc đối thoại")
        verbose_name_plural = _("đối thoại, tọa đàm")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status", "starts_at"])]

    def __str__(self) -> str:
        return self.topic

    def accepts_questions_now(self) -> bool:
        """Questions in advance: until the dialogue starts."""
        return (
            self.accepts_questions
            and self.status == DialogueStatus.SCHEDULED
            and timezone.now() < self.starts_at
        )


class QuestionOrigin(models.TextChoices):
    ADVANCE = "advance", _("Gửi trước")
    ROOM = "room", _("Tại hội nghị")


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("Chờ kiểm duyệt")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    REJECTED = "rejected", _("Không tiếp nhận")


class Question(models.Model):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="questions")
    origin = models.CharField(_("Nguồn"), max_length=10, choices=QuestionOrigin.choices)
    author_name = models.CharField(_("Người hỏi"), max_length=150, blank=True)
    author_address = models.CharField(_("Nơi ở (ấp, xã)"), max_length=200, blank=True)
    phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("Câu hỏi, kiến nghị"))
    status = models.CharField(
        _("Trạng thái"),
        max_length=10,
        choices=QuestionStatus.choices,
        default=QuestionStatus.PENDING,
        db_index=True,
    )
    moderation_reason = models.CharField(_("Lý do không tiếp nhận"), max_length=20, blank=True)
    answer = models.TextField(_("Trả lời"), blank=True)
    answered_by = models.CharField(_("Người trả lời"), max_length=200, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["dialogue", "submitted_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def scope_agency(self) -> Agency:
        return self.dialogue.agency

    @property
    def public_author(self) -> str:
        name = self.author_name or str(_("Người dân"))
        return f"{name} ({self.author_address})" if self.author_address else name


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


class CommitmentState(models.TextChoices):
    """Derived from status, due date and today (see :meth:`Commitment.state_on`)."""

    ON_TRACK = "on_track", _("Trong hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành trễ hạn")


class Commitment(TimeStamped):
    """A promise made at a dialogue: an owner agency, a due date, a status."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="commitments")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    description = models.TextField(_("Nội dung cam kết"))
    owner = models.ForeignKey(
        Agency,
        verbose_name=_("Cơ quan thực hiện"),
        on_delete=models.PROTECT,
        related_name="dialogue_commitments",
    )
    due_on = models.DateField(_("Hạn hoàn thành"), db_index=True)
    status = models.CharField(
        _("Tình trạng"),
        max_length=12,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.OPEN,
        db_index=True,
    )
    done_on = models.DateField(_("Ngày hoàn thành"), null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("cam kết")
        verbose_name_plural = _("cam kết sau đối thoại")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def agency(self) -> Agency:
        """Whoever owns the commitment acts on it (permissions use the owner agency)."""
        return self.owner

    def state_on(self, today: date, *, soon_limit: date | None = None) -> str:
        """The one place that derives a commitment's state. ``soon_limit``: the last day that
        counts as "due soon" (a few working days ahead, counted by the caller's calendar)."""
        if self.status == CommitmentStatus.DONE:
            if self.done_on is not None and self.done_on <= self.due_on:
                return CommitmentState.DONE_ON_TIME
            return CommitmentState.DONE_LATE
        if today > self.due_on:
            return CommitmentState.OVERDUE
        if soon_limit is not None and self.due_on <= soon_limit:
            return CommitmentState.DUE_SOON
        return CommitmentState.ON_TRACK

    @property
    def state(self) -> str:
        """Today's state (set for a whole list at once by ``selectors.with_states``)."""
        cached = self.__dict__.get("_derived_state")
        if cached is None:
            from danvan.dialogues.selectors import due_soon_limit

            today = timezone.localdate()
            cached = self.state_on(today, soon_limit=due_soon_limit(today))
            self.__dict__["_derived_state"] = cached
        return cached

    def get_state_display(self) -> str:
        return str(CommitmentState(self.state).label)

    @property
    def kept_on_time(self) -> bool | None:
        """True/False once done; None while it is not done."""
        if self.status != CommitmentStatus.DONE:
            return None
        return self.state_on(timezone.localdate()) == CommitmentState.DONE_ON_TIME


def overdue_q(today: date) -> models.Q:
    """The database form of ``state_on(today) == OVERDUE`` (lists and counts)."""
    return ~models.Q(status=CommitmentStatus.DONE) & models.Q(due_on__lt=today)


def kept_on_time_q() -> models.Q:
    """The database form of ``state_on(...) == DONE_ON_TIME``."""
    return models.Q(status=CommitmentStatus.DONE, done_on__lte=models.F("due_on"))


class ProgressReport(models.Model):
    """What the owner reports on a commitment, with evidence."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("Kết quả thực hiện"))
    status = models.CharField(
        _("Tình trạng sau báo cáo"), max_length=12, choices=CommitmentStatus.choices
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)
    evidence = models.ForeignKey(
        "core.Attachment",
        verbose_name=_("Minh chứng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ cam kết")
        ordering = ["commitment", "reported_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def scope_agency(self) -> Agency:
        return self.commitment.owner
