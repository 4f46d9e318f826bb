"""Demo data of the org app: units, the agencies named in plan 5793, one account per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from danvan.org import services
from danvan.org.models import AdminUnit, Agency, AgencyKind, UnitLevel, User
from danvan.org.roles import Role
from danvan.org.units import BEN_TRE_LEGACY, load_units

DEMO_PASSWORD = "DanVan@2026"  # noqa: S105 - published demo password, demo data only


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    short_name: str
    symbol: str
    kind: str
    parent: str | None = None
    is_partner: bool = False


PROVINCE_AGENCIES = [
    AgencySpec(
        "UBND-BT", "Ủy ban nhân dân tỉnh Bến Tre", "UBND tỉnh", "UBND", AgencyKind.PEOPLES_COMMITTEE
    ),
    AgencySpec(
        "VPUBND",
        "Văn phòng Ủy ban nhân dân tỉnh",
        "Văn phòng UBND tỉnh",
        "VPUBND",
        AgencyKind.PC_OFFICE,
        "UBND-BT",
    ),
    AgencySpec("SNV", "Sở Nội vụ", "Sở Nội vụ", "SNV", AgencyKind.HOME_AFFAIRS, "UBND-BT"),
    AgencySpec("STP", "Sở Tư pháp", "Sở Tư pháp", "STP", AgencyKind.DEPARTMENT, "UBND-BT"),
    AgencySpec(
        "TTT", "Thanh tra tỉnh", "Thanh tra tỉnh", "TTr", AgencyKind.INSPECTORATE, "UBND-BT"
    ),
    AgencySpec(
        "STNMT",
        "Sở Tài nguyên và Môi trường",
        "Sở TN&MT",
        "STNMT",
        AgencyKind.DEPARTMENT,
        "UBND-BT",
    ),
    AgencySpec(
        "SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", "SKHĐT", AgencyKind.DEPARTMENT, "UBND-BT"
    ),
    AgencySpec(
        "SLDTBXH",
        "Sở Lao động - Thương binh và Xã hội",
        "Sở LĐ-TB&XH",
        "SLĐTBXH",
        AgencyKind.DEPARTMENT,
        "UBND-BT",
    ),
    AgencySpec("SXD", "Sở Xây dựng", "Sở Xây dựng", "SXD", AgencyKind.DEPARTMENT, "UBND-BT"),
    AgencySpec(
        "STTTT",
        "Sở Thông tin và Truyền thông",
        "Sở TT&TT",
        "STTTT",
        AgencyKind.DEPARTMENT,
        "UBND-BT",
    ),
    AgencySpec(
        "MTTQ-BT",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bến Tre",
        "UBMTTQ tỉnh",
        "MTTQ",
        AgencyKind.FATHERLAND_FRONT,
        None,
        True,
    ),
]


@dataclass(frozen=True)
class AccountSpec:
    username: str
    full_name: str
    role: str
    agency: str
    position: str
    leads_mobilisation: bool = False


ACCOUNTS = [
    AccountSpec(
        "quantri", "Nguyễn Minh Quân", Role.SYSADMIN, "VPUBND", "Chuyên viên công nghệ thông tin"
    ),
    AccountSpec(
        "lanhdao.tinh",
        "Trần Văn Hùng",
        Role.COMMITTEE_LEADER,
        "UBND-BT",
        "Phó Chủ tịch UBND tỉnh",
        True,
    ),
    AccountSpec(
        "lanhdao.huyen",
        "Lê Thị Hồng",
        Role.COMMITTEE_LEADER,
        "UBND-831",
        "Chủ tịch UBND huyện Châu Thành",
        True,
    ),
    AccountSpec(
        "noivu", "Phạm Thị Lan", Role.HOME_AFFAIRS, "SNV", "Chuyên viên Phòng Xây dựng chính quyền"
    ),
    AccountSpec("thanhtra", "Võ Thanh Tùng", Role.INSPECTOR, "TTT", "Thanh tra viên"),
    AccountSpec("thutruong.stp", "Đặng Quốc Bảo", Role.HEAD, "STP", "Giám đốc Sở Tư pháp", True),
    AccountSpec("motcua.stp", "Huỳnh Ngọc Mai", Role.FRONT_DESK, "STP", "Cán bộ Bộ phận Một cửa"),
    AccountSpec(
        "chuyenvien.stp",
        "Ngô Đức Thắng",
        Role.HANDLER,
        "STP",
        "Chuyên viên Phòng Hành chính tư pháp",
    ),
    AccountSpec(
        "motcua.xa",
        "Trương Thị Kim Yến",
        Role.FRONT_DESK,
        "UBND-28756",
        "Công chức Văn phòng - Thống kê",
    ),
]
CITIZEN = ("congdan", "Nguyễn Văn An", "0901234567")

DISTRICTS_WITH_COMMUNE_AGENCIES = 3
COMMUNES_PER_DISTRICT = 3


def _place(name: str) -> str:
    for prefix in ("Thành phố ", "Huyện ", "Thị xã ", "Phường ", "Xã ", "Thị trấn ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _agency(code: str, **fields: object) -> Agency:
    agency, _ = Agency.objects.update_or_create(code=code, defaults=fields)
    return agency


@transaction.atomic
def load_org_demo() -> None:
    load_units()
    province = AdminUnit.objects.get(
        level=UnitLevel.PROVINCE, code=str(BEN_TRE_LEGACY), valid_to__isnull=False
    )
    by_code: dict[str, Agency] = {}
    for spec in PROVINCE_AGENCIES:
        by_code[spec.code] = _agency(
            spec.code,
            name=spec.name,
            short_name=spec.short_name,
            symbol=spec.symbol,
            kind=spec.kind,
            unit=province,
            parent=by_code.get(spec.parent) if spec.parent else None,
            is_partner=spec.is_partner,
            place_name="Bến Tre",
            saturday_morning_counter=spec.kind == AgencyKind.PC_OFFICE,
        )
    provincial_pc = by_code["UBND-BT"]
    districts = list(AdminUnit.objects.filter(parent=province).order_by("code"))
    for i, district in enumerate(districts):
        pc = _agency(
            f"UBND-{district.code}",
            name=f"Ủy ban nhân dân {_lower_first(district.name)}",
            short_name=f"UBND {district.name}",
            symbol="UBND",
            kind=AgencyKind.PEOPLES_COMMITTEE,
            unit=district,
            parent=provincial_pc,
            place_name=_place(district.name),
        )
        by_code[pc.code] = pc
        if i < DISTRICTS_WITH_COMMUNE_AGENCIES or district.code == "831":
            for commune in AdminUnit.objects.filter(parent=district).order_by("code")[
                :COMMUNES_PER_DISTRICT
            ]:
                cpc = _agency(
                    f"UBND-{commune.code}",
                    name=f"Ủy ban nhân dân {_lower_first(commune.name)}",
                    short_name=f"UBND {commune.name}",
                    symbol="UBND",
                    kind=AgencyKind.PEOPLES_COMMITTEE,
                    unit=commune,
                    parent=pc,
                    place_name=_place(commune.name),
                    saturday_morning_counter=True,
                )
                by_code[cpc.code] = cpc
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username, defaults={"full_name": account.full_name}
        )
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            # The demo system administrator also manages accounts in the Django admin.
            user.is_staff = user.is_superuser = account.role == Role.SYSADMIN
            user.save()
        official = services.official_add(
            actor=None,
            user=user,
            agency=by_code[account.agency],
            roles=[account.role],
            position=account.position,
        )
        if account.leads_mobilisation and official.agency.mobilisation_lead_id != official.pk:
            official.agency.mobilisation_lead = official
            official.agency.save(update_fields=["mobilisation_lead"])
    username, full_name, phone = CITIZEN
    citizen, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "phone": phone}
    )
    if created:
        citizen.set_password(DEMO_PASSWORD)
        citizen.save()


def demo_accounts() -> list[dict[str, str]]:
    rows = []
    for spec in ACCOUNTS:
        agency = Agency.objects.select_related("unit").get(code=spec.agency)
        rows.append(
            {
                "username": spec.username,
                "password": DEMO_PASSWORD,
                "role": str(spec.role),
                "agency": agency.name,
                "unit": agency.unit.name,
            }
        )
    rows.append(
        {
            "username": CITIZEN[0],
            "password": DEMO_PASSWORD,
            "role": "citizen",
            "agency": "",
            "unit": "",
        }
    )
    return rows
