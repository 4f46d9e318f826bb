"""Citizen reception and petitions (tiếp công dân, khiếu nại, tố cáo, kiến nghị, phản ánh).

The denouncer's identity (Law on Denunciations art. 9, 47, 56) never sits in a clear-text column:
for a *protected* petition or reception entry the personal details live only in ``identity_sealed``
(a Fernet token, keys outside the database: :mod:`danvan.petitions.identity`), or — when the agency
keeps no identity in the system — nowhere at all, with ``sealed_ref`` naming the sealed paper file.
The clear-text columns ``petitioner_*`` and ``visitors`` are used only for unprotected records
(complaints, recommendations, reports). Every free text of a protected record is stored with the
identity redacted.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStamped

MASS_CASE_MIN = 5  # a group of 5 or more on one matter (Law 42/2013; Circular 05/2021)
LONG_RUNNING_REOPENS = 2  # "repeatedly reopened": resolved again twice or more


class PetitionKind(models.TextChoices):
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")
    RECOMMENDATION = "recommendation", _("Kiến nghị")
    REPORT = "report", _("Phản ánh")
    MIXED = "mixed", _("Đơn có nhiều nội dung")


# Kinds whose sender's identity is protected (a mixed petition may carry a denunciation).
PROTECTED_KINDS = frozenset({PetitionKind.DENUNCIATION, PetitionKind.MIXED})


class Source(models.TextChoices):
    RECEPTION = "reception", _("Tiếp công dân trực tiếp")
    POST = "post", _("Qua bưu chính")
    ONLINE = "online", _("Gửi trực tuyến")
    TRANSFER = "transfer", _("Cơ quan khác chuyển đến")
    OTHER = "other", _("Nguồn khác")


class Status(models.TextChoices):
    RECEIVED = "received", _("Chờ xử lý đơn")
    ACCEPTED = "accepted", _("Đã thụ lý, đang giải quyết")
    GUIDED = "guided", _("Đã hướng dẫn")
    TRANSFERRED = "transferred", _("Đã chuyển đơn")
    STORED = "stored", _("Lưu đơn")
    INFORMATION = "information", _("Lưu làm thông tin")
    RESOLVED = "resolved", _("Đã giải quyết")


OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED)


class StoreReason(models.TextChoices):
    ALREADY_GUIDED = "already_guided", _("Đơn đã được hướng dẫn một lần")
    COPY_TO_COMPETENT = (
        "copy_to_competent",
        _("Đơn gửi nhiều nơi, đã gửi đến cơ quan có thẩm quyền"),
    )
    DUPLICATE = "duplicate", _("Đơn trùng, đã nhập vào vụ việc đang giải quyết")
    CONDITIONS = "conditions", _("Đơn không đủ điều kiện xử lý")
    OTHER = "other", _("Lý do khác")


class Complexity(models.TextChoices):
    NORMAL = "normal", _("Thông thường")
    COMPLEX = "complex", _("Phức tạp")
    ESPECIALLY_COMPLEX = "especially_complex", _("Đặc biệt phức tạp")


# How many extensions each complexity allows (Law on Denunciations 25/2018 art. 30).
MAX_EXTENSIONS = {
    Complexity.NORMAL: 0,
    Complexity.COMPLEX: 1,
    Complexity.ESPECIALLY_COMPLEX: 2,
}


class Outcome(models.TextChoices):
    RIGHT = "right", _("Đúng")
    PARTLY_RIGHT = "partly_right", _("Đúng một phần")
    WRONG = "wrong", _("Sai")
    ANSWERED = "answered", _("Đã trả lời")
    WITHDRAWN = "withdrawn", _("Rút đơn, đình chỉ")


class IdentityStorage(models.TextChoices):
    ENCRYPTED = "encrypted", _("Lưu mã hóa trong hệ thống")
    SEALED_PAPER = "sealed_paper", _("Không lưu trong hệ thống, chỉ ghi số hồ sơ giấy niêm phong")


class Tag(models.Model):
    """A theme to follow (land compensation and site clearance, social policy, officials' conduct)."""

    code = models.SlugField(_("Mã"), max_length=40, unique=True)
    label = models.CharField(_("Tên"), max_length=120)

    class Meta:
        verbose_name = _("nhóm vấn đề")
        verbose_name_plural = _("nhóm vấn đề")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class PetitionSettings(models.Model):
    """Per-agency setting: where the denouncer's identity is kept."""

    agency = models.OneToOneField(
        "org.Agency", on_delete=models.CASCADE, related_name="petition_settings"
    )
    identity_storage = models.CharField(
        _("Lưu thông tin người tố cáo"),
        max_length=20,
        choices=IdentityStorage.choices,
        default=IdentityStorage.ENCRYPTED,
        help_text=_(
            "Một số tỉnh coi danh tính người tố cáo là bí mật nhà nước, không được lưu trên máy "
            "tính nối mạng: chọn “không lưu” để chỉ ghi số hồ sơ giấy niêm phong."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thiết lập tiếp công dân")
        verbose_name_plural = _("thiết lập tiếp công dân")

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.identity_storage}"


class ReceptionQuota(models.Model):
    """The legal minimum of reception days of a leader, by level (Law 42/2013 art. 12-15).

    Versioned like deadline rules: the version in force on the first day of the month applies."""

    class Level(models.TextChoices):
        COMMUNE_CHAIR = "commune_chair", _("Chủ tịch UBND cấp xã")
        DISTRICT_CHAIR = "district_chair", _("Chủ tịch UBND cấp huyện")
        PROVINCE_CHAIR = "province_chair", _("Chủ tịch UBND cấp tỉnh")
        AGENCY_HEAD = "agency_head", _("Thủ trưởng cơ quan khác")

    class Per(models.TextChoices):
        WEEK = "week", _("mỗi tuần")
        MONTH = "month", _("mỗi tháng")

    level = models.CharField(_("Cấp"), max_length=20, choices=Level.choices)
    days = models.PositiveSmallIntegerField(_("Số ngày tối thiểu"))
    per = models.CharField(_("Trong"), max_length=10, choices=Per.choices)
    effective_from = models.DateField(_("Áp dụng từ ngày"))
    legal_basis = models.CharField(_("Căn cứ pháp lý"), max_length=300)

    class Meta:
        verbose_name = _("định mức tiếp công dân")
        verbose_name_plural = _("định mức tiếp công dân")
        ordering = ["level", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "effective_from"], name="petitions_quota_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.days} {self.get_per_display()}"


class ReceptionDay(TimeStamped):
    """A leader's reception day (lịch tiếp công dân), regular or extra, published on the portal."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Định kỳ")
        EXTRA = "extra", _("Đột xuất")

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        "org.Official", verbose_name=_("Lãnh đạo tiếp"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("Ngày tiếp"), db_index=True)
    start_time = models.TimeField(_("Từ giờ"))
    end_time = models.TimeField(_("Đến giờ"))
    kind = models.CharField(_("Loại"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    location = models.CharField(_("Địa điểm"), max_length=200)
    note = models.CharField(_("Ghi chú"), max_length=300, blank=True)
    published = models.BooleanField(_("Công bố trên cổng thông tin"), default=True)

    class Meta:
        verbose_name = _("ngày tiếp công dân")
        verbose_name_plural = _("lịch tiếp công dân")
        ordering = ["day", "start_time"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.start_time:%H:%M}"


class ReceptionEntry(TimeStamped):
    """One visit in the reception register (sổ tiếp công dân)."""

    code = models.CharField(_("Số vào sổ"), max_length=60, unique=True)
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("Thời điểm tiếp"), db_index=True)
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người tiếp"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reception_day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("Buổi tiếp của lãnh đạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )
    kind = models.CharField(_("Loại việc"), max_length=20, choices=PetitionKind.choices)
    visitor_count = models.PositiveIntegerField(_("Số người đến"), default=1)
    representative_count = models.PositiveSmallIntegerField(_("Số người đại diện"), default=0)
    protected = models.BooleanField(_("Bảo vệ danh tính"), default=False, editable=False)
    visitors = models.JSONField(_("Người đến (không bảo mật)"), default=list, blank=True)
    identity_sealed = models.TextField(blank=True, editable=False)
    sealed_ref = models.CharField(_("Số hồ sơ giấy niêm phong"), max_length=100, blank=True)
    content = models.TextField(_("Nội dung"))
    documents_received = models.TextField(_("Tài liệu nhận"), blank=True)
    guidance = models.TextField(_("Nội dung hướng dẫn, trả lời"), blank=True)
    reply_due_at = models.DateTimeField(_("Hạn trả lời"), null=True, blank=True)
    petition = models.OneToOneField(
        "Petition",
        verbose_name=_("Đơn được lập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reception_entry",
    )

    class Meta:
        verbose_name = _("lượt tiếp công dân")
        verbose_name_plural = _("sổ tiếp công dân")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["agency", "received_at"])]

    def __str__(self) -> str:
        return self.code

    @property
    def is_mass_case(self) -> bool:
        return self.visitor_count >= MASS_CASE_MIN


def overdue_q(now: datetime) -> models.Q:
    """*Overdue*: an open petition whose current deadline (``current_due_at``, kept in step with
    the status by the services) has passed. The one definition, for querysets and aggregates."""
    return models.Q(status__in=OPEN_STATUSES, current_due_at__lt=now)


def due_before_q(now: datetime, until: datetime) -> models.Q:
    """*Due soon*: open, current deadline not passed yet but before ``until``."""
    return models.Q(status__in=OPEN_STATUSES, current_due_at__gte=now, current_due_at__lt=until)


def long_running_q(now: datetime) -> models.Q:
    """*Long-running*: accepted and past its resolution deadline, or reopened twice or more."""
    return (
        models.Q(status=Status.ACCEPTED, resolution_due_at__lt=now)
        | models.Q(reopen_count__gte=LONG_RUNNING_REOPENS)
    ) & ~models.Q(status__in=[Status.STORED, Status.INFORMATION])


class PetitionQuerySet(models.QuerySet["Petition"]):
    """The derived states, each defined once: *overdue* (:func:`overdue_q`), *due soon*
    (:func:`due_before_q`); *long-running* is an accepted petition past its resolution deadline,
    or one reopened twice or more; *late* a resolution after its deadline."""

    def open(self) -> PetitionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now: datetime) -> PetitionQuerySet:
        return self.filter(overdue_q(now))

    def due_before(self, now: datetime, until: datetime) -> PetitionQuerySet:
        return self.filter(due_before_q(now, until))

    def long_running(self, now: datetime) -> PetitionQuerySet:
        return self.filter(long_running_q(now))

    def mass_cases(self) -> PetitionQuerySet:
        return self.filter(signers_count__gte=MASS_CASE_MIN)

    def resolved_late(self) -> PetitionQuerySet:
        return self.filter(status=Status.RESOLVED, resolved_at__gt=models.F("resolution_due_at"))

    def resolved_on_time(self) -> PetitionQuerySet:
        return self.filter(status=Status.RESOLVED, resolved_at__lte=models.F("resolution_due_at"))


class Petition(TimeStamped):
    """A written or recorded petition (đơn thư) and its handling."""

    code = models.CharField(_("Mã đơn"), max_length=60, unique=True)
    tracking_code = models.CharField(_("Mã tra cứu"), max_length=20, unique=True, editable=False)
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("Cơ quan xử lý"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("Phân loại"), max_length=20, choices=PetitionKind.choices)
    round = models.PositiveSmallIntegerField(_("Lần khiếu nại"), null=True, blank=True)
    first_round = models.ForeignKey(
        "self",
        verbose_name=_("Khiếu nại lần đầu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="second_rounds",
    )
    source = models.CharField(_("Nguồn đơn"), max_length=20, choices=Source.choices)
    source_body = models.CharField(_("Cơ quan chuyển đến"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("Ngày nhận đơn"), db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signers_count = models.PositiveIntegerField(_("Số người đứng tên"), default=1)
    # --- identity -----------------------------------------------------------------------------
    protected = models.BooleanField(_("Bảo vệ danh tính"), default=False, editable=False)
    is_anonymous = models.BooleanField(_("Nặc danh, mạo danh"), default=False)
    petitioner_name = models.CharField(_("Người gửi đơn"), max_length=200, blank=True)
    petitioner_address = models.CharField(_("Địa chỉ"), max_length=300, blank=True)
    petitioner_phone = models.CharField(_("Điện thoại"), max_length=20, blank=True)
    petitioner_email = models.EmailField(_("Thư điện tử"), blank=True)
    representatives = models.JSONField(_("Người đại diện"), default=list, blank=True)
    identity_sealed = models.TextField(blank=True, editable=False)
    sealed_ref = models.CharField(_("Số hồ sơ giấy niêm phong"), max_length=100, blank=True)
    person_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # --- content ------------------------------------------------------------------------------
    subject = models.CharField(_("Trích yếu"), max_length=300)
    content = models.TextField(_("Nội dung"))
    decision_complained = models.CharField(
        _("Quyết định, hành vi bị khiếu nại"), max_length=300, blank=True
    )
    decision_known_on = models.DateField(_("Ngày biết quyết định"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("Nhóm vấn đề"), blank=True, related_name="+")
    # --- classification and conditions --------------------------------------------------------
    cond_language = models.BooleanField(_("Dùng tiếng Việt"), null=True, blank=True)
    cond_date = models.BooleanField(_("Ghi ngày, tháng, năm"), null=True, blank=True)
    cond_name = models.BooleanField(_("Ghi họ tên"), null=True, blank=True)
    cond_address = models.BooleanField(_("Ghi địa chỉ"), null=True, blank=True)
    cond_signature = models.BooleanField(_("Có chữ ký"), null=True, blank=True)
    competent = models.BooleanField(_("Thuộc thẩm quyền"), null=True, blank=True)
    classified_at = models.DateTimeField(_("Phân loại lúc"), null=True, blank=True)
    is_complex = models.BooleanField(_("Vụ việc phức tạp"), default=False)
    is_remote = models.BooleanField(_("Vùng sâu, vùng xa"), default=False)
    complexity = models.CharField(
        _("Mức độ phức tạp (tố cáo)"),
        max_length=20,
        choices=Complexity.choices,
        default=Complexity.NORMAL,
    )
    # --- handling -----------------------------------------------------------------------------
    status = models.CharField(
        _("Trạng thái"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    handling_due_at = models.DateTimeField(_("Hạn xử lý đơn"), null=True, blank=True)
    handling_basis = models.CharField(_("Căn cứ hạn xử lý"), max_length=300, blank=True)
    handled_at = models.DateTimeField(_("Xử lý đơn lúc"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("Ngày thụ lý"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("Hạn giải quyết"), null=True, blank=True)
    resolution_basis = models.CharField(_("Căn cứ hạn giải quyết"), max_length=300, blank=True)
    current_due_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    extensions_count = models.PositiveSmallIntegerField(_("Số lần gia hạn"), default=0)
    transferred_to = models.ForeignKey(
        "org.Agency",
        verbose_name=_("Chuyển đến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transferred_to_name = models.CharField(_("Chuyển đến (cơ quan)"), max_length=200, blank=True)
    transferred_from = models.ForeignKey(
        "self",
        verbose_name=_("Đơn gốc (cơ quan chuyển)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    guided_to = models.CharField(_("Hướng dẫn đến"), max_length=200, blank=True)
    handling_note = models.TextField(_("Ý kiến xử lý"), blank=True)
    store_reason = models.CharField(
        _("Lý do lưu đơn"), max_length=20, choices=StoreReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("Trùng với vụ việc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    # --- resolution ---------------------------------------------------------------------------
    resolved_at = models.DateTimeField(_("Ngày giải quyết"), null=True, blank=True)
    outcome = models.CharField(_("Kết quả"), max_length=20, choices=Outcome.choices, blank=True)
    resolution_summary = models.TextField(_("Nội dung kết luận, quyết định"), blank=True)
    decision_symbol = models.CharField(_("Số, ký hiệu quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("Ngày quyết định"), null=True, blank=True)
    legal_effect_date = models.DateField(_("Ngày có hiệu lực pháp luật"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("Số lần giải quyết lại"), default=0)
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn thư")
        verbose_name_plural = _("đơn thư")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["agency", "received_at"]),
        ]

    def __str__(self) -> str:
        # Never the petitioner: this string goes to the audit trail and to logs.
        return f"{self.code} ({self.get_kind_display()})"

    @property
    def is_mass_case(self) -> bool:
        return self.signers_count >= MASS_CASE_MIN

    @property
    def variant(self) -> str:
        """The deadline variant: normal / complex / remote / remote_complex."""
        if self.is_remote and self.is_complex:
            return "remote_complex"
        if self.is_remote:
            return "remote"
        if self.is_complex:
            return "complex"
        return "normal"

    @property
    def max_extensions(self) -> int:
        return MAX_EXTENSIONS[Complexity(self.complexity)]

    @property
    def conditions_met(self) -> bool | None:
        values = [
            self.cond_language,
            self.cond_date,
            self.cond_name,
            self.cond_address,
            self.cond_signature,
        ]
        if any(v is None for v in values):
            return None
        return all(values)

    def timeliness(self, now: datetime) -> str:
        """``overdue`` / ``on_time`` (open) — ``late`` / ``on_time`` (resolved) — ``""``.

        The same definitions as :class:`PetitionQuerySet` (overdue, resolved_late)."""
        if self.status in OPEN_STATUSES:
            if self.current_due_at is not None and self.current_due_at < now:
                return "overdue"
            return "on_time"
        if self.status == Status.RESOLVED and self.resolution_due_at and self.resolved_at:
            return "late" if self.resolved_at > self.resolution_due_at else "on_time"
        return ""


class Assignment(models.Model):
    """An official assigned to a petition: to receive, to resolve (both see the identity) or to
    verify the content (gets the redacted copy only)."""

    class Duty(models.TextChoices):
        RECEIVE = "receive", _("Tiếp nhận, xử lý đơn")
        RESOLVE = "resolve", _("Giải quyết")
        VERIFY = "verify", _("Xác minh")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="assignments")
    official = models.ForeignKey("org.Official", on_delete=models.PROTECT, related_name="+")
    duty = models.CharField(_("Nhiệm vụ"), max_length=10, choices=Duty.choices)
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "official", "duty"], name="petitions_assign_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}/{self.official_id}/{self.duty}"


SEES_IDENTITY = (Assignment.Duty.RECEIVE, Assignment.Duty.RESOLVE)


EVENT_LABELS = {
    "receive": _("Tiếp nhận đơn"),
    "classify": _("Phân loại, kiểm tra điều kiện"),
    "assign": _("Phân công"),
    "accept": _("Thụ lý"),
    "guide": _("Hướng dẫn"),
    "transfer": _("Chuyển đơn"),
    "store": _("Lưu đơn"),
    "duplicate": _("Gắn đơn trùng"),
    "duplicate_joined": _("Nhập đơn trùng"),
    "verify": _("Xác minh"),
    "extend": _("Gia hạn"),
    "resolve": _("Giải quyết"),
    "reopen": _("Giải quyết lại"),
}


class PetitionEvent(models.Model):
    """A step in the petition's history (shown as its timeline)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("Thời điểm"))
    kind = models.CharField(_("Bước"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("Ghi chú"), blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.kind}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.kind, self.kind))


class DocKind(models.TextChoices):
    ACCEPTANCE_NOTICE = "acceptance", _("Thông báo thụ lý")
    TRANSFER_SLIP = "transfer", _("Phiếu chuyển đơn")
    GUIDANCE_LETTER = "guidance", _("Văn bản hướng dẫn")
    EXTENSION_NOTICE = "extension", _("Thông báo gia hạn giải quyết")
    COMPLAINT_DECISION = "complaint_decision", _("Quyết định giải quyết khiếu nại")
    DENUNCIATION_CONCLUSION = "denunciation_conclusion", _("Kết luận nội dung tố cáo")
    ANSWER = "answer", _("Văn bản trả lời")


class PetitionDocument(models.Model):
    """A numbered document issued on a petition. The file is rendered on demand from the
    petition (so a protected identity is filled in only for those who may see it)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("Loại văn bản"), max_length=30, choices=DocKind.choices)
    symbol = models.CharField(_("Số, ký hiệu"), max_length=60)
    issued_on = models.DateField(_("Ngày ban hành"))
    data = models.JSONField(default=dict, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản đã ban hành")
        ordering = ["issued_on", "pk"]

    def __str__(self) -> str:
        return self.symbol


class Extension(models.Model):
    """An extension of a denunciation's resolution (in writing: it has its notice)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="extensions")
    number = models.PositiveSmallIntegerField(_("Lần gia hạn"))
    reason = models.TextField(_("Lý do"))
    old_due_at = models.DateTimeField(_("Hạn cũ"))
    new_due_at = models.DateTimeField(_("Hạn mới"))
    document = models.ForeignKey(PetitionDocument, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "number"], name="petitions_extension_once")
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} #{self.number}"
