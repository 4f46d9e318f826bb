"""Demo data of the dialogues app: dialogues held by the province, a district and communes, with
questions, minutes and commitments — kept on time, late, overdue and open — and one to come.
Idempotent. Adds the demo account of a commune chair who hosts dialogues."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from danvan.core.calendar import TZ
from danvan.dialogues import services
from danvan.dialogues.models import Dialogue, DialogueStatus
from danvan.org import services as org_services
from danvan.org.demo import DEMO_PASSWORD
from danvan.org.models import Agency, User
from danvan.org.roles import Role

COMMUNE_CHAIR = ("phochutich.xa", "Huỳnh Văn Tâm", "Phó Chủ tịch UBND xã")
# A tiny valid PDF used as evidence in the demo.
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at(day_offset: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=day_offset)
    return datetime.combine(day, time(hour, 0), TZ)


def _chair(agency: Agency) -> User:
    username, full_name, position = COMMUNE_CHAIR
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    official = org_services.official_add(
        actor=None, user=user, agency=agency, roles=[Role.COMMITTEE_LEADER], position=position
    )
    if agency.mobilisation_lead_id is None:
        agency.mobilisation_lead = official
        agency.save(update_fields=["mobilisation_lead"])
    return user


def _commune() -> Agency | None:
    return Agency.objects.filter(code="UBND-28756").first() or (
        Agency.objects.filter(parent__code="UBND-831").order_by("code").first()
    )


def demo_accounts() -> list[dict[str, str]]:
    commune = _commune()
    if commune is None:
        return []
    return [
        {
            "username": COMMUNE_CHAIR[0],
            "password": DEMO_PASSWORD,
            "role": str(Role.COMMITTEE_LEADER),
            "agency": commune.name,
            "unit": commune.unit.name,
        }
    ]


@transaction.atomic
def load_demo() -> None:
    leader = User.objects.filter(username="lanhdao.tinh").first()
    district_leader = User.objects.filter(username="lanhdao.huyen").first()
    province = Agency.objects.filter(code="UBND-BT").first()
    district = Agency.objects.filter(code="UBND-831").first()
    commune = _commune()
    stp = Agency.objects.filter(code="STP").first()
    if not (leader and district_leader and province and district and commune and stp):
        return
    chair = _chair(commune)
    if Dialogue.objects.filter(topic__startswith="Bồi thường, hỗ trợ tái định cư").exists():
        return

    # 1. A provincial dialogue held two months ago: commitments kept on time, late, overdue.
    d = services.dialogue_schedule(
        actor=leader,
        agency=province,
        topic="Bồi thường, hỗ trợ tái định cư dự án đường tỉnh 883",
        host_name="Ông Trần Văn Hùng, Phó Chủ tịch UBND tỉnh",
        place="Hội trường UBND huyện Châu Thành",
        starts_at=_at(-60, 8),
        ends_at=_at(-60, 11),
        participants=[district, stp],
        affected_units=[commune.unit],
        description="Đối thoại với các hộ dân bị thu hồi đất.",
    )
    q = services.question_record(
        actor=leader,
        dialogue=d,
        body="Đơn giá bồi thường đất vườn thấp hơn giá thị trường.",
        author_name="Ông Nguyễn Văn Bảy",
        author_address="ấp 3, xã Tân Thạch",
        answer="Tỉnh sẽ thuê tư vấn định giá lại trong tháng tới.",
        answered_by="Phó Chủ tịch UBND tỉnh",
    )
    services.dialogue_record_held(
        actor=leader,
        dialogue=d,
        attendance=86,
        secretary="Lê Thị Thu",
        minutes_text="Lãnh đạo tỉnh nghe 12 ý kiến của người dân, trả lời trực tiếp 10 ý kiến.",
    )
    services.minutes_issue(actor=leader, dialogue=d)
    today = timezone.localdate()
    kept = services.commitment_add(
        actor=leader,
        dialogue=d,
        question=q,
        owner=district,
        description="Định giá lại đơn giá bồi thường đất vườn.",
        due_on=today - timedelta(days=30),
    )
    services.commitment_add(
        actor=leader,
        dialogue=d,
        owner=district,
        description="Bố trí đất tái định cư cho 14 hộ trước khi bàn giao mặt bằng.",
        due_on=today - timedelta(days=5),
    )
    services.commitment_add(
        actor=leader,
        dialogue=d,
        owner=stp,
        description="Hướng dẫn thủ tục cấp giấy chứng nhận cho các hộ tái định cư.",
        due_on=today + timedelta(days=20),
    )
    services.commitment_report(
        actor=district_leader,
        commitment=kept,
        status="done",
        done_on=today - timedelta(days=35),
        text="Đã ban hành đơn giá mới, tăng 18%.",
        evidence=SimpleUploadedFile("quyet-dinh-don-gia.pdf", EVIDENCE_PDF),
    )

    # 2. A commune dialogue held this year: meets the yearly minimum.
    c = services.dialogue_schedule(
        actor=chair,
        agency=commune,
        topic="Đối thoại định kỳ năm với Nhân dân xã",
        host_name=f"Ông {COMMUNE_CHAIR[1]}, {COMMUNE_CHAIR[2]}",
        place="Nhà văn hóa ấp 2",
        starts_at=_at(-20, 14),
        ends_at=_at(-20, 16),
        affected_units=[commune.unit],
    )
    services.question_record(
        actor=chair,
        dialogue=c,
        body="Đèn đường ấp 2 hỏng nhiều tháng.",
        author_name="Bà Trần Thị Mười",
        author_address="ấp 2",
        answer="Xã sẽ sửa trong tháng.",
        answered_by="Phó Chủ tịch UBND xã",
    )
    services.dialogue_record_held(
        actor=chair,
        dialogue=c,
        attendance=54,
        minutes_text="Trao đổi về an ninh trật tự và đèn đường.",
    )
    services.minutes_issue(actor=chair, dialogue=c)
    late = services.commitment_add(
        actor=chair,
        dialogue=c,
        owner=commune,
        description="Sửa 8 bóng đèn đường ấp 2.",
        due_on=today - timedelta(days=12),
    )
    services.commitment_report(
        actor=chair,
        commitment=late,
        status="done",
        done_on=today - timedelta(days=2),
        text="Đã thay 8 bóng đèn LED.",
        evidence=SimpleUploadedFile("anh-den-duong.pdf", EVIDENCE_PDF),
    )

    # 3. A district seminar to come, open for questions.
    s = services.dialogue_schedule(
        actor=district_leader,
        agency=district,
        kind="seminar",
        topic="Tọa đàm chuyển đổi số trong giải quyết thủ tục hành chính",
        host_name="Bà Lê Thị Hồng, Chủ tịch UBND huyện Châu Thành",
        place="Hội trường UBND huyện Châu Thành",
        starts_at=_at(10, 8),
        ends_at=_at(10, 11),
        participants=[stp],
    )
    q2 = services.question_submit(
        actor=None,
        dialogue=s,
        body="Người lớn tuổi không dùng điện thoại thông minh thì nộp hồ sơ thế nào?",
        author_name="Ông Phạm Văn Tư",
        author_address="thị trấn Châu Thành",
    )
    services.question_moderate(actor=district_leader, question=q2, accept=True)
    services.question_submit(
        actor=None,
        dialogue=s,
        body="Đề nghị hướng dẫn cài đặt VNeID tại nhà văn hóa ấp.",
        author_name="Bà Võ Thị Năm",
        author_address="xã Tân Thạch",
    )
    assert s.status == DialogueStatus.SCHEDULED
