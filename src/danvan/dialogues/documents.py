"""The minutes of a dialogue (biên bản, BB) in the format of Decree 30/2020."""

from __future__ import annotations

from django.utils import timezone

from danvan.core.documents import Block, OfficialDocument, Signature
from danvan.core.numbering import date_line
from danvan.dialogues.models import Commitment, Dialogue, Question, QuestionOrigin


def minutes_document(
    d: Dialogue, questions: list[Question], commitments: list[Commitment]
) -> OfficialDocument:
    agency = d.agency
    assert d.minutes_symbol and d.minutes_issued_on
    start, end = timezone.localtime(d.starts_at), timezone.localtime(d.ends_at)
    body: list[Block] = [
        Block(
            text=(
                f"Vào lúc {start:%H} giờ {start:%M} phút, ngày {start:%d/%m/%Y}, tại {d.place}, "
                f"{agency.name} tổ chức {d.get_kind_display().lower()} với Nhân dân về: {d.topic}."
            )
        ),
        Block("heading", "I. THÀNH PHẦN"),
        Block("bullet", f"Chủ trì: {d.host_name}."),
        Block(
            "bullet",
            "Cơ quan tham dự: "
            + (", ".join(a.name for a in d.participants.all()) or "không có")
            + ".",
        ),
        Block("bullet", f"Thư ký: {d.secretary or '—'}."),
    ]
    if d.attendance:
        body.append(Block("bullet", f"Số người dân tham dự: {d.attendance} người."))
    body.append(Block("heading", "II. DIỄN BIẾN"))
    body.extend(Block(text=line) for line in d.minutes_text.splitlines() if line.strip())
    body.append(Block("heading", "III. Ý KIẾN CỦA NHÂN DÂN VÀ TRẢ LỜI"))
    body.append(
        Block(
            "table",
            headers=["STT", "Người hỏi", "Nguồn", "Câu hỏi, kiến nghị", "Trả lời"],
            rows=[
                [
                    i,
                    q.public_author,
                    "Gửi trước" if q.origin == QuestionOrigin.ADVANCE else "Tại hội nghị",
                    q.body,
                    f"{q.answer} ({q.answered_by})" if q.answer else "Sẽ trả lời bằng văn bản",
                ]
                for i, q in enumerate(questions, start=1)
            ],
        )
    )
    body.append(Block("heading", "IV. KẾT LUẬN VÀ CAM KẾT"))
    body.append(
        Block(
            "table",
            headers=["STT", "Nội dung cam kết", "Cơ quan thực hiện", "Hạn hoàn thành"],
            rows=[
                [i, c.description, c.owner.name, c.due_on.strftime("%d/%m/%Y")]
                for i, c in enumerate(commitments, start=1)
            ],
        )
    )
    body.append(
        Block(
            text=(
                f"Biên bản kết thúc lúc {end:%H} giờ {end:%M} phút cùng ngày, đã thông qua "
                "cho những người tham dự cùng nghe và thống nhất."
            )
        )
    )
    return OfficialDocument(
        agency=agency.name,
        parent_agency=agency.parent.name if agency.parent_id and agency.parent else "",
        symbol=d.minutes_symbol,
        date_line=date_line(agency.place_name or agency.unit.name, d.minutes_issued_on),
        title="BIÊN BẢN",
        summary=f"{d.get_kind_display()} với Nhân dân: {d.topic}",
        body=body,
        recipients=["Cơ quan tham dự", "Cổng thông tin DânVận", "Lưu: VT"],
        signature=Signature(position="CHỦ TRÌ", name=d.host_name),
    )
