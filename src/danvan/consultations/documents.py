"""The synthesis report (báo cáo tổng hợp, tiếp thu, giải trình ý kiến góp ý) in the format of
Decree 30/2020: every published comment with its section, its author and the agency's answer."""

from __future__ import annotations

from django.utils.translation import gettext as _

from danvan.consultations import policy
from danvan.consultations.models import Consultation
from danvan.consultations.selectors import Synthesis, response_of
from danvan.core.documents import Block, OfficialDocument, Signature
from danvan.core.numbering import date_line


def _dt(value: object) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""  # type: ignore[arg-type]


def synthesis_document(s: Synthesis) -> OfficialDocument:
    c: Consultation = s.consultation
    agency = c.agency
    assert c.report_symbol and c.report_issued_on
    outcome_labels = {
        "accepted": "tiếp thu",
        "explained": "giải trình",
        "not_accepted": "không tiếp thu",
    }
    body: list[Block] = [
        Block(
            text=(
                f"Thực hiện việc lấy ý kiến Nhân dân đối với dự thảo {c.title}, "
                f"{agency.name} đã công bố dự thảo trên Cổng thông tin điện tử DânVận từ ngày "
                f"{_dt(c.opens_at)} đến ngày {_dt(c.closes_at)}. {agency.name} báo cáo tổng hợp, "
                "tiếp thu, giải trình ý kiến góp ý như sau:"
            )
        ),
        Block("heading", "I. KẾT QUẢ TIẾP NHẬN Ý KIẾN"),
        Block(
            text=f"Tổng số ý kiến nhận được: {s.total_received}; "
            f"số ý kiến được đăng công khai: {len(s.comments)}."
        ),
    ]
    for code, n in sorted(s.rejected_by_reason.items()):
        body.append(
            Block(
                "bullet",
                f"Không đăng {n} ý kiến, lý do: {policy.reason_label(code)} "
                "(theo quy định kiểm duyệt đã công bố)",
            )
        )
    for label, n in s.by_section:
        body.append(Block("bullet", f"{label}: {n} ý kiến"))
    body.append(
        Block(
            text=(
                f"Kết quả: tiếp thu {s.outcomes.get('accepted', 0)} ý kiến; giải trình "
                f"{s.outcomes.get('explained', 0)} ý kiến; không tiếp thu "
                f"{s.outcomes.get('not_accepted', 0)} ý kiến."
            )
        )
    )
    body.append(Block("heading", "II. NỘI DUNG GÓP Ý VÀ TIẾP THU, GIẢI TRÌNH"))
    rows = []
    for comment in s.comments:
        response = response_of(comment)
        answer = (
            f"{outcome_labels[response.outcome].capitalize()}: {response.text}" if response else ""
        )
        rows.append(
            [
                comment.number,
                comment.section.label if comment.section else "Toàn bộ dự thảo",
                comment.public_author,
                comment.body,
                answer,
            ]
        )
    body.append(
        Block(
            "table",
            headers=[
                "STT",
                "Điều, mục",
                "Cơ quan, tổ chức, cá nhân góp ý",
                "Nội dung góp ý",
                "Tiếp thu, giải trình",
            ],
            rows=rows,
        )
    )
    body.append(Block("heading", "III. ĐỀ XUẤT"))
    body.append(
        Block(
            text=(
                f"{agency.name} đã hoàn chỉnh dự thảo trên cơ sở các ý kiến được tiếp thu và công bố "
                "công khai báo cáo này cùng văn bản hoàn chỉnh trên Cổng thông tin điện tử DânVận."
            )
        )
    )
    parent = agency.parent.name if agency.parent_id and agency.parent else ""
    return OfficialDocument(
        agency=agency.name,
        parent_agency=parent,
        symbol=c.report_symbol,
        date_line=date_line(agency.place_name or agency.unit.name, c.report_issued_on),
        title=_("BÁO CÁO"),
        summary=f"Tổng hợp, tiếp thu, giải trình ý kiến góp ý đối với dự thảo {c.title}",
        body=body,
        recipients=["Như trên", f"Lãnh đạo {agency.short_name or agency.name}", "Lưu: VT"],
        signature=Signature(
            position=c.report_signer_position or "THỦ TRƯỞNG CƠ QUAN",
            name=c.report_signer,
        ),
    )
