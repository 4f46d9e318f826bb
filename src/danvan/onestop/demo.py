"""Demo data of the one-stop shop: the procedures of a Department of Justice (Sở Tư pháp), of the
district and commune People's Committees, a few months of dossiers across the agencies, some live
dossiers in every interesting state, and demo accounts for the handling roles of a commune."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from danvan.core.calendar import TZ, get_calendar
from danvan.core.models import DeadlineUnit
from danvan.onestop import services
from danvan.onestop.models import Dossier, Level, OnlineLevel, Procedure, ProcedureField
from danvan.onestop.services import ApplicantIn, DocumentIn, DocumentSpec
from danvan.org import services as org_services
from danvan.org.models import Agency, User
from danvan.org.roles import Role

WD, WH, CD = DeadlineUnit.WORKING_DAYS, DeadlineUnit.WORKING_HOURS, DeadlineUnit.CALENDAR_DAYS

FIELDS = [
    ("LLTP", "Lý lịch tư pháp"),
    ("CC", "Công chứng"),
    ("QT", "Quốc tịch"),
    ("TGPL", "Trợ giúp pháp lý"),
    ("HT", "Hộ tịch"),
    ("CT", "Chứng thực"),
    ("DD", "Đất đai"),
    ("BTXH", "Bảo trợ xã hội"),
    ("XD", "Hoạt động xây dựng"),
]

D = DocumentSpec
# code, name, field, level, agency code (None: every agency of the level), amount, unit,
# fee text, fee amount, documents, legal basis, result, online
PROCEDURES = [
    (
        "1.001417",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
        "LLTP",
        Level.PROVINCE,
        "STP",
        10,
        WD,
        "200.000 đồng/lần/người (sinh viên, người có công: 100.000 đồng)",
        200000,
        [
            D("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (Mẫu số 03/2013/TT-LLTP)", 1, 0),
            D("Bản chụp giấy tờ tùy thân (Căn cước công dân, Hộ chiếu)", 0, 1),
            D("Bản chụp sổ hộ khẩu hoặc giấy xác nhận thông tin về cư trú", 0, 1, required=False),
        ],
        "Luật Lý lịch tư pháp 2009; Thông tư 244/2016/TT-BTC",
        "Phiếu lý lịch tư pháp",
        OnlineLevel.FULL,
    ),
    (
        "2.000505",
        "Đăng ký hoạt động Văn phòng công chứng",
        "CC",
        Level.PROVINCE,
        "STP",
        10,
        WD,
        "1.000.000 đồng/hồ sơ",
        1000000,
        [
            D("Đơn đề nghị đăng ký hoạt động (Mẫu TP-CC-07)", 1, 0),
            D("Quyết định cho phép thành lập Văn phòng công chứng", 0, 1),
            D("Giấy tờ chứng minh về trụ sở của Văn phòng công chứng", 0, 1),
        ],
        "Luật Công chứng 2014; Nghị định 29/2015/NĐ-CP",
        "Giấy đăng ký hoạt động",
        OnlineLevel.PARTIAL,
    ),
    (
        "1.001153",
        "Đăng ký tập sự hành nghề công chứng",
        "CC",
        Level.PROVINCE,
        "STP",
        7,
        WD,
        "Không",
        0,
        [
            D("Giấy đề nghị đăng ký tập sự hành nghề công chứng (Mẫu TP-CC-01)", 1, 0),
            D("Bản sao Giấy chứng nhận tốt nghiệp khóa đào tạo nghề công chứng", 0, 1),
            D("Giấy xác nhận của tổ chức hành nghề công chứng nhận tập sự", 1, 0),
        ],
        "Thông tư 01/2021/TT-BTP",
        "Quyết định đăng ký tập sự",
        OnlineLevel.PARTIAL,
    ),
    (
        "1.001931",
        "Thôi quốc tịch Việt Nam ở trong nước",
        "QT",
        Level.PROVINCE,
        "STP",
        20,
        WD,
        "2.500.000 đồng",
        2500000,
        [
            D("Đơn xin thôi quốc tịch Việt Nam (Mẫu TP/QT-2020-ĐXTQT)", 1, 0),
            D("Bản khai lý lịch", 1, 0),
            D("Phiếu lý lịch tư pháp do cơ quan có thẩm quyền cấp", 1, 0),
            D("Giấy tờ xác nhận về việc người đó đang làm thủ tục nhập quốc tịch nước ngoài", 0, 1),
        ],
        "Luật Quốc tịch Việt Nam 2008 (sửa đổi 2014)",
        "Quyết định cho thôi quốc tịch",
        OnlineLevel.NONE,
    ),
    (
        "2.001680",
        "Thủ tục yêu cầu trợ giúp pháp lý",
        "TGPL",
        Level.PROVINCE,
        "STP",
        2,
        WD,
        "Không",
        0,
        [
            D("Đơn yêu cầu trợ giúp pháp lý (Mẫu số 01-TP-TGPL)", 1, 0),
            D("Giấy tờ chứng minh là người được trợ giúp pháp lý", 0, 1),
            D("Giấy tờ liên quan đến vụ việc", 0, 1, required=False),
        ],
        "Luật Trợ giúp pháp lý 2017",
        "Văn bản thụ lý vụ việc trợ giúp pháp lý",
        OnlineLevel.PARTIAL,
    ),
    # district level (legacy three-level structure)
    (
        "1.000893",
        "Đăng ký kết hôn có yếu tố nước ngoài",
        "HT",
        Level.DISTRICT,
        None,
        15,
        WD,
        "1.500.000 đồng",
        1500000,
        [
            D("Tờ khai đăng ký kết hôn (theo mẫu)", 1, 0),
            D("Giấy xác nhận tình trạng hôn nhân của mỗi bên", 1, 0),
            D("Giấy xác nhận của tổ chức y tế về sức khỏe tâm thần", 1, 0),
            D("Bản sao hộ chiếu hoặc giấy tờ có giá trị thay hộ chiếu", 0, 1),
        ],
        "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP",
        "Giấy chứng nhận kết hôn",
        OnlineLevel.PARTIAL,
    ),
    (
        "1.009994",
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "XD",
        Level.DISTRICT,
        None,
        15,
        WD,
        "75.000 đồng/giấy phép",
        75000,
        [
            D("Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01)", 1, 0),
            D("Bản sao giấy tờ chứng minh quyền sử dụng đất", 0, 1),
            D("Hai bộ bản vẽ thiết kế xây dựng", 2, 0),
        ],
        "Luật Xây dựng 2014 (sửa đổi 2020); Nghị định 15/2021/NĐ-CP",
        "Giấy phép xây dựng",
        OnlineLevel.FULL,
    ),
    # commune level: every commune People's Committee
    (
        "1.001193",
        "Đăng ký khai sinh",
        "HT",
        Level.COMMUNE,
        None,
        4,
        WH,
        "Miễn lệ phí (đăng ký đúng hạn)",
        0,
        [
            D("Tờ khai đăng ký khai sinh (theo mẫu)", 1, 0),
            D("Giấy chứng sinh hoặc văn bản của người làm chứng", 1, 0),
            D("Giấy chứng nhận kết hôn của cha mẹ (nếu có)", 0, 1, required=False),
        ],
        "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP",
        "Giấy khai sinh",
        OnlineLevel.FULL,
    ),
    (
        "1.000894",
        "Đăng ký kết hôn",
        "HT",
        Level.COMMUNE,
        None,
        1,
        WD,
        "Miễn lệ phí",
        0,
        [
            D("Tờ khai đăng ký kết hôn (theo mẫu)", 1, 0),
            D(
                "Giấy xác nhận tình trạng hôn nhân (nếu đăng ký ở nơi khác nơi cư trú)",
                1,
                0,
                required=False,
            ),
        ],
        "Luật Hộ tịch 2014",
        "Giấy chứng nhận kết hôn",
        OnlineLevel.PARTIAL,
    ),
    (
        "1.000656",
        "Đăng ký khai tử",
        "HT",
        Level.COMMUNE,
        None,
        4,
        WH,
        "Miễn lệ phí (đăng ký đúng hạn)",
        0,
        [
            D("Tờ khai đăng ký khai tử (theo mẫu)", 1, 0),
            D("Giấy báo tử hoặc giấy tờ thay thế giấy báo tử", 1, 0),
        ],
        "Luật Hộ tịch 2014",
        "Trích lục khai tử",
        OnlineLevel.FULL,
    ),
    (
        "1.004227",
        "Xác nhận tình trạng hôn nhân",
        "HT",
        Level.COMMUNE,
        None,
        3,
        WD,
        "15.000 đồng",
        15000,
        [D("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu)", 1, 0)],
        "Luật Hộ tịch 2014; Thông tư 04/2020/TT-BTP",
        "Giấy xác nhận tình trạng hôn nhân",
        OnlineLevel.FULL,
    ),
    (
        "1.004859",
        "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "HT",
        Level.COMMUNE,
        None,
        3,
        WD,
        "15.000 đồng",
        15000,
        [
            D("Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch (theo mẫu)", 1, 0),
            D("Giấy tờ làm căn cứ thay đổi, cải chính, bổ sung", 0, 1),
        ],
        "Luật Hộ tịch 2014",
        "Trích lục thay đổi, cải chính hộ tịch",
        OnlineLevel.PARTIAL,
    ),
    (
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "CT",
        Level.COMMUNE,
        None,
        4,
        WH,
        "2.000 đồng/trang; từ trang thứ ba 1.000 đồng/trang",
        4000,
        [
            D("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", 1, 0),
            D("Bản sao cần chứng thực", 0, 1),
        ],
        "Nghị định 23/2015/NĐ-CP",
        "Bản sao được chứng thực",
        OnlineLevel.NONE,
    ),
    (
        "2.000884",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "CT",
        Level.COMMUNE,
        None,
        4,
        WH,
        "10.000 đồng/trường hợp",
        10000,
        [
            D("Giấy tờ tùy thân còn giá trị sử dụng", 1, 0),
            D("Giấy tờ, văn bản mà mình sẽ ký", 1, 0),
        ],
        "Nghị định 23/2015/NĐ-CP",
        "Giấy tờ, văn bản được chứng thực chữ ký",
        OnlineLevel.NONE,
    ),
    (
        "1.003554",
        "Hòa giải tranh chấp đất đai",
        "DD",
        Level.COMMUNE,
        None,
        45,
        CD,
        "Không",
        0,
        [
            D("Đơn yêu cầu hòa giải tranh chấp đất đai", 1, 0),
            D("Giấy tờ có liên quan đến thửa đất tranh chấp", 0, 1, required=False),
        ],
        "Luật Đất đai 2024",
        "Biên bản hòa giải",
        OnlineLevel.NONE,
    ),
    (
        "1.001776",
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng",
        "BTXH",
        Level.COMMUNE,
        None,
        22,
        WD,
        "Không",
        0,
        [
            D("Tờ khai đề nghị trợ giúp xã hội (Mẫu số 1a)", 1, 0),
            D("Bản sao giấy tờ chứng minh thuộc đối tượng", 0, 1),
        ],
        "Nghị định 20/2021/NĐ-CP",
        "Quyết định trợ cấp xã hội",
        OnlineLevel.PARTIAL,
    ),
]

EXTRA_ACCOUNTS = [
    ("chuyenvien.xa", "Lê Văn Phước", Role.HANDLER, "UBND-28756", "Công chức Tư pháp - Hộ tịch"),
    ("chutich.xa", "Phan Thị Ngọc Hân", Role.HEAD, "UBND-28756", "Chủ tịch UBND xã"),
]
DEMO_CUSTOMERS = [
    ApplicantIn("Nguyễn Văn Tâm", "0918123456", "Ấp Phú Hòa, xã Phú Đức", "083085001122"),
    ApplicantIn("Trần Thị Bích Ngọc", "0939456789", "Số 12 đường Đồng Khởi, phường An Hội"),
    ApplicantIn("Lê Hoàng Phúc", "0907111222", "Ấp 3, xã Tam Phước"),
    ApplicantIn("Phạm Thị Thu Hà", "0988765432", "Khu phố 2, thị trấn Châu Thành"),
]


def load_catalogue() -> None:
    fields = {}
    for code, name in FIELDS:
        fields[code], _ = ProcedureField.objects.get_or_create(code=code, defaults={"name": name})
    agencies = {a.code: a for a in Agency.objects.filter(code__in=["STP"])}
    for (
        code,
        name,
        field,
        level,
        agency,
        amount,
        unit,
        fee_text,
        fee,
        docs,
        basis,
        result,
        online,
    ) in PROCEDURES:
        if agency and agency not in agencies:
            continue
        services.procedure_save(
            actor=None,
            code=code,
            name=name,
            field=fields[field],
            level=level,
            agency=agencies.get(agency) if agency else None,
            competent_authority="" if agency else f"Ủy ban nhân dân {Level(level).label.lower()}",
            processing_amount=Decimal(amount),
            processing_unit=unit,
            fee_text=fee_text,
            fee_amount=fee,
            legal_basis=basis,
            result=result,
            online=online,
            documents=docs,
            forms=[(d.name, "https://dichvucong.gov.vn/") for d in docs if "mẫu" in d.name.lower()],
            audit_it=False,
        )


def _accounts() -> None:
    from danvan.org.demo import DEMO_PASSWORD

    for username, full_name, role, agency_code, position in EXTRA_ACCOUNTS:
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            continue
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name}
        )
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save()
        org_services.official_add(
            actor=None, user=user, agency=agency, roles=[role], position=position
        )


def _live_dossiers() -> None:
    """A few dossiers made through the services, in the states worth showing."""
    front = User.objects.filter(username="motcua.stp").first()
    head = User.objects.filter(username="thutruong.stp").first()
    handler = User.objects.filter(username="chuyenvien.stp").first()
    procedure = Procedure.objects.filter(code="1.001417").first()
    if not (front and head and handler and procedure):
        return
    docs = [DocumentIn(document_id=d.pk) for d in procedure.documents.filter(required=True)]
    cal = get_calendar()
    today = timezone.localdate()
    # a dossier received today: print its receipt
    services.dossier_receive(
        actor=front, procedure=procedure, applicant=DEMO_CUSTOMERS[0], documents=docs
    )
    # one waiting for a supplement (form 02)
    incomplete = services.dossier_receive(
        actor=front, procedure=procedure, applicant=DEMO_CUSTOMERS[1], documents=docs[:1]
    )
    services.dossier_request_supplement(
        actor=front,
        dossier=incomplete,
        reason="Bản chụp căn cước công dân bị mờ, không đọc được số định danh.",
    )
    # received 14 working days ago (10 working days to resolve): late, no apology yet
    day = today
    for _ in range(14):
        day = day - timedelta(days=1)
        while not cal.is_working_day(day):
            day = day - timedelta(days=1)
    late = services.dossier_receive(
        actor=head,
        procedure=procedure,
        applicant=DEMO_CUSTOMERS[2],
        documents=docs,
        received_at=datetime.combine(day, time(9, 15), TZ),
    )
    services.dossier_forward(
        actor=head, dossier=late, to_user=handler, note="Đề nghị xác minh tại Công an tỉnh"
    )
    # received 9 working days ago: will be late, apology sent with a new date
    day2 = today
    for _ in range(9):
        day2 = day2 - timedelta(days=1)
        while not cal.is_working_day(day2):
            day2 = day2 - timedelta(days=1)
    sorry = services.dossier_receive(
        actor=head,
        procedure=procedure,
        applicant=DEMO_CUSTOMERS[3],
        documents=docs,
        received_at=datetime.combine(day2, time(14, 0), TZ),
    )
    services.dossier_forward(actor=head, dossier=sorry, to_user=handler)
    assert sorry.appointment_at is not None
    new_day = cal.working_days_after(sorry.appointment_at.astimezone(TZ).date(), 5)
    services.dossier_apologise(
        actor=handler,
        dossier=sorry,
        reason="Chưa nhận được kết quả xác minh lý lịch từ cơ quan Công an.",
        new_due_at=datetime.combine(new_day, time(9, 0), TZ),
    )


@transaction.atomic
def load_onestop_demo() -> None:
    load_catalogue()
    _accounts()
    if Dossier.objects.exists():
        return
    from danvan.onestop.generate import generate

    agencies = list(Agency.objects.filter(is_active=True, is_partner=False).select_related("unit"))
    generate(dossiers=2500, years=0.35, agencies=agencies, with_events=True, seed=2026)
    _live_dossiers()


def demo_accounts() -> list[dict[str, str]]:
    from danvan.org.demo import DEMO_PASSWORD

    rows = []
    for username, _full_name, role, agency_code, _position in EXTRA_ACCOUNTS:
        agency = Agency.objects.select_related("unit").filter(code=agency_code).first()
        rows.append(
            {
                "username": username,
                "password": DEMO_PASSWORD,
                "role": str(role),
                "agency": agency.name if agency else agency_code,
                "unit": agency.unit.name if agency else "",
            }
        )
    return rows
