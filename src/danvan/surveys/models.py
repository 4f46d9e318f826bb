"""Citizen satisfaction surveys (khảo sát sự hài lòng, SIPAS-style).

- :class:`Questionnaire` (phiếu khảo sát) is versioned: a published version is frozen; a change is
  a new draft version. It has :class:`Section` s (one of the five SIPAS elements, or custom) and
  :class:`Question` s (5-point scale, single or multiple choice, number, free text).
- :class:`Campaign` (đợt khảo sát) runs one questionnaire version for some agencies
  (:class:`CampaignAgency`, with the population N and the target sample n) over a period.
- Distribution: a one-time :class:`Invitation` (link and QR code per returned dossier), the
  public link of each agency, a counter :class:`Kiosk`, and paper questionnaires entered by
  officials.
- :class:`Response` s are anonymous unless the respondent chose to leave contact details (stored
  encrypted). "Exactly one response per invitation" is a unique constraint of the database.

Every write goes through :mod:`danvan.surveys.services`; the indices come from one selector,
:func:`danvan.surveys.selectors.satisfaction_indices`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from danvan.core import crypto
from danvan.core.models import TimeStamped
from danvan.org.models import Agency
from danvan.surveys.sipas import DEFAULT_MARGIN, Element


def _local(obj: models.Model, name: str) -> str:
    """The English text when the page is in English and one was written, else the Vietnamese."""
    if (get_language() or "vi").startswith("en"):
        english = getattr(obj, f"{name}_en", "")
        if english:
            return str(english)
    return str(getattr(obj, name))


# --- Questionnaires --------------------------------------------------------------------------------
class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã ban hành")
    RETIRED = "retired", _("Ngừng sử dụng")


class Questionnaire(TimeStamped):
    """One version of a questionnaire. Versions of the same ``code`` form a family."""

    code = models.SlugField(
        _("Mã phiếu"), max_length=40, help_text=_("Các phiên bản của cùng một phiếu có chung mã.")
    )
    version = models.PositiveSmallIntegerField(_("Phiên bản"), default=1)
    title = models.CharField(_("Tên phiếu"), max_length=300)
    title_en = models.CharField(_("Tên phiếu (tiếng Anh)"), max_length=300, blank=True)
    intro = models.TextField(_("Lời giới thiệu"), blank=True)
    intro_en = models.TextField(_("Lời giới thiệu (tiếng Anh)"), blank=True)
    status = models.CharField(
        _("Trạng thái"),
        max_length=12,
        choices=QuestionnaireStatus.choices,
        default=QuestionnaireStatus.DRAFT,
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("Phiên bản trước"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("Ban hành lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phiếu khảo sát")
        verbose_name_plural = _("phiếu khảo sát")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="surveys_questionnaire_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_draft(self) -> bool:
        return self.status == QuestionnaireStatus.DRAFT

    @property
    def title_local(self) -> str:
        return _local(self, "title")

    @property
    def intro_local(self) -> str:
        return _local(self, "intro")


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)
    element = models.CharField(
        _("Yếu tố"), max_length=12, choices=Element.choices, default=Element.CUSTOM
    )
    title = models.CharField(_("Tiêu đề phần"), max_length=300)
    title_en = models.CharField(_("Tiêu đề phần (tiếng Anh)"), max_length=300, blank=True)
    in_index = models.BooleanField(
        _("Tính vào chỉ số hài lòng chung"),
        default=True,
        help_text=_(
            "Các câu hỏi thang 5 mức của phần này được tính vào chỉ số chung. Tắt cho phần thông "
            "tin người trả lời."
        ),
    )

    class Meta:
        verbose_name = _("phần của phiếu")
        verbose_name_plural = _("các phần của phiếu")
        ordering = ["questionnaire", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title_local(self) -> str:
        return _local(self, "title")

    @property
    def element_key(self) -> str:
        """What the index groups by: the SIPAS element, or the custom section's own title."""
        return self.element if self.element != Element.CUSTOM else f"custom:{self.title}"


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Mức độ hài lòng (thang 5 mức)")
    SINGLE = "single", _("Chọn một")
    MULTIPLE = "multiple", _("Chọn nhiều")
    NUMBER = "number", _("Số")
    TEXT = "text", _("Ý kiến (tự do)")


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)
    code = models.CharField(
        _("Mã câu hỏi"),
        max_length=20,
        help_text=_(
            "Ví dụ TC1, CC3. Câu hỏi cùng mã ở các phiên bản khác nhau được tổng hợp chung."
        ),
    )
    kind = models.CharField(_("Loại câu hỏi"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("Nội dung câu hỏi"), max_length=500)
    text_en = models.CharField(_("Nội dung câu hỏi (tiếng Anh)"), max_length=500, blank=True)
    help = models.CharField(_("Gợi ý"), max_length=300, blank=True)
    help_en = models.CharField(_("Gợi ý (tiếng Anh)"), max_length=300, blank=True)
    required = models.BooleanField(_("Bắt buộc trả lời"), default=True)
    allow_na = models.BooleanField(
        _("Cho phép chọn “Không áp dụng”"),
        default=False,
        help_text=_("Chỉ với câu hỏi thang 5 mức; câu trả lời này không tính vào chỉ số."),
    )
    min_value = models.DecimalField(
        _("Giá trị nhỏ nhất"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("Giá trị lớn nhất"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["questionnaire", "section__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="surveys_question_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"

    @property
    def text_local(self) -> str:
        return _local(self, "text")

    @property
    def help_local(self) -> str:
        return _local(self, "help")

    @property
    def field_name(self) -> str:
        """The name of the question's input in the answering form."""
        return f"q-{self.code}"


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("Mã lựa chọn"), max_length=20)
    label = models.CharField(_("Lựa chọn"), max_length=300)
    label_en = models.CharField(_("Lựa chọn (tiếng Anh)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lựa chọn")
        verbose_name_plural = _("lựa chọn")
        ordering = ["question", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="surveys_choice_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label_local(self) -> str:
        return _local(self, "label")


# --- Campaigns -------------------------------------------------------------------------------------
class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    OPEN = "open", _("Đang khảo sát")
    CLOSED = "closed", _("Đã kết thúc")


class Campaign(TimeStamped):
    """A questionnaire run for some agencies over a period (đợt khảo sát)."""

    title = models.CharField(_("Tên đợt khảo sát"), max_length=300)
    title_en = models.CharField(_("Tên đợt khảo sát (tiếng Anh)"), max_length=300, blank=True)
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("Phiếu khảo sát"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("Cơ quan tổ chức"),
        on_delete=models.PROTECT,
        related_name="survey_campaigns",
    )
    starts_on = models.DateField(_("Từ ngày"))
    ends_on = models.DateField(_("Đến ngày"))
    margin = models.DecimalField(
        _("Sai số cho phép (e)"),
        max_digits=4,
        decimal_places=3,
        default=DEFAULT_MARGIN,
        help_text=_("Cỡ mẫu n = N / (1 + N·e²); SIPAS dùng e = 0,05."),
    )
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    allow_public_link = models.BooleanField(_("Nhận phiếu qua đường dẫn công khai"), default=True)
    allow_kiosk = models.BooleanField(_("Nhận phiếu tại máy khảo sát ở quầy"), default=True)
    results_published = models.BooleanField(_("Công khai kết quả"), default=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("đợt khảo sát")
        verbose_name_plural = _("đợt khảo sát")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="surveys_campaign_dates"
            ),
            models.CheckConstraint(
                condition=Q(margin__gt=0) & Q(margin__lt=1), name="surveys_campaign_margin"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title_local(self) -> str:
        return _local(self, "title")

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN


class CampaignAgency(models.Model):
    """An agency surveyed in a campaign: its population N and target sample n."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participants")
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    population = models.PositiveIntegerField(
        _("Tổng thể (N)"),
        default=0,
        help_text=_("Số lượt người dân, tổ chức được phục vụ trong kỳ (ví dụ số hồ sơ đã trả)."),
    )
    target_sample = models.PositiveIntegerField(_("Cỡ mẫu cần đạt (n)"), default=0, editable=False)

    class Meta:
        verbose_name = _("cơ quan được khảo sát")
        verbose_name_plural = _("cơ quan được khảo sát")
        ordering = ["campaign", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "agency"], name="surveys_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.agency}"

    @property
    def scope_agency(self) -> Agency:
        return self.agency


# --- Distribution ----------------------------------------------------------------------------------
class Invitation(models.Model):
    """A one-time link to answer (printed as a QR code on the result slip, sent by SMS/e-mail).
    Only the token's SHA-256 is stored; the token itself is given out once."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    subject_type = models.CharField(_("Loại đối tượng"), max_length=100, blank=True)
    subject_id = models.CharField(_("Mã đối tượng"), max_length=64, blank=True)
    field = models.CharField(_("Lĩnh vực"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("Hết hạn lúc"))
    used_at = models.DateTimeField(_("Đã trả lời lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư mời khảo sát")
        verbose_name_plural = _("thư mời khảo sát")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subject_type", "subject_id"],
                condition=~Q(subject_id=""),
                name="surveys_invitation_per_subject",
            )
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject_type}:{self.subject_id}"

    @property
    def scope_agency(self) -> Agency:
        return self.agency


class Kiosk(models.Model):
    """A counter tablet that takes anonymous answers for one agency (opened by its secret URL)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("Tên máy, vị trí"), max_length=120)
    key = models.CharField(max_length=64, unique=True, editable=False)
    idle_seconds = models.PositiveSmallIntegerField(
        _("Tự xóa phiếu đang làm dở sau (giây)"), default=90
    )
    is_active = models.BooleanField(_("Đang dùng"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(_("Gửi phiếu lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("máy khảo sát tại quầy")
        verbose_name_plural = _("máy khảo sát tại quầy")
        ordering = ["agency__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(idle_seconds__gte=3) & Q(idle_seconds__lte=3600),
                name="surveys_kiosk_idle_bounds",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.agency}"


# --- Responses -------------------------------------------------------------------------------------
class ResponseChannel(models.TextChoices):
    INVITATION = "invitation", _("Đường dẫn riêng (mã QR, SMS)")
    PUBLIC = "public", _("Đường dẫn công khai")
    KIOSK = "kiosk", _("Máy khảo sát tại quầy")
    PAPER = "paper", _("Phiếu giấy")


class ResponseQuerySet(models.QuerySet["Response"]):
    def valid(self) -> ResponseQuerySet:
        return self.filter(voided_at__isnull=True)


class Response(models.Model):
    """One filled-in questionnaire (phiếu trả lời)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses")
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan được đánh giá"), on_delete=models.PROTECT, related_name="+"
    )
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("Kênh"), max_length=12, choices=ResponseChannel.choices)
    # One response per invitation: enforced by the database (unique), whatever the race.
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="response"
    )
    kiosk = models.ForeignKey(
        Kiosk, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    client_id = models.UUIDField(
        null=True, blank=True, help_text="id given by the kiosk, so a resend is not counted twice"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người nhập phiếu giấy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paper_ref = models.CharField(_("Số phiếu giấy"), max_length=40, blank=True)
    field = models.CharField(_("Lĩnh vực"), max_length=200, blank=True)
    answered_on = models.DateField(_("Ngày trả lời"))
    submitted_at = models.DateTimeField(_("Ghi nhận lúc"))
    is_anonymous = models.BooleanField(_("Ẩn danh"), default=True)
    contact_encrypted = models.TextField(blank=True, editable=False)
    # HMAC of the client address and the day, to limit abuse of the public link; cleared daily.
    source_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    voided_at = models.DateTimeField(_("Hủy lúc"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.CharField(_("Lý do hủy"), max_length=300, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = _("phiếu trả lời")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kiosk", "client_id"],
                condition=Q(client_id__isnull=False),
                name="surveys_kiosk_submission_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "agency", "paper_ref"],
                condition=~Q(paper_ref=""),
                name="surveys_paper_sheet_once",
            ),
            models.CheckConstraint(
                condition=(Q(channel="invitation") & Q(invitation__isnull=False))
                | (~Q(channel="invitation") & Q(invitation__isnull=True)),
                name="surveys_invitation_channel",
            ),
            models.CheckConstraint(
                condition=~Q(channel="paper") | Q(entered_by__isnull=False),
                name="surveys_paper_entered_by",
            ),
            models.CheckConstraint(
                condition=Q(is_anonymous=False) | Q(contact_encrypted=""),
                name="surveys_anonymous_has_no_contact",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "answered_on"], name="surveys_resp_agency_day"),
            models.Index(fields=["campaign", "agency"], name="surveys_resp_campaign"),
        ]

    def __str__(self) -> str:
        return f"Phiếu #{self.pk}"

    @property
    def scope_agency(self) -> Agency:
        return self.agency

    @property
    def contact(self) -> str:
        return crypto.decrypt(self.contact_encrypted) if self.contact_encrypted else ""


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("câu trả lời")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="surveys_answer_once"),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | (Q(scale__gte=1) & Q(scale__lte=5)),
                name="surveys_scale_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | Q(scale__isnull=True),
                name="surveys_na_has_no_scale",
            ),
        ]
        indexes = [models.Index(fields=["question", "scale"], name="surveys_answer_scale")]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
