"""Demo data of the consultations app: drafts of several agencies at every stage — one open for
comments, one closed awaiting answers, one with its synthesis published. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from danvan.consultations import services
from danvan.consultations.models import Consultation, DraftKind, IdentityLevel
from danvan.org.models import AdminUnit, Agency, User

MARKET_RULES = """Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứ Nghị định số 60/2024/NĐ-CP ngày 05 tháng 6 năm 2024 của Chính phủ về phát triển và quản lý chợ;
Chương I. QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Quy định này quy định về phân cấp quản lý, kinh doanh khai thác chợ trên địa bàn tỉnh.
Điều 2. Đối tượng áp dụng
1. Cơ quan quản lý nhà nước có liên quan.
2. Doanh nghiệp, hợp tác xã, Ban quản lý chợ.
3. Thương nhân kinh doanh tại chợ.
Chương II. QUẢN LÝ CHỢ
Điều 3. Trách nhiệm của Ủy ban nhân dân cấp xã
1. Lấy ý kiến thương nhân trước khi chuyển đổi mô hình quản lý chợ.
2. Niêm yết công khai giá thuê điểm kinh doanh.
3. Giải quyết phản ánh của người dân về hoạt động của chợ.
Điều 4. Giá thuê điểm kinh doanh
1. Giá thuê do Ủy ban nhân dân cấp xã phê duyệt sau khi lấy ý kiến thương nhân.
2. Giá thuê được niêm yết tại Ban quản lý chợ.
Chương III. TỔ CHỨC THỰC HIỆN
Điều 5. Hiệu lực thi hành
Quyết định này có hiệu lực kể từ ngày 01 tháng 01 năm 2027."""

ROADS_PLAN = """I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Huy động Nhân dân cùng Nhà nước làm đường giao thông nông thôn theo phương châm dân biết, dân bàn, dân làm, dân kiểm tra.
2. Yêu cầu
Công khai mức đóng góp, danh sách hộ và tiến độ từng tuyến đường.
II. NỘI DUNG
1. Các tuyến đường
Nâng cấp 4,2 km đường liên ấp, mặt đường rộng 3,5 m.
2. Mức đóng góp
Mỗi hộ đóng góp theo mức do hội nghị ấp quyết định; hộ nghèo được miễn.
III. TỔ CHỨC THỰC HIỆN
1. Ban giám sát đầu tư của cộng đồng giám sát chất lượng công trình."""

FEES_PROGRAMME = """I. MỤC TIÊU
1. Giảm thời gian giải quyết thủ tục hành chính tại Bộ phận Một cửa.
2. 100% hồ sơ trễ hạn có văn bản xin lỗi người dân.
II. GIẢI PHÁP
1. Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.
2. Khảo sát sự hài lòng của người dân mỗi quý."""

COMMENTS = [
    (
        3,
        "Đề nghị quy định rõ thời hạn Ủy ban nhân dân cấp xã phải trả lời phản ánh về chợ, ví dụ 10 ngày làm việc.",
        "Trần Thị Bích",
        "",
    ),
    (
        4,
        "Giá thuê điểm kinh doanh nên được công khai trên cổng thông tin của xã, không chỉ niêm yết tại chợ.",
        "",
        "Hội Liên hiệp Phụ nữ xã",
    ),
    (
        None,
        "Dự thảo cần bổ sung quy định về vệ sinh an toàn thực phẩm tại chợ.",
        "Lê Văn Cường",
        "",
    ),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@transaction.atomic
def load_demo() -> None:
    head = _user("thutruong.stp")
    leader = _user("lanhdao.huyen")
    stp = Agency.objects.filter(code="STP").first()
    district = Agency.objects.filter(code="UBND-831").first()
    if not (head and leader and stp and district):
        return  # the org demo was not loaded
    now = timezone.now()
    communes = list(AdminUnit.objects.filter(parent=district.unit).order_by("code")[:3])

    # 1. A closed and published legal draft of the Department of Justice.
    if not Consultation.objects.filter(title__startswith="Quy định về quản lý chợ").exists():
        c = services.consultation_create(
            actor=head,
            agency=stp,
            title="Quy định về quản lý chợ trên địa bàn tỉnh",
            kind=DraftKind.LEGAL_DOCUMENT,
            summary="Dự thảo Quyết định của Ủy ban nhân dân tỉnh ban hành Quy định về phân cấp "
            "quản lý và kinh doanh khai thác chợ.",
            opens_at=now - timedelta(days=2),
            closes_at=now + timedelta(days=40),
            identity_level=IdentityLevel.NAMED,
            affected_units=communes,
        )
        services.sections_from_text(actor=head, consultation=c, text=MARKET_RULES)
        services.consultation_open(actor=head, consultation=c)
        sections = {s.number: s for s in c.sections.all()}
        comments = []
        for article, body, name, org in COMMENTS:
            comments.append(
                services.comment_submit(
                    actor=None,
                    consultation=c,
                    body=body,
                    author_name=name,
                    organisation=org,
                    phone="0913000111",
                    section=sections.get(f"Điều {article}") if article else None,
                )
            )
        spam = services.comment_submit(
            actor=None,
            consultation=c,
            body="Mua bán đất giá rẻ, liên hệ 0909999999 www.example.vn",
            author_name="Quảng cáo",
            phone="0909999999",
        )
        for x in comments:
            services.comment_moderate(actor=head, comment=x, publish=True)
        services.comment_moderate(actor=head, comment=spam, publish=False, reason="spam")
        services.consultation_close(actor=head, consultation=c)
        outcomes = [
            ("accepted", "Tiếp thu, bổ sung khoản 3 Điều 3: thời hạn 10 ngày làm việc."),
            ("accepted", "Tiếp thu, bổ sung khoản 2 Điều 4."),
            (
                "explained",
                "Vệ sinh an toàn thực phẩm đã được quy định tại Luật An toàn thực phẩm; không quy định lại.",
            ),
        ]
        for x, (outcome, text) in zip(comments, outcomes, strict=True):
            x.refresh_from_db()
            services.comment_respond(actor=head, comment=x, outcome=outcome, text=text)
        services.synthesis_issue(
            actor=head, consultation=c, signer="Đặng Quốc Bảo", signer_position="Giám đốc"
        )
        services.consultation_publish(
            actor=head,
            consultation=c,
            final_text=MARKET_RULES.replace(
                "3. Giải quyết phản ánh của người dân về hoạt động của chợ.",
                "3. Giải quyết phản ánh của người dân về hoạt động của chợ trong thời hạn 10 ngày làm việc.",
            ),
        )

    # 2. A district plan open for comments (anonymous, phone check).
    if not Consultation.objects.filter(title__startswith="Kế hoạch làm đường giao thông").exists():
        c = services.consultation_create(
            actor=leader,
            agency=district,
            title="Kế hoạch làm đường giao thông nông thôn năm 2027",
            kind=DraftKind.PLAN,
            summary="Nhân dân và Nhà nước cùng làm 4,2 km đường liên ấp.",
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=20),
            identity_level=IdentityLevel.ANONYMOUS_PHONE,
            affected_units=communes,
        )
        services.sections_from_text(actor=leader, consultation=c, text=ROADS_PLAN)
        services.consultation_open(actor=leader, consultation=c)
        item = c.sections.filter(number="2", heading="Mức đóng góp").first()
        x = services.comment_submit(
            actor=None,
            consultation=c,
            section=item,
            verified_phone="0918222333",
            body="Đề nghị cho hộ cận nghèo được giảm một nửa mức đóng góp.",
        )
        services.comment_moderate(actor=leader, comment=x, publish=True)
        services.comment_submit(
            actor=None,
            consultation=c,
            verified_phone="0918444555",
            body="Nên làm tuyến ấp 3 trước vì mùa mưa ngập nặng.",
        )

    # 3. A programme still being prepared.
    if not Consultation.objects.filter(title__startswith="Chương trình cải cách").exists():
        c = services.consultation_create(
            actor=head,
            agency=stp,
            title="Chương trình cải cách thủ tục hành chính năm 2027",
            kind=DraftKind.PROGRAMME,
            opens_at=now + timedelta(days=7),
            closes_at=now + timedelta(days=37),
            identity_level=IdentityLevel.SIGNED_IN,
        )
        services.sections_from_text(actor=head, consultation=c, text=FEES_PROGRAMME)
