"""The first official document: the list of agencies and their mobilisation leads (plan II.3)."""

from __future__ import annotations

from datetime import date

from danvan.core.documents import Block, OfficialDocument, Sheet, Signature
from danvan.core.numbering import date_line
from danvan.org.models import Agency

HEADERS = ["STT", "Cơ quan, đơn vị", "Địa bàn", "Lãnh đạo phụ trách công tác dân vận", "Chức vụ"]


def _rows(agencies: list[Agency]) -> list[list[object]]:
    rows: list[list[object]] = []
    for i, a in enumerate(agencies, start=1):
        lead = a.mobilisation_lead
        rows.append(
            [
                i,
                a.name,
                a.unit.name,
                lead.user.get_full_name() if lead else "Chưa phân công",
                lead.position if lead else "",
            ]
        )
    return rows


def leads_document(
    *, issuer: Agency, agencies: list[Agency], symbol: str, on: date
) -> OfficialDocument:
    named = sum(1 for a in agencies if a.mobilisation_lead_id)
    parent = issuer.parent.name if issuer.parent else ""
    return OfficialDocument(
        parent_agency=parent,
        agency=issuer.name,
        symbol=symbol,
        date_line=date_line(issuer.place_name or issuer.unit.name, on),
        title="BÁO CÁO",
        summary="Danh sách lãnh đạo phụ trách công tác dân vận của các cơ quan, đơn vị",
        body=[
            Block(
                "paragraph",
                (
                    "Thực hiện Kế hoạch số 5793/KH-UBND ngày 26/11/2013 của Ủy ban nhân dân tỉnh về "
                    "tăng cường công tác dân vận chính quyền (mục II.3: mỗi cơ quan phân công một "
                    "đồng chí lãnh đạo phụ trách công tác dân vận), "
                    f"{issuer.name} tổng hợp danh sách như sau:"
                ),
            ),
            Block("table", headers=HEADERS, rows=_rows(agencies)),
            Block(
                "paragraph",
                (
                    f"Tổng số {len(agencies)} cơ quan, đơn vị; đã phân công {named}; "
                    f"chưa phân công {len(agencies) - named}."
                ),
            ),
        ],
        recipients=["Ủy ban nhân dân tỉnh (để báo cáo)", "Sở Nội vụ (để tổng hợp)", "Lưu: VT"],
        signature=Signature(position="Thủ trưởng cơ quan", prefix=""),
    )


def leads_sheet(agencies: list[Agency]) -> Sheet:
    return Sheet(
        title="Lãnh đạo phụ trách dân vận",
        headers=HEADERS,
        rows=_rows(agencies),
        caption="Danh sách lãnh đạo phụ trách công tác dân vận",
    )
