"""Demo data of the feedback app: routing rules for today's communes (to the agencies of the
plan's Bến Tre, through the units' successor links), province-wide reply templates, three demo
officials handling feedback at a district People's Committee, and some forty items in every
state — received, being handled, awaiting approval, answered and published, transferred, merged,
overdue — across several agencies and communes. Everything goes through the services, so the
timeline, the audit trail and the search index are as real use would leave them."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from danvan.core.calendar import TZ, get_calendar
from danvan.feedback import services
from danvan.feedback.models import Category, Channel, Feedback, ReplyTemplate, RoutingRule
from danvan.org import services as org_services
from danvan.org.demo import DEMO_PASSWORD
from danvan.org.models import AdminUnit, Agency, UnitLevel, User
from danvan.org.roles import Role

DISTRICT = "UBND-831"  # Châu Thành: the district the feedback demo accounts work in
ACCOUNTS = [
    ("pakn.motcua", "Lâm Thị Thu Hà", Role.FRONT_DESK, DISTRICT, "Cán bộ tiếp nhận phản ánh"),
    (
        "pakn.chuyenvien",
        "Nguyễn Hoàng Phúc",
        Role.HANDLER,
        DISTRICT,
        "Chuyên viên Văn phòng HĐND-UBND",
    ),
    ("pakn.thutruong", "Trần Quốc Việt", Role.HEAD, DISTRICT, "Chánh Văn phòng HĐND-UBND huyện"),
]

TEMPLATES = {
    Category.REGULATION: (
        "Tiếp thu phản ánh về quy định",
        "{co_quan} đã nhận phản ánh, kiến nghị mã {ma} ngày {ngay}. Sau khi xem xét, cơ quan "
        "ghi nhận ý kiến và sẽ đề xuất cấp có thẩm quyền sửa đổi quy định cho phù hợp. Cảm ơn "
        "ông (bà) đã đóng góp ý kiến.",
    ),
    Category.DOSSIER: (
        "Giải thích tiến độ hồ sơ",
        "{co_quan} trả lời phản ánh mã {ma} ngày {ngay} như sau: hồ sơ đã được kiểm tra, "
        "nguyên nhân chậm là … Cơ quan xin lỗi và cam kết trả kết quả vào ngày …",
    ),
    Category.CONDUCT: (
        "Xử lý phản ánh về thái độ cán bộ",
        "{co_quan} đã xác minh phản ánh mã {ma} ngày {ngay}. Cơ quan đã nhắc nhở, chấn chỉnh "
        "cán bộ liên quan và xin lỗi ông (bà) vì sự phiền hà.",
    ),
    Category.LOCAL: (
        "Khắc phục vấn đề ở địa phương",
        "{co_quan} đã kiểm tra hiện trường theo phản ánh mã {ma} ngày {ngay} và giao đơn vị "
        "chuyên môn khắc phục trước ngày …",
    ),
    Category.INITIATIVE: (
        "Ghi nhận sáng kiến",
        "{co_quan} trân trọng cảm ơn sáng kiến mã {ma} gửi ngày {ngay}. Sáng kiến đã được "
        "chuyển bộ phận cải cách hành chính nghiên cứu, áp dụng.",
    ),
}

SAMPLES: list[tuple[str, str, str]] = [
    (
        Category.LOCAL,
        "Đường liên ấp bị sạt lở",
        "Đoạn đường bê tông liên ấp dài khoảng 50 m bị sạt lở sau mưa lớn, xe máy đi lại rất nguy hiểm, đề nghị xã sớm gia cố.",
    ),
    (
        Category.LOCAL,
        "Rác thải tồn đọng ven chợ",
        "Rác thải tập kết ven chợ nhiều ngày không được thu gom, bốc mùi hôi, ảnh hưởng sức khỏe người dân xung quanh.",
    ),
    (
        Category.LOCAL,
        "Ngập nước trên đường chính",
        "Mỗi khi triều cường, đường chính trước trường tiểu học bị ngập sâu 30 cm, học sinh đi học khó khăn.",
    ),
    (
        Category.LOCAL,
        "Đèn chiếu sáng công cộng hư hỏng",
        "Cụm đèn chiếu sáng trên tuyến đường ven sông hư hỏng hơn một tháng, ban đêm tối om, mất an ninh trật tự.",
    ),
    (
        Category.LOCAL,
        "Lấn chiếm vỉa hè buôn bán",
        "Nhiều hộ kinh doanh lấn chiếm vỉa hè, lòng đường để buôn bán, gây ùn tắc giao thông giờ cao điểm.",
    ),
    (
        Category.DOSSIER,
        "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất trễ hẹn",
        "Tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất đã quá ngày hẹn 15 ngày nhưng chưa nhận được kết quả, cũng không có phiếu xin lỗi.",
    ),
    (
        Category.DOSSIER,
        "Yêu cầu bổ sung giấy tờ nhiều lần",
        "Hồ sơ đăng ký kinh doanh hộ cá thể bị yêu cầu bổ sung giấy tờ đến lần thứ ba, mỗi lần một loại giấy khác nhau.",
    ),
    (
        Category.DOSSIER,
        "Chậm trả kết quả chứng thực",
        "Hồ sơ chứng thực bản sao nộp buổi sáng nhưng hẹn ba ngày sau mới trả, trong khi quy định trả trong ngày.",
    ),
    (
        Category.CONDUCT,
        "Cán bộ tiếp dân thiếu nhiệt tình",
        "Khi tôi đến hỏi thủ tục khai sinh cho con, cán bộ trả lời qua loa, không hướng dẫn cụ thể, thái độ thiếu nhiệt tình.",
    ),
    (
        Category.CONDUCT,
        "Cán bộ gợi ý chi phí ngoài quy định",
        "Cán bộ địa chính gợi ý nộp thêm tiền để hồ sơ được giải quyết nhanh, ngoài lệ phí theo quy định.",
    ),
    (
        Category.CONDUCT,
        "Bộ phận một cửa không có người trực",
        "Sáng thứ Hai lúc 8 giờ bộ phận một cửa của xã không có cán bộ trực, người dân phải chờ hơn một giờ.",
    ),
    (
        Category.REGULATION,
        "Quy định về hồ sơ xin phép xây dựng nhà ở nông thôn",
        "Quy định yêu cầu bản vẽ thiết kế do đơn vị có chức năng lập đối với nhà ở nông thôn một tầng là không phù hợp, gây tốn kém cho người dân.",
    ),
    (
        Category.REGULATION,
        "Thủ tục đăng ký thường trú còn yêu cầu giấy tờ trùng lặp",
        "Thủ tục đăng ký thường trú vẫn yêu cầu nộp bản sao giấy tờ đã có trong cơ sở dữ liệu quốc gia về dân cư, đề nghị bãi bỏ.",
    ),
    (
        Category.REGULATION,
        "Mức phí thẩm định hồ sơ chưa thống nhất",
        "Mức phí thẩm định hồ sơ cấp phép khai thác nước mặt quy định khác nhau giữa hai văn bản của tỉnh, đề nghị thống nhất.",
    ),
    (
        Category.INITIATIVE,
        "Đề xuất trả kết quả qua bưu điện miễn phí cho người cao tuổi",
        "Đề xuất tỉnh hỗ trợ chi phí trả kết quả thủ tục hành chính qua bưu điện cho người từ 70 tuổi trở lên.",
    ),
    (
        Category.INITIATIVE,
        "Đề xuất nhắn tin nhắc lịch tiêm chủng",
        "Đề nghị trạm y tế nhắn tin nhắc lịch tiêm chủng cho trẻ em qua số điện thoại đã đăng ký.",
    ),
]
NAMES = [
    "Nguyễn Văn Bình",
    "Trần Thị Cúc",
    "Lê Hoàng Dũng",
    "Phạm Thị Hạnh",
    "Võ Minh Khôi",
    "Huỳnh Thị Lan",
    "Đặng Văn Minh",
    "Bùi Thị Ngọc",
    "Đỗ Quang Phát",
    "Ngô Thị Quyên",
]

# (sample index, state) for the demo items; states: received, processing, awaiting, answered,
# answered_late, transferred, merged, overdue
PLAN = [
    (0, "answered"),
    (1, "processing"),
    (2, "received"),
    (3, "answered"),
    (4, "overdue"),
    (0, "merged"),
    (5, "awaiting"),
    (6, "answered_late"),
    (7, "received"),
    (8, "answered"),
    (9, "processing"),
    (10, "transferred"),
    (11, "answered"),
    (12, "awaiting"),
    (13, "received"),
    (14, "answered"),
    (15, "processing"),
    (2, "answered"),
    (3, "overdue"),
    (1, "answered"),
    (5, "transferred"),
    (8, "received"),
    (4, "answered"),
    (12, "answered_late"),
    (6, "processing"),
    (9, "answered"),
    (10, "received"),
    (13, "awaiting"),
    (7, "answered"),
    (14, "received"),
    (11, "overdue"),
    (15, "answered"),
    (0, "processing"),
    (2, "merged"),
    (4, "received"),
    (6, "answered"),
    (8, "awaiting"),
    (3, "answered"),
    (1, "received"),
    (12, "processing"),
]


def _official(username: str, full_name: str, role: str, agency: Agency, position: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "email": f"{username}@demo.danvan.vn"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    org_services.official_add(actor=None, user=user, agency=agency, roles=[role], position=position)
    return user


def _rules() -> None:
    """Routing for today's communes: a commune that succeeded one of the plan's communes with a
    People's Committee in the demo goes to that committee; the other communes of a district
    with an agency go to the district; everything else by category, province-wide."""
    by_code = {a.code: a for a in Agency.objects.all()}
    wide = [
        (Category.REGULATION, "STP", "Sở Tư pháp kiểm soát thủ tục hành chính (NĐ 20/2008)"),
        (Category.DOSSIER, "VPUBND", "Văn phòng UBND tỉnh theo dõi việc giải quyết TTHC"),
        (Category.CONDUCT, "SNV", "Sở Nội vụ: công vụ, kỷ luật, kỷ cương hành chính"),
        (Category.INITIATIVE, "SNV", "Sở Nội vụ: cải cách hành chính"),
        ("", "VPUBND", "Các phản ánh khác"),
    ]
    for category, code, note in wide:
        if (
            code in by_code
            and not RoutingRule.objects.filter(category=category, unit__isnull=True).exists()
        ):
            RoutingRule.objects.create(
                category=category, unit=None, agency=by_code[code], note=note
            )
    for agency in Agency.objects.filter(code__startswith="UBND-").select_related("unit"):
        unit = agency.unit
        if unit.level not in (UnitLevel.DISTRICT, UnitLevel.COMMUNE):
            continue
        for successor in unit.successors.filter(level=UnitLevel.COMMUNE, valid_to__isnull=True):
            existing = RoutingRule.objects.filter(category=Category.LOCAL, unit=successor).first()
            # a commune's own committee wins over its district's
            if existing is None:
                RoutingRule.objects.create(
                    category=Category.LOCAL,
                    unit=successor,
                    agency=agency,
                    note="Theo địa bàn trước ngày 01/7/2025",
                )
            elif (
                unit.level == UnitLevel.COMMUNE and existing.agency.unit.level == UnitLevel.DISTRICT
            ):
                existing.agency = agency
                existing.save(update_fields=["agency"])


def _templates() -> None:
    for category, (title, body) in TEMPLATES.items():
        ReplyTemplate.objects.get_or_create(
            agency=None, category=category, title=title, defaults={"body": body}
        )


def _heads_and_handlers() -> dict[int, tuple[User, User]]:
    """A head and a handler for every agency that receives demo feedback (created when the
    agency has none: named accounts ``demo.<code>.*``)."""
    out: dict[int, tuple[User, User]] = {}
    for agency in Agency.objects.filter(pk__in=RoutingRule.objects.values("agency")):
        people = {}
        for role in (Role.HEAD, Role.HANDLER):
            official = (
                agency.officials.filter(is_active=True, roles__role=role)
                .select_related("user")
                .first()
            )
            if official is None:
                slug = agency.code.lower().replace("-", "")
                user = _official(
                    f"demo.{slug}.{'truong' if role == Role.HEAD else 'cv'}",
                    f"{'Lãnh đạo' if role == Role.HEAD else 'Chuyên viên'} {agency.short_name or agency.name}",
                    role,
                    agency,
                    "Lãnh đạo cơ quan" if role == Role.HEAD else "Chuyên viên",
                )
            else:
                user = official.user
            people[role] = user
        out[agency.pk] = (people[Role.HEAD], people[Role.HANDLER])
    return out


def _working_days_ago(n: int, hour: int) -> datetime:
    cal = get_calendar()
    day = timezone.localdate()
    for _ in range(n):
        day -= timedelta(days=1)
        while not cal.is_working_day(day):
            day -= timedelta(days=1)
    return datetime.combine(day, time(hour, 15), TZ)


def _items(people: dict[int, tuple[User, User]]) -> None:
    rng = random.Random(5793)  # noqa: S311 - demo data, reproducible
    communes = list(
        AdminUnit.objects.filter(
            pk__in=RoutingRule.objects.filter(category=Category.LOCAL).values("unit")
        ).order_by("code")
    )
    fallback_communes = list(
        AdminUnit.objects.filter(level=UnitLevel.COMMUNE, valid_to__isnull=True).order_by("code")[
            :20
        ]
    )
    district = Agency.objects.filter(code=DISTRICT).first()
    near = [
        r.unit
        for r in RoutingRule.objects.filter(category=Category.LOCAL)
        .filter(Q(agency=district) | Q(agency__parent=district))
        .select_related("unit")
        .order_by("unit__code")
        if r.unit is not None
    ]
    for n, (sample, state) in enumerate(PLAN):
        category, title, content = SAMPLES[sample]
        anonymous = category != Category.REGULATION and n % 4 == 3
        name = NAMES[n % len(NAMES)]
        # half of the local problems happen where the demo accounts work (Châu Thành)
        places = near if near and n % 2 == 0 else communes or fallback_communes
        unit = (
            rng.choice(places)
            if category == Category.LOCAL
            else (rng.choice(fallback_communes) if n % 2 else None)
        )
        age = {
            "received": 1,
            "processing": 4,
            "awaiting": 6,
            "answered": 12,
            "answered_late": 18,
            "transferred": 3,
            "merged": 2,
            "overdue": 15,
        }[state] + n % 3
        received = _working_days_ago(age, 8 + n % 8)
        item = services.feedback_submit(
            actor=None,
            data=services.Submission(
                category=category,
                title=title,
                content=content,
                dossier_code=f"000.00.31.H05-2603{10 + n:02d}-00{n:02d}"
                if category == Category.DOSSIER
                else "",
                unit=unit,
                address=f"Ấp {rng.randint(1, 9)}" if unit else "",
                sender_name="" if anonymous else name,
                sender_address=""
                if anonymous
                else f"Ấp {rng.randint(1, 9)}, {unit.name if unit else 'Bến Tre'}",
                sender_phone="" if anonymous else f"09{rng.randint(10_000_000, 99_999_999)}",
                sender_email="" if anonymous or n % 3 else f"nguoidan{n}@example.vn",
                publish_consent=n % 3 != 1,
                channel=Channel.OPEN311 if n % 7 == 6 else Channel.WEB,
            ),
            received_at=received,
        )
        head, handler = people.get(item.agency_id, (None, None))
        if head is None or handler is None or state == "received":
            continue
        step = received + timedelta(hours=2)
        if state == "transferred":
            target = (
                Agency.objects.filter(code__in=["SNV", "VPUBND"]).exclude(pk=item.agency_id).first()
            )
            if target is not None:
                services.feedback_transfer(
                    actor=head,
                    item=item,
                    to_agency=target,
                    reason="Nội dung thuộc lĩnh vực quản lý của Sở Nội vụ.",
                    at=step,
                )
            continue
        if state == "merged":
            original = (
                Feedback.objects.filter(agency=item.agency, category=item.category)
                .exclude(pk=item.pk)
                .exclude(status="merged")
                .order_by("pk")
                .first()
            )
            if original is not None:
                services.feedback_merge(actor=handler, item=item, into=original, at=step)
            continue
        services.feedback_assign(actor=head, item=item, handler=handler, at=step)
        if state in ("processing", "overdue"):
            continue
        template = TEMPLATES[Category(category)][1]
        text = template.format(
            co_quan=item.agency.name, ma=item.code, ngay=received.strftime("%d/%m/%Y")
        ).replace("…", "cuối tháng này")
        services.feedback_answer(actor=handler, item=item, text=text, at=step + timedelta(hours=1))
        if state == "awaiting":
            continue
        late = state == "answered_late"
        answered_at = item.due_at + timedelta(days=2) if late else step + timedelta(hours=3)
        if answered_at > timezone.now():
            answered_at = timezone.now()
        services.feedback_approve(actor=head, item=item, publish=True, at=answered_at)


@transaction.atomic
def load_feedback_demo() -> None:
    district = Agency.objects.filter(code=DISTRICT).first()
    if district is not None:
        for username, full_name, role, code, position in ACCOUNTS:
            agency = Agency.objects.get(code=code)
            _official(username, full_name, role, agency, position)
    _rules()
    _templates()
    if Feedback.objects.exists():
        return
    _items(_heads_and_handlers())


def demo_accounts() -> list[dict[str, str]]:
    rows = []
    names = dict(Agency.objects.filter(code=DISTRICT).values_list("code", "name"))
    units = dict(Agency.objects.filter(code=DISTRICT).values_list("code", "unit__name"))
    for username, _full_name, role, code, _position in ACCOUNTS:
        rows.append(
            {
                "username": username,
                "password": DEMO_PASSWORD,
                "role": str(role),
                "agency": names.get(code, ""),
                "unit": units.get(code, ""),
            }
        )
    return rows
