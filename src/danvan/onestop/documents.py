"""The forms of Circular 01/2018/TT-VPCP as official documents (Decree 30/2020 layout through
:mod:`danvan.core.documents`): 01 receipt (with the QR code of the public look-up address),
02 supplement request, 03 refusal, 04 apology and new date, 05 control sheet of hand-overs;
form 06, the register of the day, as an XLSX table; the statistics as XLSX."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import segno
from django.utils import timezone

from danvan.core.calendar import TZ
from danvan.core.documents import (
    Block,
    OfficialDocument,
    Sheet,
    Signature,
    render_docx,
    render_html,
    render_pdf,
    render_xlsx,
)
from danvan.core.numbering import date_line
from danvan.onestop.models import (
    Apology,
    Dossier,
    Handover,
    Receipt,
    Refusal,
    Status,
    SupplementRequest,
    Timeliness,
)
from danvan.onestop.selectors import Statistics
from danvan.onestop.services import public_lookup_url
from danvan.org.models import Agency

FORMS = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "04": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "05": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}
TIMELINESS: dict[str, str] = {
    Timeliness.EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.LATE: "Quá hạn",
}


def _t(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(TZ)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def _d(value: datetime | None) -> str:
    return value.astimezone(TZ).strftime("%H:%M %d/%m/%Y") if value else ""


def _place(agency: Agency) -> str:
    return agency.place_name or agency.unit.name


def _parent(agency: Agency) -> str:
    return agency.parent.name if agency.parent_id and agency.parent else ""


def _applicant(dossier: Dossier) -> list[Block]:
    return [
        Block(text=f"Ông/Bà: {dossier.applicant_name}"),
        Block(text=f"Địa chỉ: {dossier.applicant_address}"),
        Block(
            text=f"Số điện thoại: {dossier.applicant_phone}"
            + (f"; Thư điện tử: {dossier.applicant_email}" if dossier.applicant_email else "")
        ),
        Block(text=f"Nội dung yêu cầu giải quyết: {dossier.procedure.name}"),
    ]


# --- form 01 -----------------------------------------------------------------------------------
def receipt_document(dossier: Dossier, receipt: Receipt) -> OfficialDocument:
    agency = dossier.agency
    rows = [
        [i, d.get("name", ""), d.get("originals", 0), d.get("copies", 0)]
        for i, d in enumerate(dossier.documents, start=1)
    ]
    body = [
        Block(text=f"Mã hồ sơ: {dossier.code}"),
        Block(text=f"Bộ phận tiếp nhận và trả kết quả {agency.name} tiếp nhận hồ sơ của:"),
        *_applicant(dossier),
        Block(kind="heading", text="1. Thành phần hồ sơ nộp gồm:"),
        Block(kind="table", headers=["TT", "Tên giấy tờ", "Bản chính", "Bản sao"], rows=rows),
        Block(text="2. Số lượng hồ sơ: 01 bộ."),
        Block(
            text=f"3. Thời gian giải quyết hồ sơ theo quy định: {dossier.procedure.processing_label}."
        ),
        Block(text=f"4. Thời gian nhận hồ sơ: {_t(dossier.accepted_at or dossier.received_at)}."),
        Block(text=f"5. Thời gian trả kết quả giải quyết hồ sơ: {_t(receipt.appointment_at)}."),
        Block(text=f"6. Nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả {agency.name}."),
        Block(
            text="Tra cứu tình trạng hồ sơ: quét mã QR dưới đây, hoặc nhập mã hồ sơ và 4 số "
            "cuối số điện thoại tại trang Tra cứu hồ sơ."
        ),
    ]
    return OfficialDocument(
        agency=agency.name,
        parent_agency=_parent(agency),
        symbol=receipt.symbol,
        date_line=date_line(_place(agency), receipt.issued_at.astimezone(TZ).date()),
        title="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        body=body,
        recipients=["Người nộp hồ sơ", "Lưu: Bộ phận Một cửa"],
        signature=Signature(
            position="NGƯỜI TIẾP NHẬN HỒ SƠ",
            name=receipt.issued_by.get_full_name() if receipt.issued_by else "",
        ),
        meta={"form": "01", "code": dossier.code},
    )


# --- form 02 -----------------------------------------------------------------------------------
def supplement_document(dossier: Dossier, request: SupplementRequest) -> OfficialDocument:
    agency = request.agency
    items = [Block(kind="bullet", text=item) for item in request.items]
    body = [
        Block(text=f"Mã hồ sơ: {dossier.code}"),
        Block(
            text=f"Ngày {dossier.received_at.astimezone(TZ):%d/%m/%Y}, {agency.name} tiếp nhận hồ sơ của:"
        ),
        *_applicant(dossier),
        Block(text="Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:"),
        *items,
    ]
    if request.reason:
        body.append(Block(text=f"Lý do: {request.reason}"))
    body.append(
        Block(
            text="Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ với "
            f"{agency.name}"
            + (f", số điện thoại {agency.phone}" if agency.phone else "")
            + " để được hướng dẫn."
        )
    )
    return OfficialDocument(
        agency=agency.name,
        parent_agency=_parent(agency),
        symbol=dossier.code,
        date_line=date_line(_place(agency), request.issued_at.astimezone(TZ).date()),
        title="PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        body=body,
        recipients=["Người nộp hồ sơ", "Lưu: Bộ phận Một cửa"],
        signature=Signature(
            position="NGƯỜI HƯỚNG DẪN",
            name=request.issued_by.get_full_name() if request.issued_by else "",
        ),
        meta={"form": "02", "code": dossier.code},
    )


# --- form 03 -----------------------------------------------------------------------------------
def refusal_document(dossier: Dossier, refusal: Refusal) -> OfficialDocument:
    agency = dossier.agency
    body = [
        Block(text=f"Mã hồ sơ: {dossier.code}"),
        Block(text=f"{agency.name} tiếp nhận hồ sơ của:"),
        *_applicant(dossier),
        Block(
            text=f"Qua xem xét, {agency.name} thông báo không tiếp nhận, giải quyết hồ sơ này "
            "với lý do cụ thể như sau:"
        ),
        *[
            Block(kind="bullet", text=line.strip())
            for line in refusal.reasons.splitlines()
            if line.strip()
        ],
        Block(text="Xin thông báo để ông/bà được biết và thực hiện."),
    ]
    return OfficialDocument(
        agency=agency.name,
        parent_agency=_parent(agency),
        symbol=dossier.code,
        date_line=date_line(_place(agency), refusal.issued_at.astimezone(TZ).date()),
        title="PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        body=body,
        recipients=["Người nộp hồ sơ", "Lưu: Bộ phận Một cửa"],
        signature=Signature(
            position="NGƯỜI TIẾP NHẬN HỒ SƠ",
            name=refusal.issued_by.get_full_name() if refusal.issued_by else "",
        ),
        meta={"form": "03", "code": dossier.code},
    )


# --- form 04 -----------------------------------------------------------------------------------
def apology_document(dossier: Dossier, apology: Apology) -> OfficialDocument:
    agency = apology.agency
    received = (dossier.accepted_at or dossier.received_at).astimezone(TZ)
    body = [
        Block(
            text=f"Ngày {received:%d/%m/%Y}, {dossier.agency.name} tiếp nhận giải quyết hồ sơ của "
            f"ông/bà {dossier.applicant_name}, địa chỉ {dossier.applicant_address}."
        ),
        Block(text=f"Mã hồ sơ: {dossier.code}."),
        Block(text=f"Nội dung yêu cầu giải quyết: {dossier.procedure.name}."),
        Block(text=f"Ngày hẹn trả kết quả: {_t(apology.previous_due_at)}."),
        Block(
            text=f"Tuy nhiên đến nay, {agency.name} chưa trả kết quả giải quyết hồ sơ của ông/bà. "
            f"Lý do: {apology.reason}"
        ),
        Block(
            text=f"Sự chậm trễ này đã gây phiền hà cho ông/bà. {agency.name} xin lỗi ông/bà và "
            "sự bất tiện này."
        ),
        Block(
            text=f"{agency.name} sẽ trả kết quả giải quyết hồ sơ cho ông/bà vào {_t(apology.new_due_at)}."
        ),
        Block(text="Xin trân trọng cảm ơn."),
    ]
    return OfficialDocument(
        agency=agency.name,
        parent_agency=_parent(agency),
        symbol=apology.symbol,
        date_line=date_line(_place(agency), apology.issued_at.astimezone(TZ).date()),
        title="PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        body=body,
        recipients=[f"Ông/Bà {dossier.applicant_name}", "Bộ phận Một cửa", "Lưu: VT"],
        signature=Signature(
            position="THỦ TRƯỞNG CƠ QUAN",
            name=apology.issued_by.get_full_name() if apology.issued_by else "",
        ),
        meta={"form": "04", "code": dossier.code},
    )


# --- form 05 -----------------------------------------------------------------------------------
def control_sheet_document(dossier: Dossier, handovers: Sequence[Handover]) -> OfficialDocument:
    agency = dossier.agency
    rows: list[list[Any]] = []
    for h in handovers:
        rows.append(
            [
                h.step,
                f"{h.from_agency.name}"
                + (f" — {h.from_user.get_full_name()}" if h.from_user else ""),
                f"{h.to_agency.name}" + (f" — {h.to_user.get_full_name()}" if h.to_user else ""),
                _d(h.handed_at),
                _d(h.due_at),
                _d(h.done_at),
                TIMELINESS.get(h.timeliness, "") if h.timeliness else "Đang xử lý",
                h.note,
            ]
        )
    body = [
        Block(text=f"Mã hồ sơ: {dossier.code}"),
        Block(text=f"Người nộp: {dossier.applicant_name}; thủ tục: {dossier.procedure.name}"),
        Block(
            text=f"Ngày nhận: {_d(dossier.accepted_at or dossier.received_at)}; hạn giải quyết: "
            f"{_d(dossier.due_at)}; hẹn trả kết quả: {_d(dossier.appointment_at)}."
        ),
        Block(
            kind="table",
            headers=[
                "Nội dung",
                "Bên giao",
                "Bên nhận",
                "Thời gian giao, nhận",
                "Hạn xử lý",
                "Hoàn thành",
                "Kết quả",
                "Ghi chú",
            ],
            rows=rows,
        ),
    ]
    return OfficialDocument(
        agency=agency.name,
        parent_agency=_parent(agency),
        symbol=dossier.code,
        date_line=date_line(_place(agency), timezone.localdate()),
        title="PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        body=body,
        meta={"form": "05", "code": dossier.code},
    )


# --- QR code and rendering ---------------------------------------------------------------------
def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error="m")


def qr_data_uri(url: str) -> str:
    return str(qr_code(url).svg_data_uri(scale=4, border=2))


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def with_qr_docx(content: bytes, url: str) -> bytes:
    """Append the QR code of the look-up address (and the address) to a DOCX."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document(io.BytesIO(content))
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    p.add_run().add_picture(io.BytesIO(qr_png(url)), width=Mm(28))
    caption = document.add_paragraph()
    run = caption.add_run(f"Tra cứu hồ sơ: {url}")
    run.font.size = Pt(10)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_qr_pdf(doc: OfficialDocument, url: str) -> bytes:
    from weasyprint import HTML

    png = base64.b64encode(qr_png(url)).decode("ascii")
    qr_html = (
        '<div style="margin-top:8pt;font-size:10pt">'
        f'<img alt="Mã QR tra cứu hồ sơ" src="data:image/png;base64,{png}" '
        'style="width:28mm;height:28mm"><br>'
        f"Tra cứu hồ sơ: {url}</div>"
    )
    html = render_html(doc).replace("</body>", f"{qr_html}</body>")
    return bytes(HTML(string=html).write_pdf())


def render(doc: OfficialDocument, fmt: str, qr_url: str | None = None) -> bytes:
    if fmt == "docx":
        content = render_docx(doc)
        return with_qr_docx(content, qr_url) if qr_url else content
    if fmt == "pdf":
        return with_qr_pdf(doc, qr_url) if qr_url else bytes(render_pdf(doc))
    raise ValueError(fmt)


def form_document(dossier: Dossier, form: str) -> tuple[OfficialDocument, str | None] | None:
    """The document of form ``form`` for ``dossier`` (and the QR address for a receipt), or None
    when the dossier has no such form."""
    if form == "01":
        receipt = dossier.receipts.select_related("issued_by").order_by("-issued_at", "-pk").first()
        if receipt is None:
            return None
        return receipt_document(dossier, receipt), public_lookup_url(dossier)
    if form == "02":
        request = (
            dossier.supplements.select_related("issued_by", "agency__parent", "agency__unit")
            .order_by("-issued_at", "-pk")
            .first()
        )
        return (supplement_document(dossier, request), None) if request else None
    if form == "03":
        refusal = Refusal.objects.filter(dossier=dossier).select_related("issued_by").first()
        return (refusal_document(dossier, refusal), None) if refusal else None
    if form == "04":
        apology = (
            Apology.objects.filter(dossier=dossier)
            .select_related("issued_by", "agency__parent", "agency__unit")
            .first()
        )
        return (apology_document(dossier, apology), None) if apology else None
    if form == "05":
        handovers = list(
            dossier.handovers.select_related("from_agency", "to_agency", "from_user", "to_user")
        )
        return control_sheet_document(dossier, handovers), None
    return None


def available_forms(dossier: Dossier) -> list[tuple[str, str]]:
    """The forms this dossier has, as (number, title)."""
    out = []
    if dossier.receipts.exists():
        out.append(("01", FORMS["01"]))
    if dossier.supplements.exists():
        out.append(("02", FORMS["02"]))
    if dossier.status == Status.NOT_RECEIVED:
        out.append(("03", FORMS["03"]))
    if dossier.apology_count:
        out.append(("04", FORMS["04"]))
    out.append(("05", FORMS["05"]))
    return out


# --- XLSX --------------------------------------------------------------------------------------
def register_sheet(day: date, dossiers: Sequence[Dossier]) -> Sheet:
    """Form 06: the register of dossiers received on ``day``."""
    rows = []
    for i, d in enumerate(dossiers, start=1):
        rows.append(
            [
                i,
                d.code,
                d.procedure.name,
                1,
                d.applicant_name,
                f"{d.applicant_address}; {d.applicant_phone}",
                (d.handling_agency or d.agency).name,
                _d(d.received_at),
                _d(d.appointment_at),
                _d(d.forwarded_at),
                _d(d.resolved_at),
                _d(d.returned_at),
                d.get_status_display(),
            ]
        )
    return Sheet(
        title=f"So theo doi {day:%d-%m-%Y}",
        caption=f"SỔ THEO DÕI HỒ SƠ — ngày {day:%d/%m/%Y}",
        headers=[
            "STT",
            "Mã hồ sơ",
            "Tên thủ tục hành chính",
            "Số lượng hồ sơ (bộ)",
            "Tên cá nhân, tổ chức",
            "Địa chỉ, số điện thoại",
            "Cơ quan chủ trì giải quyết",
            "Nhận hồ sơ",
            "Hẹn trả kết quả",
            "Chuyển hồ sơ đến cơ quan giải quyết",
            "Nhận kết quả từ cơ quan giải quyết",
            "Trả kết quả cho cá nhân, tổ chức",
            "Ghi chú (trạng thái)",
        ],
        rows=rows,
    )


STAT_HEADERS = [
    "Đơn vị / lĩnh vực",
    "Tiếp nhận tại quầy",
    "Tiếp nhận trực tuyến",
    "Tiếp nhận qua bưu chính",
    "Tổng tiếp nhận",
    "Giải quyết trước hạn",
    "Giải quyết đúng hạn",
    "Giải quyết quá hạn",
    "Tỷ lệ đúng hạn (%)",
    "Đang giải quyết trong hạn",
    "Đang giải quyết quá hạn",
    "Đã trả kết quả",
    "Rút hồ sơ",
    "Từ chối tiếp nhận",
]


def statistics_sheet(stats: Statistics) -> Sheet:
    def line(r: Any) -> list[Any]:
        rate = r.on_time_rate
        return [
            r.label,
            r.received_counter,
            r.received_online,
            r.received_post,
            r.received,
            r.resolved_early,
            r.resolved_on_time,
            r.resolved_late,
            float(rate) if rate is not None else None,
            r.pending_within,
            r.pending_overdue,
            r.returned,
            r.withdrawn,
            r.refused,
        ]

    return Sheet(
        title="Thong ke Mot cua",
        caption=(
            f"THỐNG KÊ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH từ {stats.start:%d/%m/%Y} đến "
            f"{stats.end:%d/%m/%Y} (hồ sơ quá hạn trong hôm nay: {stats.overdue_today})"
        ),
        headers=STAT_HEADERS,
        rows=[line(r) for r in stats.rows] + [line(stats.total)],
    )


def xlsx(sheets: Sequence[Sheet]) -> bytes:
    return render_xlsx(sheets)
