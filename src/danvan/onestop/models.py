"""The one-stop shop (bộ phận Một cửa): the procedure catalogue, dossiers and their forms.

Forms of Circular 01/2018/TT-VPCP: 01 receipt (:class:`Receipt`), 02 supplement request
(:class:`SupplementRequest`), 03 refusal (:class:`Refusal`), 04 apology and new date
(:class:`Apology`), 05 control sheet of hand-overs (:class:`Handover` rows), 06 register (a view over
dossiers). Every write goes through :mod:`danvan.onestop.services`.

Derived states (overdue, due soon, early / on time / late) are defined here once: the Python
side in :func:`timeliness_of` and :meth:`Dossier.deadline_state`, the SQL side in
:class:`DossierQuerySet`; a test checks that both agree.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core import crypto
from danvan.core.calendar import TZ, WorkingCalendar
from danvan.core.models import DeadlineUnit, TimeStamped
from danvan.org.models import Agency


# --- Catalogue ---------------------------------------------------------------------------------
class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class OnlineLevel(models.TextChoices):
    NONE = "none", _("Không")
    PARTIAL = "partial", _("Một phần")
    FULL = "full", _("Toàn trình")


class ProcedureField(models.Model):
    """A field of procedures (lĩnh vực): civil status, land, business registration…"""

    code = models.CharField(_("Mã lĩnh vực"), max_length=30, unique=True)
    name = models.CharField(_("Tên lĩnh vực"), max_length=200)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực thủ tục hành chính")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(TimeStamped):
    """An administrative procedure (thủ tục hành chính) as published in the catalogue."""

    code = models.CharField(_("Mã thủ tục"), max_length=40, unique=True)
    name = models.CharField(_("Tên thủ tục"), max_length=500)
    field = models.ForeignKey(
        ProcedureField, verbose_name=_("Lĩnh vực"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("Cấp thực hiện"), max_length=10, choices=Level.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("Cơ quan giải quyết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedures",
        help_text=_("Để trống khi mọi cơ quan cùng cấp đều giải quyết (ví dụ UBND cấp xã)."),
    )
    competent_authority = models.CharField(_("Cơ quan có thẩm quyền"), max_length=300, blank=True)
    processing_amount = models.DecimalField(
        _("Thời hạn giải quyết"), max_digits=6, decimal_places=2
    )
    processing_unit = models.CharField(
        _("Đơn vị thời hạn"),
        max_length=20,
        choices=DeadlineUnit.choices,
        default=DeadlineUnit.WORKING_DAYS,
    )
    fee_text = models.CharField(_("Phí, lệ phí"), max_length=500, blank=True)
    fee_amount = models.PositiveBigIntegerField(
        _("Phí, lệ phí (đồng/hồ sơ)"), default=0, help_text=_("Dùng để tính chi phí tiết kiệm.")
    )
    legal_basis = models.TextField(_("Căn cứ pháp lý"), blank=True)
    result = models.CharField(_("Kết quả thực hiện"), max_length=300, blank=True)
    online = models.CharField(
        _("Dịch vụ công trực tuyến"),
        max_length=10,
        choices=OnlineLevel.choices,
        default=OnlineLevel.NONE,
    )
    is_published = models.BooleanField(_("Công khai"), default=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["field__name", "name"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def scope_agency(self) -> Agency | None:
        return self.agency

    @property
    def processing_label(self) -> str:
        amount = self.processing_amount.normalize()
        text = f"{amount:f}".replace(".", ",")
        return f"{text} {DeadlineUnit(self.processing_unit).label}"

    @property
    def can_apply_online(self) -> bool:
        return self.online != OnlineLevel.NONE


class ProcedureDocument(models.Model):
    """One document of a procedure's dossier (thành phần hồ sơ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)
    name = models.CharField(_("Tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("Số bản chính"), default=1)
    copies = models.PositiveSmallIntegerField(_("Số bản sao"), default=0)
    required = models.BooleanField(_("Bắt buộc"), default=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def count_label(self) -> str:
        return f"Bản chính: {self.originals}; Bản sao: {self.copies}"


class ProcedureForm(models.Model):
    """A form to download (mẫu đơn, tờ khai): a stored file or a link to the national portal."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="forms")
    name = models.CharField(_("Tên mẫu"), max_length=300)
    attachment = models.ForeignKey(
        "core.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField(_("Đường dẫn"), blank=True)

    class Meta:
        verbose_name = _("mẫu đơn, tờ khai")
        verbose_name_plural = _("mẫu đơn, tờ khai")
        ordering = ["procedure", "pk"]

    def __str__(self) -> str:
        return self.name


class ProcedureReview(TimeStamped):
    """A review of a procedure for simplification (rà soát, đơn giản hóa thủ tục hành chính)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="reviews")
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan rà soát"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("Năm rà soát"))
    proposals = models.TextField(_("Phương án đơn giản hóa"))
    current_days = models.DecimalField(_("Thời hạn hiện hành"), max_digits=6, decimal_places=2)
    proposed_days = models.DecimalField(_("Thời hạn đề xuất"), max_digits=6, decimal_places=2)
    current_fee = models.PositiveBigIntegerField(_("Phí, lệ phí hiện hành (đồng)"), default=0)
    proposed_fee = models.PositiveBigIntegerField(_("Phí, lệ phí đề xuất (đồng)"), default=0)
    current_documents = models.PositiveSmallIntegerField(_("Số thành phần hồ sơ hiện hành"))
    proposed_documents = models.PositiveSmallIntegerField(_("Số thành phần hồ sơ đề xuất"))
    cost_per_day = models.PositiveBigIntegerField(
        _("Chi phí một ngày chờ (đồng)"),
        default=250_000,
        help_text=_("Thu nhập bình quân một ngày làm việc của người dân; chưa đối chiếu số liệu."),
    )
    cost_per_document = models.PositiveBigIntegerField(
        _("Chi phí chuẩn bị một giấy tờ (đồng)"), default=50_000
    )
    yearly_dossiers = models.PositiveIntegerField(_("Số hồ sơ trong năm"), default=0)
    yearly_saving = models.BigIntegerField(_("Chi phí tiết kiệm mỗi năm (đồng)"), default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("rà soát thủ tục")
        verbose_name_plural = _("rà soát, đơn giản hóa thủ tục")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return f"{self.procedure.code} ({self.year})"

    @property
    def scope_agency(self) -> Agency:
        return self.agency

    @property
    def saving_per_dossier(self) -> int:
        days = float(self.current_days - self.proposed_days)
        docs = int(self.current_documents) - int(self.proposed_documents)
        fee = int(self.current_fee) - int(self.proposed_fee)
        return round(days * self.cost_per_day + docs * self.cost_per_document + fee)


# --- Dossiers ----------------------------------------------------------------------------------
class Status(models.TextChoices):
    NEW = "new", _("Mới, chờ kiểm tra")
    RECEIVED = "received", _("Đã tiếp nhận")
    NOT_RECEIVED = "not_received", _("Không tiếp nhận")
    PROCESSING = "processing", _("Đang giải quyết")
    SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    SUSPENDED = "suspended", _("Tạm dừng")
    RESOLVED = "resolved", _("Đã giải quyết, chờ trả kết quả")
    RETURNED = "returned", _("Đã trả kết quả")


#: the clock runs (the dossier counts towards "pending within / past due")
OPEN_STATUSES = (Status.RECEIVED, Status.PROCESSING)
#: the dossier is not finished (it may be paused)
UNFINISHED_STATUSES = (
    Status.NEW,
    Status.RECEIVED,
    Status.PROCESSING,
    Status.SUPPLEMENT,
    Status.AWAITING_PAYMENT,
    Status.SUSPENDED,
)
PAUSED_STATUSES = (Status.AWAITING_PAYMENT, Status.SUSPENDED)


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp tại Bộ phận Một cửa")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Qua dịch vụ bưu chính")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("Tại Bộ phận Một cửa")
    POST = "post", _("Qua dịch vụ bưu chính")
    ONLINE = "online", _("Trực tuyến")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Giải quyết theo đề nghị")
    DENIED = "denied", _("Từ chối giải quyết (có văn bản nêu lý do)")


class DeadlineState(models.TextChoices):
    IN_TIME = "in_time", _("Còn hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    PAUSED = "paused", _("Tạm dừng tính thời gian")
    NO_DEADLINE = "none", _("Chưa tính hạn")


def timeliness_of(finished_at: datetime, due_at: datetime) -> str:
    """Early (finished on a day before the due day), on time (by the due time), or late."""
    if finished_at > due_at:
        return Timeliness.LATE
    if finished_at.astimezone(TZ).date() < due_at.astimezone(TZ).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def due_soon_limit(now: datetime, calendar: WorkingCalendar) -> datetime:
    """Dossiers due up to the end of the next working day are "due soon"."""
    day = calendar.next_working_day(now.astimezone(TZ).date())
    return datetime.combine(day, time(23, 59, 59), TZ)


class DossierQuerySet(models.QuerySet["Dossier"]):
    """The SQL side of the derived states (the Python side: :meth:`Dossier.deadline_state`)."""

    def unfinished(self) -> DossierQuerySet:
        return self.filter(status__rare_in=UNFINISHED_STATUSES)

    def running(self) -> DossierQuerySet:
        # a small share of millions of dossiers: say so to SQLite's planner (core.db.RareIn)
        return self.filter(status__rare_in=OPEN_STATUSES)

    def overdue(self, now: datetime) -> DossierQuerySet:
        return self.running().filter(due_at__lt=now)

    def within_due(self, now: datetime) -> DossierQuerySet:
        return self.running().filter(due_at__gte=now)

    def due_soon(self, now: datetime, calendar: WorkingCalendar) -> DossierQuerySet:
        return self.running().filter(due_at__gte=now, due_at__lte=due_soon_limit(now, calendar))

    def late_without_apology(self, now: datetime) -> DossierQuerySet:
        return self.overdue(now).filter(apology_count=0)


class Dossier(models.Model):
    """One application for one procedure (hồ sơ)."""

    code = models.CharField(_("Mã hồ sơ"), max_length=60, unique=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("Cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="onestop_dossiers",
        db_index=False,
    )
    handling_agency = models.ForeignKey(
        Agency,
        verbose_name=_("Cơ quan giải quyết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="onestop_handled_dossiers",
        db_index=False,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Cán bộ đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("Thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    field = models.ForeignKey(
        ProcedureField,
        verbose_name=_("Lĩnh vực"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    status = models.CharField(
        _("Trạng thái"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    channel = models.CharField(
        _("Hình thức nộp"), max_length=10, choices=Channel.choices, default=Channel.COUNTER
    )
    # the applicant (personal data: shown to officials in scope only)
    applicant_name = models.CharField(_("Người nộp hồ sơ"), max_length=200)
    applicant_phone = models.CharField(_("Số điện thoại"), max_length=20)
    phone_last4 = models.CharField(max_length=4, editable=False)
    applicant_address = models.CharField(_("Địa chỉ"), max_length=300)
    applicant_email = models.EmailField(_("Thư điện tử"), blank=True)
    applicant_id_encrypted = models.TextField(blank=True, editable=False)
    # what was handed in, and what is missing (against the procedure's list)
    documents = models.JSONField(_("Giấy tờ đã nộp"), default=list, blank=True)
    missing = models.JSONField(_("Giấy tờ còn thiếu"), default=list, blank=True)
    # the procedure's processing time as it was on the day of receipt
    processing_amount = models.DecimalField(max_digits=6, decimal_places=2)
    processing_unit = models.CharField(max_length=20, choices=DeadlineUnit.choices)
    # time
    received_at = models.DateTimeField(_("Nộp, tiếp nhận lúc"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Cán bộ tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    accepted_at = models.DateTimeField(
        _("Nhận đủ hồ sơ lúc"), null=True, blank=True, help_text=_("Khi lập giấy tiếp nhận.")
    )
    clock_started_at = models.DateTimeField(_("Bắt đầu tính thời hạn"), null=True, blank=True)
    due_at = models.DateTimeField(_("Hạn giải quyết"), null=True, blank=True)
    appointment_at = models.DateTimeField(_("Ngày hẹn trả kết quả"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    forwarded_at = models.DateTimeField(_("Chuyển giải quyết lúc"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("Giải quyết xong lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("Trả kết quả lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # outcomes
    decision = models.CharField(
        _("Kết quả giải quyết"), max_length=10, choices=Decision.choices, blank=True
    )
    result_note = models.TextField(_("Nội dung kết quả"), blank=True)
    timeliness = models.CharField(
        _("Tiến độ"), max_length=10, choices=Timeliness.choices, blank=True
    )
    return_method = models.CharField(
        _("Hình thức trả kết quả"), max_length=10, choices=ReturnMethod.choices, blank=True
    )
    supplement_count = models.PositiveSmallIntegerField(default=0)
    insufficient_count = models.PositiveSmallIntegerField(default=0)
    apology_count = models.PositiveSmallIntegerField(default=0)
    apology_reminded_at = models.DateTimeField(null=True, blank=True)
    backdated = models.BooleanField(_("Nhập bổ sung (lùi ngày)"), default=False)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ Một cửa")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["agency", "received_at"], name="onestop_dos_agency_recv"),
            models.Index(fields=["handling_agency", "status"], name="onestop_dos_handling"),
            # status first: "running" (received, processing) and "unfinished" are a small share
            # of the rows, found by a range per status (a partial index would not be used with
            # bound parameters on SQLite)
            models.Index(
                fields=["status", "agency", "due_at", "received_at"], name="onestop_dos_status"
            ),
            models.Index(fields=["-received_at"], name="onestop_dos_received"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def scope_agency(self) -> Agency:
        return self.agency

    # personal data
    @property
    def applicant_id_number(self) -> str:
        return crypto.decrypt(self.applicant_id_encrypted) if self.applicant_id_encrypted else ""

    def set_applicant_id_number(self, value: str) -> None:
        value = (value or "").strip()
        self.applicant_id_encrypted = crypto.encrypt(value) if value else ""

    # derived states (the SQL side: DossierQuerySet)
    @property
    def is_running(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_finished(self) -> bool:
        return self.status not in UNFINISHED_STATUSES

    def deadline_state(self, now: datetime, calendar: WorkingCalendar) -> str:
        if self.status in PAUSED_STATUSES:
            return DeadlineState.PAUSED
        if self.status not in OPEN_STATUSES or self.due_at is None:
            return DeadlineState.NO_DEADLINE
        if self.due_at < now:
            return DeadlineState.OVERDUE
        if self.due_at <= due_soon_limit(now, calendar):
            return DeadlineState.DUE_SOON
        return DeadlineState.IN_TIME

    def late_without_apology(self, now: datetime) -> bool:
        return (
            self.is_running
            and self.due_at is not None
            and self.due_at < now
            and self.apology_count == 0
        )


class DossierCounter(models.Model):
    """The daily sequence of dossier codes of one agency (``<agency>-<YYMMDD>-<NNNN>``)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="onestop_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last_number}"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Nộp hồ sơ")
    RECEIVED = "received", _("Tiếp nhận hồ sơ, hẹn trả kết quả")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung, hoàn thiện hồ sơ")
    SUPPLEMENTED = "supplemented", _("Bổ sung hồ sơ")
    REFUSED = "refused", _("Từ chối tiếp nhận hồ sơ")
    FORWARDED = "forwarded", _("Chuyển giải quyết")
    RETURNED_INSUFFICIENT = "returned_insufficient", _("Trả lại hồ sơ chưa đủ điều kiện giải quyết")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    PAID = "paid", _("Đã thực hiện nghĩa vụ tài chính")
    SUSPENDED = "suspended", _("Tạm dừng giải quyết")
    RESUMED = "resumed", _("Tiếp tục giải quyết")
    APOLOGISED = "apologised", _("Xin lỗi và hẹn lại ngày trả kết quả")
    RESOLVED = "resolved", _("Đã có kết quả giải quyết")
    RESULT_RETURNED = "result_returned", _("Trả kết quả")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    RATED = "rated", _("Đánh giá mức độ hài lòng")


class DossierEvent(models.Model):
    """One step of a dossier's timeline. ``public_note`` may be shown to the citizen; ``note``
    stays in the back office."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("Thời điểm"))
    kind = models.CharField(_("Bước"), max_length=30, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    public_note = models.CharField(_("Ghi chú công khai"), max_length=500, blank=True)
    note = models.TextField(_("Ghi chú nội bộ"), blank=True)

    class Meta:
        verbose_name = _("diễn biến hồ sơ")
        verbose_name_plural = _("diễn biến hồ sơ")
        ordering = ["dossier", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind}"


class Receipt(models.Model):
    """Form 01: receipt with the appointment date."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="receipts")
    symbol = models.CharField(_("Số phiếu"), max_length=60)
    issued_at = models.DateTimeField(_("Lập lúc"))
    appointment_at = models.DateTimeField(_("Hẹn trả kết quả"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("giấy tiếp nhận hồ sơ và hẹn trả kết quả")
        verbose_name_plural = _("giấy tiếp nhận hồ sơ và hẹn trả kết quả")
        ordering = ["dossier", "issued_at", "pk"]

    def __str__(self) -> str:
        return self.symbol


class SupplementStage(models.TextChoices):
    COUNTER = "counter", _("Khi tiếp nhận")
    HANDLING = "handling", _("Cơ quan giải quyết trả lại (chưa đủ điều kiện)")


class SupplementRequest(models.Model):
    """Form 02: what is missing or to be completed, all at once."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    stage = models.CharField(max_length=10, choices=SupplementStage.choices)
    items = models.JSONField(_("Nội dung cần bổ sung"), default=list)
    reason = models.TextField(_("Lý do"), blank=True)
    issued_at = models.DateTimeField(_("Lập lúc"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(_("Đã bổ sung lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
        verbose_name_plural = _("phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
        ordering = ["dossier", "issued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} ({self.stage})"


class Refusal(models.Model):
    """Form 03: refusal to receive, with reasons."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="refusal")
    reasons = models.TextField(_("Lý do từ chối"))
    issued_at = models.DateTimeField(_("Lập lúc"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phiếu từ chối tiếp nhận")
        verbose_name_plural = _("phiếu từ chối tiếp nhận")

    def __str__(self) -> str:
        return f"{self.dossier_id}"


class Apology(models.Model):
    """Form 04: apology and new appointment date (once per dossier)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology")
    symbol = models.CharField(_("Số văn bản"), max_length=60)
    reason = models.TextField(_("Lý do chậm"))
    previous_due_at = models.DateTimeField(_("Ngày hẹn cũ"))
    new_due_at = models.DateTimeField(_("Ngày hẹn mới"))
    issued_at = models.DateTimeField(_("Lập lúc"))
    in_time = models.BooleanField(
        _("Gửi đúng thời hạn"), help_text=_("Chậm nhất 01 ngày làm việc trước ngày hết hạn.")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phiếu xin lỗi và hẹn lại ngày trả kết quả")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại ngày trả kết quả")

    def __str__(self) -> str:
        return self.symbol


class Handover(models.Model):
    """Form 05: one hand-over between officials or bodies, with its own due time and result."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="handovers")
    step = models.CharField(_("Nội dung"), max_length=200)
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handed_at = models.DateTimeField(_("Giao lúc"))
    due_at = models.DateTimeField(_("Hạn xử lý"))
    done_at = models.DateTimeField(_("Hoàn thành lúc"), null=True, blank=True)
    timeliness = models.CharField(max_length=10, choices=Timeliness.choices, blank=True)
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bàn giao hồ sơ")
        verbose_name_plural = _("phiếu kiểm soát quá trình giải quyết")
        ordering = ["dossier", "handed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.step}"


class Score(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Rất hài lòng")
    SATISFIED = 4, _("Hài lòng")
    NEUTRAL = 3, _("Bình thường")
    DISSATISFIED = 2, _("Không hài lòng")
    VERY_DISSATISFIED = 1, _("Rất không hài lòng")


class RatingChannel(models.TextChoices):
    WEB = "web", _("Qua đường dẫn, mã QR")
    TABLET = "tablet", _("Máy tính bảng tại quầy")


class Rating(models.Model):
    """The citizen's rating of the service, once per dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("Mức độ hài lòng"), choices=Score.choices)
    comment = models.TextField(_("Ý kiến"), blank=True, max_length=2000)
    channel = models.CharField(max_length=10, choices=RatingChannel.choices)
    created_at = models.DateTimeField(_("Đánh giá lúc"))

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá mức độ hài lòng")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.score}"


class DailyStat(models.Model):
    """Counts per agency, field and day, kept up to date by the services (and rebuilt from the
    dossiers by ``danvan onestop stats --rebuild``): the statistics read these, not the dossiers."""

    day = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    field = models.ForeignKey(ProcedureField, on_delete=models.CASCADE, related_name="+")
    received_counter = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    received_post = models.PositiveIntegerField(default=0)
    resolved_early = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0)
    resolved_late = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)

    COUNTERS = (
        "received_counter",
        "received_online",
        "received_post",
        "resolved_early",
        "resolved_on_time",
        "resolved_late",
        "returned",
        "withdrawn",
        "refused",
    )

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["agency", "field", "day"], name="onestop_stat_once")
        ]
        indexes = [models.Index(fields=["day", "agency"], name="onestop_stat_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id} {self.field_id}"


class MonthlyStat(models.Model):
    """The same counters per month (``month`` is its first day): a period of whole months is
    summed from these, only its partial months from the daily rows."""

    month = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    field = models.ForeignKey(ProcedureField, on_delete=models.CASCADE, related_name="+")
    received_counter = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    received_post = models.PositiveIntegerField(default=0)
    resolved_early = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0)
    resolved_late = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["agency", "field", "month"], name="onestop_mstat_once")
        ]
        indexes = [models.Index(fields=["month", "agency"], name="onestop_mstat_month")]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.agency_id} {self.field_id}"


def local_day(value: datetime) -> date:
    return value.astimezone(TZ).date()
