"""Administrative units, agencies, officials and their roles."""

from __future__ import annotations

from datetime import date, time

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.core.calendar import OfficeHours
from danvan.core.models import TimeStamped
from danvan.org.roles import Role


class User(AbstractUser):
    """A person who signs in: an official, or a citizen with an account."""

    full_name = models.CharField(_("Họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.get_username()


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện")
    COMMUNE = "commune", _("Xã")


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    def valid_on(self, day: date) -> AdminUnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )

    def current(self) -> AdminUnitQuerySet:
        return self.filter(valid_to__isnull=True)


class AdminUnit(models.Model):
    """An administrative unit (tỉnh, huyện, xã/phường/thị trấn) valid over a period.

    ``path`` is the materialised path of ids ("/1/12/340/"), so "every unit under X" is one
    indexed ``startswith`` query on both databases.
    """

    code = models.CharField(_("Mã đơn vị hành chính"), max_length=10)
    name = models.CharField(_("Tên"), max_length=120)
    kind = models.CharField(_("Loại"), max_length=40, help_text=_("tỉnh, huyện, thành phố, xã…"))
    level = models.CharField(_("Cấp"), max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    valid_from = models.DateField(_("Hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("Hết hiệu lực từ"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("Đơn vị kế thừa"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
    )

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "valid_from"], name="org_unit_code_per_period"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def is_within(self, other: AdminUnit) -> bool:
        """True when this unit is ``other`` or lies under it."""
        return self.path.startswith(other.path)


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    PC_OFFICE = "pc_office", _("Văn phòng UBND")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    HOME_AFFAIRS = "home_affairs", _("Sở Nội vụ")
    INSPECTORATE = "inspectorate", _("Thanh tra")
    FATHERLAND_FRONT = "fatherland_front", _("Ủy ban Mặt trận Tổ quốc")
    OTHER = "other", _("Cơ quan khác")


class Agency(TimeStamped):
    """An organisation that acts: a People's Committee, a department, an inspectorate…"""

    code = models.CharField(
        _("Mã cơ quan"),
        max_length=30,
        unique=True,
        help_text=_("Dùng trong mã hồ sơ Một cửa, ví dụ STP, UBND-XPK."),
    )
    name = models.CharField(_("Tên cơ quan"), max_length=200)
    short_name = models.CharField(_("Tên viết tắt"), max_length=60, blank=True)
    symbol = models.CharField(
        _("Ký hiệu trên văn bản"),
        max_length=20,
        help_text=_("Ví dụ UBND, SNV, STP: Số 05/KH-UBND."),
    )
    kind = models.CharField(_("Loại cơ quan"), max_length=30, choices=AgencyKind.choices)
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("Địa bàn"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_partner = models.BooleanField(
        _("Cơ quan phối hợp"),
        default=False,
        help_text=_("Mặt trận Tổ quốc và các đoàn thể: phối hợp, không thuộc bộ máy hành chính."),
    )
    mobilisation_lead = models.ForeignKey(
        "Official",
        verbose_name=_("Lãnh đạo phụ trách công tác dân vận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads_mobilisation_of",
    )
    place_name = models.CharField(
        _("Địa danh trên văn bản"),
        max_length=60,
        blank=True,
        help_text=_("Ví dụ: Bến Tre, ngày 05 tháng 01 năm 2026."),
    )
    address = models.CharField(_("Địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("Thư điện tử"), blank=True)
    # Working hours (core calendar): office hours, Saturday counter, the after-15:00 rule.
    morning_start = models.TimeField(_("Sáng từ"), default=time(7, 30))
    morning_end = models.TimeField(_("Sáng đến"), default=time(11, 30))
    afternoon_start = models.TimeField(_("Chiều từ"), default=time(13, 30))
    afternoon_end = models.TimeField(_("Chiều đến"), default=time(17, 0))
    saturday_morning_counter = models.BooleanField(
        _("Một cửa làm việc sáng thứ Bảy"), default=False
    )
    after_hours_cutoff = models.TimeField(
        _("Giờ chuyển sang ngày làm việc sau"),
        null=True,
        blank=True,
        default=time(15, 0),
        help_text=_(
            "Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo. Để trống: không áp dụng."
        ),
    )
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def office_hours(self) -> OfficeHours:
        return OfficeHours(
            morning=(self.morning_start, self.morning_end),
            afternoon=(self.afternoon_start, self.afternoon_end),
            saturday_morning_counter=self.saturday_morning_counter,
            after_hours_cutoff=self.after_hours_cutoff,
        )


class Official(TimeStamped):
    """A user's membership of an agency (cán bộ, công chức), with the roles held there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người dùng"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="officials"
    )
    position = models.CharField(_("Chức vụ"), max_length=120, blank=True)
    is_active = models.BooleanField(_("Đang công tác"), default=True)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ, công chức")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="org_one_membership_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.agency}"

    @property
    def role_codes(self) -> frozenset[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = frozenset(r.role for r in self.roles.all())
            self._role_codes = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))


class OfficialRole(models.Model):
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("Vai trò"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        constraints = [models.UniqueConstraint(fields=["official", "role"], name="org_role_once")]

    def __str__(self) -> str:
        return self.get_role_display()
