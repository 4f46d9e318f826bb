"""A small province for tests: units, agencies and one official per role.

    Tỉnh P ─┬─ Huyện A ── Xã A1          agencies: UBND tỉnh, Sở Nội vụ, Thanh tra tỉnh,
            └─ Huyện B ── Xã B1          Văn phòng UBND tỉnh, Sở Tư pháp, UBND huyện A/B, UBND xã A1/B1

Officials of the "own unit" sit in UBND huyện A (front desk, handler, head, committee leader);
Home Affairs, the Inspectorate and the system administrator sit at the province. "Another unit"
means huyện B. Later apps build their objects in ``world.own(role)`` and ``world.other``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser

from danvan.org import services
from danvan.org.models import AdminUnit, Agency, AgencyKind, UnitLevel, User
from danvan.org.roles import Role

PASSWORD = "Mat-khau-thu-nghiem-1"
ROLES = [
    "anonymous",
    "citizen",
    Role.FRONT_DESK.value,
    Role.HANDLER.value,
    Role.HEAD.value,
    Role.COMMITTEE_LEADER.value,
    Role.HOME_AFFAIRS.value,
    Role.INSPECTOR.value,
    Role.SYSADMIN.value,
]
OFFICIAL_ROLES = ROLES[2:]


def unit(code: str, name: str, level: str, parent: AdminUnit | None = None) -> AdminUnit:
    u = AdminUnit.objects.create(
        code=code, name=name, kind=name.split()[0].lower(), level=level, parent=parent
    )
    u.path = f"{parent.path if parent else '/'}{u.pk}/"
    u.save(update_fields=["path"])
    return u


def agency(
    code: str,
    name: str,
    kind: str,
    where: AdminUnit,
    parent: Agency | None = None,
    symbol: str = "UBND",
) -> Agency:
    return Agency.objects.create(
        code=code,
        name=name,
        short_name=name,
        symbol=symbol,
        kind=kind,
        unit=where,
        parent=parent,
        place_name=where.name.split(" ", 1)[-1],
    )


def user(username: str, full_name: str = "", **extra: Any) -> User:
    u = User.objects.create(username=username, full_name=full_name or username, **extra)
    u.set_password(PASSWORD)
    u.save()
    return u


@dataclass
class World:
    units: dict[str, AdminUnit] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    home: dict[str, str] = field(default_factory=dict)  # role -> agency key

    def own(self, role: str) -> Agency:
        """The agency a role's official works in (UBND huyện A for citizens and anonymous)."""
        return self.agencies[self.home.get(role, "pc_a")]

    @property
    def other(self) -> Agency:
        """An agency in another unit (huyện B)."""
        return self.agencies["pc_b"]

    def user(self, role: str) -> Any:
        return self.users[role]


def build_world() -> World:
    w = World()
    p = w.units["p"] = unit("83", "Tỉnh Thử Nghiệm", UnitLevel.PROVINCE)
    a = w.units["a"] = unit("801", "Huyện An Phú", UnitLevel.DISTRICT, p)
    b = w.units["b"] = unit("802", "Huyện Bình Minh", UnitLevel.DISTRICT, p)
    w.units["a1"] = unit("80101", "Xã An Hòa", UnitLevel.COMMUNE, a)
    w.units["b1"] = unit("80201", "Xã Bình Lợi", UnitLevel.COMMUNE, b)
    ag = w.agencies
    ag["pc_p"] = agency(
        "UBND-P", "Ủy ban nhân dân tỉnh Thử Nghiệm", AgencyKind.PEOPLES_COMMITTEE, p
    )
    ag["office"] = agency("VP", "Văn phòng UBND tỉnh", AgencyKind.PC_OFFICE, p, ag["pc_p"], "VP")
    ag["home_affairs"] = agency("SNV", "Sở Nội vụ", AgencyKind.HOME_AFFAIRS, p, ag["pc_p"], "SNV")
    ag["inspectorate"] = agency(
        "TTT", "Thanh tra tỉnh", AgencyKind.INSPECTORATE, p, ag["pc_p"], "TTr"
    )
    ag["justice"] = agency("STP", "Sở Tư pháp", AgencyKind.DEPARTMENT, p, ag["pc_p"], "STP")
    ag["pc_a"] = agency(
        "UBND-A", "Ủy ban nhân dân huyện An Phú", AgencyKind.PEOPLES_COMMITTEE, a, ag["pc_p"]
    )
    ag["pc_b"] = agency(
        "UBND-B", "Ủy ban nhân dân huyện Bình Minh", AgencyKind.PEOPLES_COMMITTEE, b, ag["pc_p"]
    )
    ag["pc_a1"] = agency(
        "UBND-A1",
        "Ủy ban nhân dân xã An Hòa",
        AgencyKind.PEOPLES_COMMITTEE,
        w.units["a1"],
        ag["pc_a"],
    )
    ag["pc_b1"] = agency(
        "UBND-B1",
        "Ủy ban nhân dân xã Bình Lợi",
        AgencyKind.PEOPLES_COMMITTEE,
        w.units["b1"],
        ag["pc_b"],
    )
    w.home = {
        Role.FRONT_DESK: "pc_a",
        Role.HANDLER: "pc_a",
        Role.HEAD: "pc_a",
        Role.COMMITTEE_LEADER: "pc_a",
        Role.HOME_AFFAIRS: "home_affairs",
        Role.INSPECTOR: "inspectorate",
        Role.SYSADMIN: "office",
    }
    w.users["anonymous"] = AnonymousUser()
    w.users["citizen"] = user("congdan", "Nguyễn Văn Dân", phone="0912345678")
    names = {
        Role.FRONT_DESK: "Lê Thị Một Cửa",
        Role.HANDLER: "Trần Văn Thụ Lý",
        Role.HEAD: "Phạm Văn Trưởng",
        Role.COMMITTEE_LEADER: "Võ Văn Chủ Tịch",
        Role.HOME_AFFAIRS: "Đỗ Thị Nội Vụ",
        Role.INSPECTOR: "Hồ Văn Thanh Tra",
        Role.SYSADMIN: "Ngô Văn Quản Trị",
    }
    for role in OFFICIAL_ROLES:
        u = user(role.replace("_", "."), names[Role(role)])
        services.official_add(
            actor=None, user=u, agency=w.own(role), roles=[role], position=str(Role(role).label)
        )
        w.users[role] = u
    return w
