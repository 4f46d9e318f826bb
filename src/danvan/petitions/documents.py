"""The documents of petition handling in the national format (Decree 30/2020): acceptance notice,
transfer slip, guidance letter, extension notice, decision on a complaint, conclusion on a
denunciation, answer — and the redacted copy of a file for whoever verifies its content.

Documents are rendered on demand from the petition and the stored number. ``identity`` is the
sender's identity when the reader may see it; ``None`` puts the masked label in its place. A
denunciation's conclusion never names the denouncer (it is published).
"""

from __future__ import annotations

from datetime import date, datetime

from danvan.core.calendar import as_local
from danvan.core.documents import Block, OfficialDocument, Signature
from danvan.core.numbering import date_line
from danvan.org.models import Agency, AgencyKind
from danvan.petitions.identity import MASKED_LABEL, Identity
from danvan.petitions.models import (
    DocKind,
    Outcome,
    Petition,
    PetitionDocument,
    PetitionKind,
)

LAWS = {
    PetitionKind.COMPLAINT: "Luật Khiếu nại ngày 11 tháng 11 năm 2011",
    PetitionKind.DENUNCIATION: "Luật Tố cáo ngày 12 tháng 6 năm 2018",
    PetitionKind.RECOMMENDATION: "Luật Tiếp công dân ngày 25 tháng 11 năm 2013",
    PetitionKind.REPORT: "Luật Tiếp công dân ngày 25 tháng 11 năm 2013",
    PetitionKind.MIXED: "Luật Tiếp công dân ngày 25 tháng 11 năm 2013",
}
KIND_WORDS = {
    PetitionKind.COMPLAINT: "khiếu nại",
    PetitionKind.DENUNCIATION: "tố cáo",
    PetitionKind.RECOMMENDATION: "kiến nghị",
    PetitionKind.REPORT: "phản ánh",
    PetitionKind.MIXED: "khiếu nại, tố cáo, kiến nghị, phản ánh",
}
SECRECY_NOTE = (
    "Đề nghị giữ bí mật họ tên, địa chỉ, bút tích và các thông tin cá nhân khác của người tố "
    "cáo theo quy định tại Điều 9 và Điều 47 Luật Tố cáo."
)


def _d(value: date | datetime | None) -> str:
    if value is None:
        return "…"
    if isinstance(value, datetime):
        value = as_local(value).date()
    return value.strftime("%d/%m/%Y")


def _dt(value: str | None) -> str:
    return _d(datetime.fromisoformat(value)) if value else "…"


def signature_for(agency: Agency) -> Signature:
    if agency.kind == AgencyKind.PEOPLES_COMMITTEE:
        return Signature(prefix="TM. ỦY BAN NHÂN DÂN", position="CHỦ TỊCH")
    if agency.kind == AgencyKind.INSPECTORATE:
        return Signature(position="CHÁNH THANH TRA")
    return Signature(position="THỦ TRƯỞNG CƠ QUAN")


def _who(petition: Petition, identity: Identity | None) -> tuple[str, str]:
    """The sender's name and address as the reader may see them."""
    if petition.is_anonymous:
        return "Người gửi đơn không ghi họ tên", ""
    if identity is None or (petition.protected and identity.is_empty):
        if petition.protected and petition.sealed_ref and identity is not None:
            return f"Người tố cáo (hồ sơ niêm phong số {petition.sealed_ref})", ""
        return str(MASKED_LABEL), ""
    return identity.name or "…", identity.address


def _frame(
    petition: Petition,
    doc: PetitionDocument,
    title: str,
    summary: str,
    body: list[Block],
    recipients: list[str],
) -> OfficialDocument:
    agency = petition.agency
    return OfficialDocument(
        parent_agency=agency.parent.name if agency.parent else "",
        agency=agency.name,
        symbol=doc.symbol,
        date_line=date_line(agency.place_name or agency.unit.name, doc.issued_on),
        title=title,
        summary=summary,
        body=body,
        recipients=recipients,
        signature=signature_for(agency),
        meta={"petition": petition.code, "kind": doc.kind},
    )


def document_for(doc: PetitionDocument, identity: Identity | None) -> OfficialDocument:
    petition = doc.petition
    kind = PetitionKind(petition.kind)
    word = KIND_WORDS[kind]
    name, address = _who(petition, identity)
    received = _d(petition.received_at)
    to_sender = [f"Kính gửi: {name}" + (f", địa chỉ: {address}" if address else "") + "."]
    data = doc.data or {}
    if doc.kind == DocKind.ACCEPTANCE_NOTICE:
        body = [
            Block("paragraph", to_sender[0]),
            Block(
                "paragraph",
                f"Ngày {received}, {petition.agency.name} nhận được đơn {word} (mã đơn "
                f"{petition.code}) của {name} về việc: {petition.subject}.",
            ),
            Block(
                "paragraph",
                f"Căn cứ {LAWS[kind]}, xét thấy đơn đủ điều kiện thụ lý, {petition.agency.name} "
                f"thông báo đã thụ lý giải quyết đơn {word} từ ngày {_d(petition.accepted_at)}.",
            ),
            Block(
                "paragraph",
                f"Thời hạn giải quyết: đến ngày {_dt(data.get('due'))} "
                f"({data.get('basis', petition.resolution_basis)}).",
            ),
        ]
        if petition.protected:
            body.append(Block("paragraph", SECRECY_NOTE))
        return _frame(
            petition,
            doc,
            "THÔNG BÁO",
            f"Về việc thụ lý giải quyết đơn {word}",
            body,
            [name if identity is not None else "Người gửi đơn", "Lưu: VT, hồ sơ"],
        )
    if doc.kind == DocKind.TRANSFER_SLIP:
        to = data.get("to") or petition.transferred_to_name
        body = [
            Block("paragraph", f"Kính gửi: {to}."),
            Block(
                "paragraph",
                f"Ngày {received}, {petition.agency.name} nhận được đơn {word} (mã đơn "
                f"{petition.code}, {petition.signers_count} người đứng tên) của {name}"
                + (f", địa chỉ: {address}" if address else "")
                + f", nội dung: {petition.subject}.",
            ),
            Block(
                "paragraph",
                f"Căn cứ {LAWS[kind]} và Thông tư số 05/2021/TT-TTCP, nội dung đơn không thuộc "
                f"thẩm quyền giải quyết của {petition.agency.name}. {petition.agency.name} chuyển "
                f"đơn đến {to} để xem xét, giải quyết theo thẩm quyền.",
            ),
        ]
        if petition.protected:
            body.append(Block("paragraph", SECRECY_NOTE))
        recipients = [str(to)]
        if not petition.protected:
            recipients.append(f"{name} (để biết)")
        recipients.append("Lưu: VT, hồ sơ")
        return _frame(petition, doc, "PHIẾU CHUYỂN ĐƠN", "", body, recipients)
    if doc.kind == DocKind.GUIDANCE_LETTER:
        to = data.get("to") or petition.guided_to
        body = [
            Block("paragraph", to_sender[0]),
            Block(
                "paragraph",
                f"Ngày {received}, {petition.agency.name} nhận được đơn {word} (mã đơn "
                f"{petition.code}) của ông/bà về việc: {petition.subject}.",
            ),
            Block(
                "paragraph",
                f"Căn cứ {LAWS[kind]}, nội dung đơn không thuộc thẩm quyền giải quyết của "
                f"{petition.agency.name}. Đề nghị ông/bà gửi đơn đến {to} để được xem xét, giải "
                "quyết theo quy định của pháp luật.",
            ),
        ]
        return _frame(
            petition,
            doc,
            "",
            f"V/v hướng dẫn gửi đơn {word} đến cơ quan có thẩm quyền",
            body,
            [name, "Lưu: VT, hồ sơ"],
        )
    if doc.kind == DocKind.EXTENSION_NOTICE:
        body = [
            Block("paragraph", to_sender[0]),
            Block(
                "paragraph",
                f"Ngày {_d(petition.accepted_at)}, {petition.agency.name} đã thụ lý giải quyết "
                f"tố cáo (mã đơn {petition.code}). Do vụ việc {petition.get_complexity_display().lower()}, "
                f"căn cứ Điều 30 Luật Tố cáo, {petition.agency.name} gia hạn giải quyết tố cáo "
                f"lần {data.get('number', 1)}.",
            ),
            Block("paragraph", f"Lý do gia hạn: {data.get('reason', '')}"),
            Block(
                "paragraph",
                f"Thời hạn giải quyết được gia hạn từ ngày {_dt(data.get('old_due'))} đến ngày "
                f"{_dt(data.get('new_due'))}.",
            ),
            Block("paragraph", SECRECY_NOTE),
        ]
        return _frame(
            petition,
            doc,
            "THÔNG BÁO",
            "Về việc gia hạn giải quyết tố cáo",
            body,
            [name if identity is not None else "Người tố cáo", "Lưu: VT, hồ sơ"],
        )
    if doc.kind == DocKind.COMPLAINT_DECISION:
        round_word = "lần hai" if petition.round == 2 else "lần đầu"
        outcome = Outcome(data.get("outcome") or petition.outcome or Outcome.ANSWERED)
        body = [
            Block("paragraph", f"Căn cứ {LAWS[kind]};"),
            Block(
                "paragraph",
                "Căn cứ Nghị định số 124/2020/NĐ-CP ngày 19 tháng 10 năm 2020 của Chính phủ;",
            ),
            Block(
                "paragraph",
                f"Xét đơn khiếu nại ngày {received} của {name}"
                + (f", địa chỉ: {address}" if address else "")
                + f" (mã đơn {petition.code}), khiếu nại {petition.decision_complained or petition.subject};",
            ),
            Block(
                "paragraph",
                f"Kết quả xác minh và đối thoại: {data.get('summary', petition.resolution_summary)}",
            ),
            Block("heading", "QUYẾT ĐỊNH:"),
            Block(
                "paragraph",
                f"Điều 1. Kết luận nội dung khiếu nại là {outcome.label.lower()}.",
            ),
        ]
        if petition.round == 2:
            body.append(
                Block(
                    "paragraph",
                    "Điều 2. Trường hợp không đồng ý với quyết định này, người khiếu nại có quyền "
                    "khởi kiện vụ án hành chính tại Tòa án theo quy định của Luật Tố tụng hành chính.",
                )
            )
        else:
            days = "45 ngày" if petition.is_remote else "30 ngày"
            body.append(
                Block(
                    "paragraph",
                    f"Điều 2. Trong thời hạn {days} kể từ ngày nhận được quyết định này, nếu không "
                    "đồng ý, người khiếu nại có quyền khiếu nại lần hai đến cơ quan cấp trên hoặc "
                    "khởi kiện vụ án hành chính tại Tòa án.",
                )
            )
        body.append(
            Block(
                "paragraph",
                f"Điều 3. Quyết định này có hiệu lực pháp luật từ ngày {_d(petition.legal_effect_date)}.",
            )
        )
        return _frame(
            petition,
            doc,
            "QUYẾT ĐỊNH",
            f"Về việc giải quyết khiếu nại {round_word} của {name}",
            body,
            [
                name,
                "Cơ quan cấp trên (để báo cáo)",
                "Thanh tra tỉnh (để theo dõi)",
                "Lưu: VT, hồ sơ",
            ],
        )
    if doc.kind == DocKind.DENUNCIATION_CONCLUSION:
        outcome = Outcome(data.get("outcome") or petition.outcome or Outcome.ANSWERED)
        body = [
            Block(
                "paragraph",
                f"Ngày {_d(petition.accepted_at)}, {petition.agency.name} thụ lý giải quyết tố cáo "
                f"(mã đơn {petition.code}) về việc: {petition.subject}.",
            ),
            Block(
                "paragraph", f"Kết quả xác minh: {data.get('summary', petition.resolution_summary)}"
            ),
            Block("heading", "KẾT LUẬN:"),
            Block("paragraph", f"Nội dung tố cáo là {outcome.label.lower()}."),
            Block(
                "paragraph",
                "Kết luận này được công khai theo Điều 40 Luật Tố cáo; không công khai thông tin "
                "về người tố cáo.",
            ),
        ]
        return _frame(
            petition,
            doc,
            "KẾT LUẬN",
            "Nội dung tố cáo",
            body,
            ["Người bị tố cáo", "Người tố cáo (gửi bảo đảm bí mật)", "Lưu: VT, hồ sơ"],
        )
    # answer to a recommendation, report or mixed petition
    body = [
        Block("paragraph", to_sender[0]),
        Block(
            "paragraph",
            f"Ngày {received}, {petition.agency.name} nhận được đơn {word} (mã đơn "
            f"{petition.code}) về việc: {petition.subject}.",
        ),
        Block(
            "paragraph",
            f"Sau khi xem xét, {petition.agency.name} trả lời như sau: {data.get('summary', petition.resolution_summary)}",
        ),
    ]
    return _frame(petition, doc, "", f"V/v trả lời đơn {word}", body, [name, "Lưu: VT, hồ sơ"])


def redacted_copy(
    petition: Petition, events: list[tuple[str, str, str]], on: date
) -> OfficialDocument:
    """The file as whoever verifies the content may read it (Law on Denunciations art. 56):
    everything but the denouncer's identity, which is never loaded here."""
    agency = petition.agency
    rows: list[list[object]] = [
        ["Mã đơn", petition.code],
        ["Phân loại", petition.get_kind_display()],
        ["Ngày nhận", _d(petition.received_at)],
        ["Người gửi đơn", str(MASKED_LABEL) if petition.protected else petition.petitioner_name],
        ["Số người đứng tên", petition.signers_count],
        ["Trích yếu", petition.subject],
        ["Ngày thụ lý", _d(petition.accepted_at)],
        ["Hạn giải quyết", _d(petition.resolution_due_at)],
    ]
    body = [
        Block("table", headers=["Thông tin", "Nội dung"], rows=rows),
        Block("heading", "Nội dung đơn"),
        *[Block("paragraph", para) for para in petition.content.split("\n") if para.strip()],
    ]
    if events:
        body.append(Block("heading", "Quá trình xử lý"))
        body.append(
            Block("table", headers=["Ngày", "Bước", "Ghi chú"], rows=[list(e) for e in events])
        )
    return OfficialDocument(
        parent_agency=agency.parent.name if agency.parent else "",
        agency=agency.name,
        symbol=petition.code,
        date_line=date_line(agency.place_name or agency.unit.name, on),
        title="BẢN SAO HỒ SƠ",
        summary="Đã loại bỏ thông tin về người tố cáo (dùng cho người xác minh)",
        body=body,
        recipients=["Người được giao xác minh", "Lưu: hồ sơ"],
        signature=None,
    )
