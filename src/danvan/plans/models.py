"""Plans, tasks and assignments, agencies' implementation plans, periodic reports and their
consolidation by the Department of Home Affairs (plan 5793, section III)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStamped
from danvan.org.models import Agency
from danvan.plans.periods import PeriodType, ReportingPeriod


class Plan(TimeStamped):
    """A plan document (kế hoạch): the province's, or an agency's plan implementing it."""

    symbol = models.CharField(_("Số, ký hiệu"), max_length=60, blank=True)
    title = models.CharField(_("Tên kế hoạch"), max_length=500)
    issued_on = models.DateField(_("Ngày ban hành"), null=True, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan ban hành"), on_delete=models.PROTECT, related_name="plans"
    )
    purposes = models.TextField(_("Mục đích, yêu cầu"), blank=True)
    organisation = models.TextField(_("Tổ chức thực hiện"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Thực hiện kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementations",
    )
    implements: models.ManyToManyField[Task, Any] = models.ManyToManyField(
        "Task",
        verbose_name=_("Nhiệm vụ được cụ thể hóa"),
        blank=True,
        related_name="implemented_by",
    )
    is_public = models.BooleanField(_("Công khai trên cổng"), default=False)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-issued_on", "title"]

    def __str__(self) -> str:
        return f"{self.symbol} — {self.title}" if self.symbol else self.title


class SubplanRequirement(models.Model):
    """A plan requires ``agency`` to issue its own implementation plan by ``due_on``."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="requirements")
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("Hạn ban hành"))
    submitted = models.ForeignKey(
        Plan,
        verbose_name=_("Kế hoạch của cơ quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fulfils",
    )
    submitted_on = models.DateField(_("Ngày ban hành"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu xây dựng kế hoạch")
        verbose_name_plural = _("yêu cầu xây dựng kế hoạch")
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], name="plans_one_requirement")
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.plan}"

    @property
    def scope_agency(self) -> Agency:
        return self.agency


class TaskKind(models.TextChoices):
    PURPOSE = "purpose", _("Mục đích, yêu cầu")
    GROUP = "group", _("Nhóm nhiệm vụ, giải pháp")
    ITEM = "item", _("Nhiệm vụ")
    DUTY = "duty", _("Tổ chức thực hiện")


class Task(models.Model):
    """An item of a plan (nhiệm vụ, giải pháp); tasks form a tree."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("Mục"), max_length=20)
    kind = models.CharField(
        _("Loại"), max_length=10, choices=TaskKind.choices, default=TaskKind.ITEM
    )
    title = models.CharField(_("Tên"), max_length=300)
    text = models.TextField(_("Nội dung"), blank=True)
    weight = models.DecimalField(
        _("Trọng số"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Dừng thực hiện")


DEFAULT_PROGRESS = {
    AssignmentStatus.NOT_STARTED: 0,
    AssignmentStatus.IN_PROGRESS: 50,
    AssignmentStatus.DONE: 100,
    AssignmentStatus.CANCELLED: 0,
}


class Assignment(TimeStamped):
    """A task given to an agency, with a due date and its progress."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("Cơ quan thực hiện"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    due_on = models.DateField(_("Hạn hoàn thành"), null=True, blank=True)
    status = models.CharField(
        _("Tình trạng"),
        max_length=15,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.NOT_STARTED,
    )
    progress = models.PositiveSmallIntegerField(
        _("Tiến độ (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    done_on = models.DateField(_("Ngày hoàn thành"), null=True, blank=True)

    class Meta:
        verbose_name = _("giao nhiệm vụ")
        verbose_name_plural = _("giao nhiệm vụ")
        constraints = [models.UniqueConstraint(fields=["task", "agency"], name="plans_assign_once")]
        indexes = [models.Index(fields=["agency", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.task.code} → {self.agency}"


class ProgressUpdate(models.Model):
    """A dated progress report on an assignment, with its evidence (attachments)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="updates")
    reported_at = models.DateTimeField(_("Thời điểm báo cáo"))
    status = models.CharField(_("Tình trạng"), max_length=15, choices=AssignmentStatus.choices)
    progress = models.PositiveSmallIntegerField(
        _("Tiến độ (%)"), validators=[MaxValueValidator(100)]
    )
    note = models.TextField(_("Kết quả thực hiện"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"{self.assignment} {self.progress}%"


class ReportTemplate(models.Model):
    """What a periodic report contains: indicators (from the shell's registry) and narrative
    sections, for a period type."""

    name = models.CharField(_("Tên mẫu báo cáo"), max_length=200)
    period_type = models.CharField(_("Kỳ báo cáo"), max_length=10, choices=PeriodType.choices)
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("Theo kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_templates",
    )
    indicators = models.JSONField(
        _("Chỉ tiêu"), default=list, help_text=_("Mã các chỉ tiêu đăng ký trong hệ thống")
    )
    sections = models.JSONField(_("Các phần thuyết minh"), default=list)
    due_working_days = models.PositiveSmallIntegerField(
        _("Hạn nộp (ngày làm việc sau khi kết thúc kỳ)"), default=5
    )
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("Cơ quan phải báo cáo"), related_name="+"
    )
    is_active = models.BooleanField(_("Đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("mẫu báo cáo định kỳ")
        verbose_name_plural = _("mẫu báo cáo định kỳ")

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Thủ trưởng đã duyệt")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Trả lại để hoàn chỉnh")


class PeriodicReport(TimeStamped):
    """One agency's report for one period."""

    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="reports")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="periodic_reports")
    period_key = models.CharField(_("Kỳ"), max_length=20)
    period_start = models.DateField()
    period_end = models.DateField()
    due_at = models.DateTimeField(_("Hạn nộp"))
    status = models.CharField(
        _("Tình trạng"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("Gửi lúc"), null=True, blank=True)
    symbol = models.CharField(_("Số, ký hiệu"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "agency", "period_key"], name="plans_one_report"
            )
        ]
        indexes = [models.Index(fields=["template", "period_key", "status"])]

    def __str__(self) -> str:
        return f"{self.agency} — {self.reporting_period.label}"

    @property
    def reporting_period(self) -> ReportingPeriod:
        return ReportingPeriod.parse(self.period_key)


class ReportValue(models.Model):
    """An indicator's figure in a report: the live value computed from the apps' data, and the
    value reported (a correction needs a reason)."""

    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.CharField(_("Chỉ tiêu"), max_length=80)
    live_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(
        _("Số liệu báo cáo"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    correction_reason = models.TextField(_("Lý do điều chỉnh"), blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="plans_value_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}={self.value}"

    @property
    def corrected(self) -> bool:
        return self.value != self.live_value


class ReportSection(models.Model):
    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("Tiêu đề"), max_length=300)
    text = models.TextField(_("Nội dung"), blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class Consolidation(TimeStamped):
    """The provincial report that Home Affairs assembles from the agencies' submissions."""

    template = models.ForeignKey(
        ReportTemplate, on_delete=models.PROTECT, related_name="consolidations"
    )
    period_key = models.CharField(_("Kỳ"), max_length=20)
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan tổng hợp"), on_delete=models.PROTECT, related_name="+"
    )
    symbol = models.CharField(_("Số, ký hiệu"), max_length=60)
    issued_on = models.DateField(_("Ngày ban hành"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reports = models.ManyToManyField(PeriodicReport, related_name="consolidations")
    figures = models.JSONField(
        default=dict
    )  # frozen totals and per-agency figures, for traceability

    class Meta:
        verbose_name = _("báo cáo tổng hợp")
        verbose_name_plural = _("báo cáo tổng hợp")
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return self.symbol
