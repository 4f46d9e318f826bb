"""Consultations from draft to published synthesis: identity levels, moderation, responses, the
numbered report (re-opened with python-docx), notifications to followers, indicators, search."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from danvan.consultations import selectors, services
from danvan.consultations.documents import synthesis_document
from danvan.consultations.models import (
    CommentStatus,
    Consultation,
    ConsultationStatus,
    DraftKind,
    IdentityLevel,
    PhoneCheck,
)
from danvan.core.documents import render_docx, render_pdf
from danvan.core.errors import (
    InvalidTransition,
    PermissionDeniedError,
    RateLimited,
    ValidationFailed,
)
from danvan.core.models import Attachment, AuditRecord, IssuedNumber, OutboxMessage
from tests.consultations.conftest import make_consultation
from tests.consultations.drafts import legal_draft_docx
from tests.world import World

pytestmark = pytest.mark.django_db


def _section(c: Consultation, number: str):  # type: ignore[no-untyped-def]
    return c.sections.get(number=number)


def _comment(c: Consultation, body: str, number: str | None = None, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("author_name", "Nguyễn Văn Dân")
    kw.setdefault("phone", "0912345678")
    return services.comment_submit(
        actor=None,
        consultation=c,
        body=body,
        section=_section(c, number) if number else None,
        **kw,
    )


# --- the draft -----------------------------------------------------------------------------------
def test_a_legal_draft_needs_the_minimum_comment_period(world: World) -> None:
    now = timezone.now()
    with pytest.raises(ValidationFailed) as err:
        services.consultation_create(
            actor=world.user("handler"),
            agency=world.own("handler"),
            title="Dự thảo quyết định",
            kind=DraftKind.LEGAL_DOCUMENT,
            opens_at=now,
            closes_at=now + timedelta(days=10),
        )
    assert "tối thiểu là 20 ngày (theo lịch)" in err.value.message
    # A plan has no legal minimum.
    c = services.consultation_create(
        actor=world.user("handler"),
        agency=world.own("handler"),
        title="Kế hoạch làm đường",
        kind=DraftKind.PLAN,
        opens_at=now,
        closes_at=now + timedelta(days=10),
    )
    assert c.status == ConsultationStatus.DRAFT
    assert AuditRecord.objects.filter(action="consultations.consultation_create").count() == 1


def test_importing_a_docx_keeps_the_file_and_cuts_the_sections(world: World) -> None:
    c = make_consultation(world, open_it=False)
    upload = SimpleUploadedFile("du-thao-quy-dinh-cho.docx", legal_draft_docx())
    n = services.sections_import_docx(actor=world.user("handler"), consultation=c, upload=upload)
    assert n == 10
    assert [s.number for s in c.sections.filter(kind="article")] == [
        f"Điều {i}" for i in range(1, 6)
    ]
    att = Attachment.objects.get(owner_id=str(c.pk), purpose="draft")
    assert att.original_name == "du-thao-quy-dinh-cho.docx"
    rec = AuditRecord.objects.get(action="consultations.sections_import_docx")
    assert rec.data["sections"] == 10


def test_a_file_that_is_not_a_word_document_is_refused(world: World) -> None:
    c = make_consultation(world, open_it=False)
    with pytest.raises(ValidationFailed):
        services.sections_import_docx(
            actor=world.user("handler"),
            consultation=c,
            upload=SimpleUploadedFile("du-thao.docx", b"<html>not a docx</html>"),
        )


def test_another_agency_cannot_prepare_the_draft(world: World) -> None:
    c = make_consultation(world, open_it=False)
    with pytest.raises(PermissionDeniedError):
        services.section_add(actor=world.user("home_affairs"), consultation=c, body="x")
    with pytest.raises(PermissionDeniedError):
        services.consultation_open(actor=world.user("front_desk"), consultation=c)


def test_a_draft_without_sections_cannot_open(world: World) -> None:
    now = timezone.now()
    c = services.consultation_create(
        actor=world.user("handler"),
        agency=world.own("handler"),
        title="Kế hoạch",
        kind=DraftKind.PLAN,
        opens_at=now,
        closes_at=now + timedelta(days=5),
    )
    with pytest.raises(ValidationFailed):
        services.consultation_open(actor=world.user("handler"), consultation=c)


# --- identity levels ------------------------------------------------------------------------------
def test_a_named_consultation_needs_a_name_and_a_contact(
    world: World, consultation: Consultation
) -> None:
    with pytest.raises(ValidationFailed) as err:
        _comment(consultation, "Góp ý về điều 3 của dự thảo.", "Điều 3", author_name="")
    assert err.value.message == services.ERR_NAME_REQUIRED
    with pytest.raises(ValidationFailed):
        _comment(consultation, "Góp ý về điều 3 của dự thảo.", "Điều 3", phone="")
    x = _comment(consultation, "Góp ý về điều 3 của dự thảo.", "Điều 3")
    assert x.number == 1 and x.status == CommentStatus.PENDING and x.section.number == "Điều 3"


def test_a_signed_in_consultation_refuses_anonymous_visitors(world: World) -> None:
    c = make_consultation(world, identity_level=IdentityLevel.SIGNED_IN)
    with pytest.raises(PermissionDeniedError):
        services.comment_submit(actor=None, consultation=c, body="Góp ý không đăng nhập.")
    x = services.comment_submit(
        actor=world.user("citizen"), consultation=c, body="Góp ý của người có tài khoản."
    )
    assert x.author_name == "Nguyễn Văn Dân" and x.author_user == world.user("citizen")


def test_an_anonymous_comment_needs_a_phone_checked_by_sms(world: World) -> None:
    c = make_consultation(world, identity_level=IdentityLevel.ANONYMOUS_PHONE)
    with pytest.raises(ValidationFailed):
        services.comment_submit(actor=None, consultation=c, body="Góp ý ẩn danh chưa xác minh.")
    check = services.phone_check_start(consultation=c, phone="+84 912 345 678")
    assert check.phone == "0912345678"
    sms = OutboxMessage.objects.get(channel="sms", recipient="0912345678")
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)  # type: ignore[union-attr]
    assert code not in check.code_hash
    with pytest.raises(ValidationFailed):
        services.phone_check_confirm(
            consultation=c, phone="0912345678", code="000000" if code != "000000" else "111111"
        )
    phone = services.phone_check_confirm(consultation=c, phone="0912345678", code=code)
    x = services.comment_submit(
        actor=None, consultation=c, body="Góp ý ẩn danh đã xác minh.", verified_phone=phone
    )
    assert x.phone_verified and x.public_author == "Người dân (ẩn danh)"
    # A used code cannot be used again.
    with pytest.raises(ValidationFailed):
        services.phone_check_confirm(consultation=c, phone="0912345678", code=code)


def test_phone_codes_are_rate_limited(world: World) -> None:
    c = make_consultation(world, identity_level=IdentityLevel.ANONYMOUS_PHONE)
    for _ in range(services.PHONE_CODES_PER_HOUR):
        services.phone_check_start(consultation=c, phone="0912345678")
    with pytest.raises(RateLimited):
        services.phone_check_start(consultation=c, phone="0912345678")
    assert PhoneCheck.objects.count() == 3


def test_no_comment_before_opening_or_after_closing(world: World) -> None:
    c = make_consultation(world, open_it=False)
    with pytest.raises(InvalidTransition):
        _comment(c, "Góp ý khi chưa công bố dự thảo.")
    services.consultation_open(actor=world.user("handler"), consultation=c)
    services.consultation_close(actor=world.user("handler"), consultation=c)
    with pytest.raises(InvalidTransition):
        _comment(c, "Góp ý sau khi đã kết thúc.")


# --- moderation -----------------------------------------------------------------------------------
def test_moderation_publishes_or_refuses_with_a_policy_reason(
    world: World, consultation: Consultation
) -> None:
    good = _comment(consultation, "Đề nghị bổ sung thời hạn trả lời phản ánh.", "Điều 3")
    bad = _comment(consultation, "Liên hệ 0909123456 để mua đất giá rẻ www.dat.vn")
    handler = world.user("handler")
    with pytest.raises(ValidationFailed):
        services.comment_moderate(actor=handler, comment=bad, publish=False)
    with pytest.raises(PermissionDeniedError):
        services.comment_moderate(actor=world.user("front_desk"), comment=good, publish=True)
    services.comment_moderate(actor=handler, comment=good, publish=True)
    services.comment_moderate(
        actor=handler, comment=bad, publish=False, reason="spam", note="quảng cáo"
    )
    with pytest.raises(InvalidTransition):
        services.comment_moderate(actor=handler, comment=good, publish=False, reason="abuse")
    assert [x.number for x in selectors.public_comments(consultation)] == [good.number]
    rec = AuditRecord.objects.filter(action="consultations.comment_moderate").order_by("seq").last()
    assert rec is not None
    assert rec.data["reason"] == "spam" and rec.data["reason_label"] == "Quảng cáo, tin rác"
    assert rec.changes["status"] == ["pending", "rejected"]


def test_the_policy_screen_points_at_personal_data_abuse_and_links() -> None:
    from danvan.consultations.policy import screen

    assert screen("Gọi 0912 345 678 hoặc an@example.vn") == ["personal_data"]
    assert screen("Cán bộ đồ ngu") == ["abuse"]
    assert screen("Xem https://example.vn") == ["spam"]
    assert screen("Đề nghị đo người dân tham gia đầy đủ") == []


# --- the whole flow and the synthesis report -------------------------------------------------------
def _close_and_answer(world: World, c: Consultation) -> list:  # type: ignore[type-arg]
    handler = world.user("handler")
    comments = [
        _comment(c, "Đề nghị quy định thời hạn trả lời phản ánh là 10 ngày làm việc.", "Điều 3"),
        _comment(
            c,
            "Giá thuê cần công khai trên cổng thông tin của xã.",
            "Điều 4",
            author_name="",
            organisation="Hội Nông dân xã An Hòa",
        ),
        _comment(
            c,
            "Dự thảo nên bổ sung quy định về an toàn thực phẩm.",
            None,
            email="an@example.vn",
            phone="",
        ),
        _comment(c, "Đồ ngu, mất dạy hết cả lũ cán bộ.", "Điều 1"),
    ]
    for x in comments[:3]:
        services.comment_moderate(actor=handler, comment=x, publish=True)
    services.comment_moderate(actor=handler, comment=comments[3], publish=False, reason="abuse")
    services.consultation_follow(consultation=c, contact="0987654321")
    services.consultation_close(actor=handler, consultation=c)
    answers = [
        ("accepted", "Tiếp thu, bổ sung khoản 3 Điều 3."),
        ("accepted", "Tiếp thu, bổ sung khoản 2 Điều 4."),
        ("explained", "Đã được quy định tại Luật An toàn thực phẩm."),
    ]
    for x, (outcome, text) in zip(comments[:3], answers, strict=True):
        x.refresh_from_db()
        services.comment_respond(actor=handler, comment=x, outcome=outcome, text=text)
    return comments


def test_the_synthesis_report_lists_every_comment_with_its_response(
    world: World, consultation: Consultation
) -> None:
    comments = _close_and_answer(world, consultation)
    head = world.user("head")
    with pytest.raises(PermissionDeniedError):  # a handler prepares, the head signs
        services.synthesis_issue(
            actor=world.user("handler"), consultation=consultation, signer="x", signer_position="y"
        )
    c = services.synthesis_issue(
        actor=head, consultation=consultation, signer="Phạm Văn Trưởng", signer_position="Chủ tịch"
    )
    assert c.report_symbol == "01/BC-UBND"
    assert IssuedNumber.objects.get(symbol="01/BC-UBND").object_id == str(c.pk)
    # Responses are frozen once the report is numbered.
    with pytest.raises(InvalidTransition):
        services.comment_respond(actor=head, comment=comments[0], outcome="explained", text="x")

    content = render_docx(synthesis_document(selectors.synthesis(c)))
    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [[cell.text for cell in row.cells] for t in doc.tables for row in t.rows]
    header = "\n".join(cell for row in cells[:1] for cell in row)
    assert "Số: 01/BC-UBND" in header
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "BÁO CÁO" in text and "Tổng hợp, tiếp thu, giải trình ý kiến góp ý" in text
    assert "Tổng số ý kiến nhận được: 4; số ý kiến được đăng công khai: 3." in text
    assert "Không đăng 1 ý kiến, lý do: Xúc phạm, thô tục" in text
    assert "Kết quả: tiếp thu 2 ý kiến; giải trình 1 ý kiến; không tiếp thu 0 ý kiến." in text
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert rows == [
        [
            "1",
            "Điều 3. Trách nhiệm của Ủy ban nhân dân cấp xã",
            "Nguyễn Văn Dân",
            "Đề nghị quy định thời hạn trả lời phản ánh là 10 ngày làm việc.",
            "Tiếp thu: Tiếp thu, bổ sung khoản 3 Điều 3.",
        ],
        [
            "2",
            "Điều 4. Giá thuê",
            "Hội Nông dân xã An Hòa",
            "Giá thuê cần công khai trên cổng thông tin của xã.",
            "Tiếp thu: Tiếp thu, bổ sung khoản 2 Điều 4.",
        ],
        [
            "3",
            "Toàn bộ dự thảo",
            "Nguyễn Văn Dân",
            "Dự thảo nên bổ sung quy định về an toàn thực phẩm.",
            "Giải trình: Đã được quy định tại Luật An toàn thực phẩm.",
        ],
    ]
    assert "mất dạy" not in text and all("mất dạy" not in "".join(r) for r in rows)
    assert "0912345678" not in text + str(rows)  # contact details never appear
    assert "PHẠM VĂN TRƯỞNG" in str(cells).upper()
    assert render_pdf(synthesis_document(selectors.synthesis(c))).startswith(b"%PDF")


def test_the_report_waits_for_every_answer(world: World, consultation: Consultation) -> None:
    x = _comment(consultation, "Đề nghị quy định thời hạn trả lời phản ánh.", "Điều 3")
    services.comment_moderate(actor=world.user("handler"), comment=x, publish=True)
    services.consultation_close(actor=world.user("handler"), consultation=consultation)
    with pytest.raises(InvalidTransition) as err:
        services.synthesis_issue(
            actor=world.user("head"), consultation=consultation, signer="A", signer_position="B"
        )
    assert err.value.message == "Còn 1 ý kiến chưa được tiếp thu, giải trình."


def test_publication_needs_the_report_and_the_final_text_and_tells_the_followers(
    world: World, consultation: Consultation
) -> None:
    _close_and_answer(world, consultation)
    head = world.user("head")
    closing = OutboxMessage.objects.get(recipient="0987654321")
    assert "đã kết thúc lấy ý kiến" in closing.body and "3 ý kiến" in closing.body
    with pytest.raises(InvalidTransition):
        services.consultation_publish(actor=head, consultation=consultation, final_text="Văn bản")
    services.synthesis_issue(actor=head, consultation=consultation, signer="A", signer_position="B")
    with pytest.raises(ValidationFailed):
        services.consultation_publish(actor=head, consultation=consultation, final_text="")
    c = services.consultation_publish(
        actor=head, consultation=consultation, final_text="Điều 3 (đã sửa) …"
    )
    assert c.status == ConsultationStatus.PUBLISHED
    published = OutboxMessage.objects.filter(recipient="0987654321").order_by("pk").last()
    assert published is not None and "01/BC-UBND" in published.body
    actions = list(
        AuditRecord.objects.filter(object_id=str(c.pk), object_type="consultations.consultation")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "consultations.consultation_create",
        "consultations.sections_from_text",
        "consultations.consultation_open",
        "consultations.consultation_follow",
        "consultations.consultation_close",
        "consultations.synthesis_issue",
        "consultations.consultation_publish",
    ]


def test_the_scheduler_closes_consultations_whose_period_ended(world: World) -> None:
    import time_machine

    c = make_consultation(world)
    services.consultation_follow(consultation=c, contact="dan@example.vn")
    with time_machine.travel(c.closes_at + timedelta(minutes=1)):
        assert services.close_due() == 1
    c.refresh_from_db()
    assert c.status == ConsultationStatus.CLOSED
    assert OutboxMessage.objects.filter(recipient="dan@example.vn", channel="email").count() == 1
    assert (
        AuditRecord.objects.get(action="consultations.consultation_close").actor_label == "hệ thống"
    )


# --- search and indicators -----------------------------------------------------------------------
def test_search_without_diacritics_finds_drafts_and_published_comments(
    world: World, consultation: Consultation
) -> None:
    x = _comment(consultation, "Đề nghị niêm yết giá thuê đất ở chợ.", "Điều 3")
    assert selectors.public_comment_search("niem yet gia thue") == []  # not yet published
    services.comment_moderate(actor=world.user("handler"), comment=x, publish=True)
    assert [y.pk for y in selectors.public_comment_search("niem yet gia thue dat")] == [x.pk]
    assert [c.pk for c in selectors.public_consultations(q="quan ly cho")] == [consultation.pk]
    assert list(selectors.public_consultations(q="giao thong")) == []


def test_indicators_count_by_agency_and_period(world: World) -> None:
    from danvan.shell.registry import Period, indicators

    own = make_consultation(world)
    other = make_consultation(world, world.other, title="Dự thảo của huyện Bình Minh")
    _close_and_answer(world, own)
    other_handler = other.created_by
    services.consultation_close(actor=other_handler, consultation=other)
    today = timezone.localdate()
    period = Period(date(today.year, 1, 1), date(today.year, 12, 31))
    a = [world.own("handler").pk]
    assert indicators.get("consultations.held").compute(a, period) == 1
    assert indicators.get("consultations.held").compute([world.other.pk], period) == 1
    assert indicators.get("consultations.comments_received").compute(a, period) == 4
    assert str(indicators.get("consultations.share_answered").compute(a, period)) == "100.0"
    assert indicators.get("consultations.share_answered").compute([world.other.pk], period) is None
    last_year = Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    assert indicators.get("consultations.held").compute(a, last_year) == 0
