"""The roles an official can hold, and what each may see (its scope)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FRONT_DESK = "front_desk", _("Cán bộ tiếp nhận (Một cửa)")
    HANDLER = "handler", _("Cán bộ thụ lý, giải quyết")
    HEAD = "head", _("Thủ trưởng cơ quan")
    COMMITTEE_LEADER = "committee_leader", _("Lãnh đạo UBND")
    HOME_AFFAIRS = "home_affairs", _("Cán bộ tổng hợp Sở Nội vụ")
    INSPECTOR = "inspector", _("Thanh tra viên")
    SYSADMIN = "sysadmin", _("Quản trị hệ thống")


# Roles that see more than their own agency.
WIDE_SCOPE_ROLES = {Role.COMMITTEE_LEADER, Role.HOME_AFFAIRS, Role.INSPECTOR, Role.SYSADMIN}
