"""Demo data of the petitions app: reception officials, handlers and heads in a district and in
a department, leaders' reception days, a reception register with a mass case, and petitions in
every state — accepted, guided, transferred, stored, resolved on time and late, overdue, reopened,
a denunciation with its identity sealed and an anonymous one recorded as information.

Everything goes through the services (so the audit trail, numbering and search index are real).
Idempotent: nothing is added when the district already has petitions.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from danvan.org import services as org_services
from danvan.org.demo import DEMO_PASSWORD
from danvan.org.models import Agency, Official, User
from danvan.org.roles import Role
from danvan.petitions import services
from danvan.petitions.models import Petition, ReceptionDay
from danvan.petitions.services import PetitionerIn, VisitorIn

ACCOUNTS = [
    # username, full name, role, agency code, position
    (
        "tiepdan.huyen",
        "Phan Thị Thu Hà",
        Role.FRONT_DESK,
        "UBND-831",
        "Chuyên viên Ban Tiếp công dân huyện",
    ),
    (
        "thuly.huyen",
        "Nguyễn Hoàng Phúc",
        Role.HANDLER,
        "UBND-831",
        "Thanh tra viên Thanh tra huyện",
    ),
    ("thutruong.huyen", "Lê Văn Khải", Role.HEAD, "UBND-831", "Chủ tịch UBND huyện Châu Thành"),
]


def _official(
    username: str, full_name: str, role: str, code: str, position: str
) -> Official | None:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        return None
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
        user.email = f"{username}@danvan.localhost"
        user.save()
    return org_services.official_add(
        actor=None, user=user, agency=agency, roles=[role], position=position
    )


def _at(days_ago: int, hour: int = 9) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@transaction.atomic
def load_petitions_demo() -> None:
    officials = [_official(*spec) for spec in ACCOUNTS]
    if any(o is None for o in officials):
        return  # the org demo has not run
    front, handler, head = (o for o in officials if o is not None)
    district = head.agency
    if Petition.objects.filter(agency=district).exists():
        return
    fuser, huser, muser = front.user, handler.user, head.user
    justice = Agency.objects.filter(code="STP").first()
    province = Agency.objects.filter(code="UBND-BT").first()
    commune = Agency.objects.filter(parent=district).order_by("code").first()

    # Reception schedule: the chair every Thursday of this month and the next (legal minimum
    # for a district chair is 2 days a month), one extra day; the provincial leader once.
    today = timezone.localdate()
    first = today.replace(day=1)
    for offset in range(0, 62):
        day = first + timedelta(days=offset)
        if day.weekday() == 3 and day.day <= 21:
            services.reception_day_add(
                actor=muser,
                agency=district,
                leader=head,
                day=day,
                start_time=time(7, 30),
                end_time=time(11, 0),
                location="Trụ sở Tiếp công dân huyện Châu Thành",
            )
    services.reception_day_add(
        actor=muser,
        agency=district,
        leader=head,
        day=today + timedelta(days=10),
        start_time=time(14, 0),
        end_time=time(16, 30),
        kind=ReceptionDay.Kind.EXTRA,
        location="Nhà văn hóa xã",
        note="Tiếp đột xuất về dự án nâng cấp đường tỉnh",
    )
    leader = Official.objects.filter(user__username="lanhdao.tinh").select_related("agency").first()
    if leader is not None and province is not None:
        services.reception_day_add(
            actor=_lead_actor(leader),
            agency=province,
            leader=leader,
            day=first + timedelta(days=19),
            start_time=time(7, 30),
            end_time=time(11, 30),
            location="Trụ sở Tiếp công dân tỉnh, số 7 đường Cách Mạng Tháng Tám",
        )

    # A group of 7 households about land compensation: a mass case with 2 representatives.
    services.reception_record(
        actor=fuser,
        agency=district,
        received_at=_at(20),
        kind="complaint",
        visitors=[
            VisitorIn("Trần Văn Tám", "Ấp Phú Hòa, xã An Khánh", "0903111222", representative=True),
            VisitorIn("Lê Thị Chín", "Ấp Phú Hòa, xã An Khánh", representative=True),
            VisitorIn("Nguyễn Văn Mười"),
            VisitorIn("Phạm Thị Mai"),
            VisitorIn("Võ Văn Lành"),
            VisitorIn("Đặng Thị Hoa"),
            VisitorIn("Huỳnh Văn Sáu"),
        ],
        content="Khiếu nại mức bồi thường đất nông nghiệp khi thu hồi đất làm đường tránh Quốc lộ 60.",
        documents_received="Bản sao quyết định thu hồi đất số 1520/QĐ-UBND; bảng áp giá bồi thường",
        guidance="Đã tiếp nhận đơn, hẹn trả lời trong 10 ngày làm việc.",
        create_petition=True,
        subject="Khiếu nại mức bồi thường khi thu hồi đất làm đường tránh",
        tags=["land"],
    )
    services.reception_record(
        actor=fuser,
        agency=district,
        received_at=_at(12),
        kind="recommendation",
        visitors=[VisitorIn("Bùi Thị Lan", "Ấp 2, xã Tam Phước")],
        content="Kiến nghị xem xét hỗ trợ hộ cận nghèo cho gia đình có người khuyết tật.",
        guidance="Hướng dẫn liên hệ UBND xã để được xét duyệt theo quy trình.",
        tags=["social_policy"],
    )

    def receive(kind: str, days: int, name: str, subject: str, content: str, **kw: Any) -> Petition:
        return services.petition_receive(
            actor=fuser,
            agency=district,
            kind=kind,
            received_at=_at(days),
            petitioner=PetitionerIn(
                name=name,
                address=kw.pop("address", "Xã An Hóa, huyện Châu Thành"),
                phone=kw.pop("phone", ""),
            ),
            subject=subject,
            content=content,
            **kw,
        )

    # Resolved on time, with a decision.
    p = receive(
        "complaint",
        80,
        "Ngô Văn Đức",
        "Khiếu nại quyết định xử phạt vi phạm hành chính về xây dựng",
        "Khiếu nại Quyết định xử phạt số 45/QĐ-XPHC vì công trình đã có giấy phép.",
        decision_complained="Quyết định số 45/QĐ-XPHC",
    )
    services.petition_accept(actor=huser, petition=p, accepted_at=_at(75))
    services.petition_record_verification(
        actor=huser,
        petition=p,
        note="Đã làm việc với Phòng Kinh tế - Hạ tầng và đối thoại với người khiếu nại.",
    )
    services.petition_resolve(
        actor=muser,
        petition=p,
        outcome="partly_right",
        summary="Giảm mức phạt do công trình xây dựng đúng giấy phép, sai thiết kế phần mái.",
        resolved_at=_at(50),
    )
    # Resolved late.
    p = receive(
        "complaint",
        120,
        "Trương Thị Bé",
        "Khiếu nại việc không xét hỗ trợ tái định cư",
        "Gia đình bị thu hồi toàn bộ đất ở nhưng không được bố trí tái định cư.",
        tags=["land"],
    )
    services.petition_accept(actor=huser, petition=p, accepted_at=_at(115), is_complex=True)
    services.petition_resolve(
        actor=muser,
        petition=p,
        outcome="right",
        summary="Bố trí một suất tái định cư tại khu tái định cư An Khánh.",
        resolved_at=_at(40),
    )
    # Overdue: accepted long ago and not resolved.
    p = receive(
        "complaint",
        70,
        "Mai Văn Lộc",
        "Khiếu nại về việc cấp giấy chứng nhận quyền sử dụng đất",
        "Hồ sơ cấp giấy chứng nhận nộp từ năm trước nhưng bị trả lại không rõ lý do.",
        tags=["land", "official_conduct"],
    )
    services.petition_accept(actor=huser, petition=p, accepted_at=_at(65))
    # Reopened twice (long-running).
    p = receive(
        "complaint",
        200,
        "Lý Thị Hồng",
        "Khiếu nại việc thu hồi đất nông nghiệp không bồi thường",
        "Đất canh tác của gia đình bị thu hồi làm kênh thủy lợi nhưng chưa được bồi thường.",
        tags=["land"],
    )
    services.petition_accept(actor=huser, petition=p, accepted_at=_at(195))
    services.petition_resolve(
        actor=muser,
        petition=p,
        outcome="wrong",
        summary="Đất thuộc hành lang bảo vệ kênh.",
        resolved_at=_at(170),
    )
    services.petition_reopen(
        actor=muser,
        petition=p,
        reason="Thanh tra tỉnh kiến nghị xem xét lại nguồn gốc đất.",
        at=_at(150),
    )
    services.petition_resolve(
        actor=muser,
        petition=p,
        outcome="wrong",
        summary="Giữ nguyên kết quả giải quyết.",
        resolved_at=_at(125),
    )
    services.petition_reopen(
        actor=muser, petition=p, reason="Phát hiện tài liệu mới về nguồn gốc đất.", at=_at(30)
    )
    # Guided, transferred, stored.
    p = receive(
        "complaint",
        15,
        "Châu Văn Tài",
        "Khiếu nại quyết định kỷ luật viên chức của trường học",
        "Khiếu nại quyết định kỷ luật của Hiệu trưởng trường THCS.",
    )
    services.petition_guide(actor=huser, petition=p, guided_to="Hiệu trưởng Trường THCS An Hóa")
    if justice is not None:
        p = receive(
            "recommendation",
            14,
            "Tạ Thị Ngọc",
            "Kiến nghị về thủ tục chứng thực",
            "Kiến nghị rút ngắn thời gian chứng thực hợp đồng chuyển nhượng.",
        )
        services.petition_transfer(actor=huser, petition=p, to_agency=justice)
    p = receive(
        "complaint",
        9,
        "Châu Văn Tài",
        "Khiếu nại quyết định kỷ luật viên chức",
        "Tiếp tục gửi đơn khiếu nại quyết định kỷ luật đã được hướng dẫn.",
    )
    services.petition_store(actor=huser, petition=p, reason="already_guided")
    # Received, due soon; a duplicate.
    pollution = receive(
        "report",
        6,
        "Đoàn Văn Nam",
        "Phản ánh ô nhiễm từ cơ sở chế biến thủy sản",
        "Nước thải chưa qua xử lý xả ra kênh gây mùi hôi.",
    )
    dup = receive(
        "report",
        3,
        "Đoàn Văn Nam",
        "Phản ánh ô nhiễm từ cơ sở chế biến thủy sản",
        "Tiếp tục phản ánh nước thải xả ra kênh.",
    )
    services.petition_link_duplicate(actor=huser, petition=dup, existing=pollution)
    receive(
        "recommendation",
        2,
        "Hồ Thị Thu",
        "Kiến nghị chi trả trợ cấp người có công chậm",
        "Trợ cấp hằng tháng của thân nhân liệt sĩ chậm hai tháng.",
        tags=["social_policy"],
    )
    # A denunciation: the identity is sealed; a complex one, extended once.
    d = receive(
        "denunciation",
        25,
        "Nguyễn Văn Kín",
        "Tố cáo cán bộ địa chính xã nhận tiền khi làm hồ sơ",
        "Tôi là Nguyễn Văn Kín, tố cáo cán bộ địa chính xã nhận tiền khi làm hồ sơ đất.",
        address="Ấp 4, xã An Hóa",
        phone="0987000111",
        tags=["official_conduct"],
    )
    services.petition_assign(actor=muser, petition=d, official=handler, duty="resolve")
    services.petition_accept(actor=huser, petition=d, accepted_at=_at(20), complexity="complex")
    services.petition_extend(actor=muser, petition=d, reason="Cần xác minh tại nhiều cơ quan.")
    # An anonymous denunciation: recorded as information.
    receive(
        "denunciation",
        4,
        "",
        "Thư không ký tên phản ánh sai phạm tại công trình trường học",
        "Công trình trường mầm non sử dụng vật liệu không đúng thiết kế.",
        address="",
    )
    if province is not None:
        # A second-round complaint at the province, linked to the district's first decision.
        first_round = Petition.objects.filter(
            agency=district, kind="complaint", status="resolved", outcome="partly_right"
        ).first()
        if first_round is not None:
            services.petition_receive(
                actor=_ensure_handler_at(province).user,
                agency=province,
                kind="complaint",
                received_at=_at(5),
                round=2,
                first_round=first_round,
                petitioner=PetitionerIn(name="Ngô Văn Đức", address="Xã An Hóa, huyện Châu Thành"),
                subject="Khiếu nại lần hai quyết định xử phạt vi phạm hành chính về xây dựng",
                content="Không đồng ý với quyết định giải quyết khiếu nại lần đầu của Chủ tịch UBND huyện.",
            )
    if commune is not None:
        services.reception_record(
            actor=_ensure_handler_at(commune, role=Role.FRONT_DESK, suffix="xa").user,
            agency=commune,
            received_at=_at(8),
            kind="report",
            visitors=[VisitorIn("Trần Thị Út", "Ấp 1")],
            content="Phản ánh đèn chiếu sáng công cộng trên đường liên ấp bị hư.",
            guidance="Đã chuyển bộ phận phụ trách hạ tầng xử lý.",
        )


def _lead_actor(official: Official) -> User:
    """The provincial leader's schedule is kept by its office: act as a front desk there."""
    return _ensure_handler_at(official.agency, role=Role.FRONT_DESK).user


def _ensure_handler_at(agency: Agency, role: str = Role.HANDLER, suffix: str = "tinh") -> Official:
    username = f"{'tiepdan' if role == Role.FRONT_DESK else 'thuly'}.{suffix}"
    full_name = "Đinh Thị Tuyết" if role == Role.FRONT_DESK else "Phạm Minh Trí"
    position = "Chuyên viên Ban Tiếp công dân tỉnh" if role == Role.FRONT_DESK else "Thanh tra viên"
    official = _official(username, full_name, role, agency.code, position)
    assert official is not None
    return official


def demo_accounts() -> list[dict[str, str]]:
    rows = []
    specs = [
        *ACCOUNTS,
        ("tiepdan.tinh", "", Role.FRONT_DESK, "UBND-BT", ""),
        ("thuly.tinh", "", Role.HANDLER, "UBND-BT", ""),
    ]
    for username, _name, role, code, _position in specs:
        agency = Agency.objects.select_related("unit").filter(code=code).first()
        if agency is None:
            continue
        rows.append(
            {
                "username": username,
                "password": DEMO_PASSWORD,
                "role": str(role),
                "agency": agency.name,
                "unit": agency.unit.name,
            }
        )
    return rows
