"""XLSX export of a campaign: the indices (per agency, per element, per question) and the
anonymised raw answers. Numbers come from :func:`selectors.satisfaction_indices` only."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from danvan.core.documents import Sheet, render_xlsx
from danvan.surveys.models import Campaign
from danvan.surveys.selectors import SatisfactionIndex, raw_answers, satisfaction_indices
from danvan.surveys.sipas import SIPAS_ELEMENTS


def _num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def index_rows(rows: list[SatisfactionIndex]) -> list[list[Any]]:
    out = []
    for r in rows:
        out.append(
            [
                r.agency_name or _("Toàn bộ"),
                r.field or "",
                r.responses,
                r.target,
                _num(r.overall),
                *[_num(e.index) if e else None for e in r.sipas_elements],
                _("Chưa đạt cỡ mẫu (thiếu {n} phiếu)").format(n=r.shortfall)
                if r.below_target
                else "",
            ]
        )
    return out


def campaign_workbook(campaign: Campaign, *, agency_ids: Collection[int] | None) -> bytes:
    by_agency = satisfaction_indices(agency_ids=agency_ids, campaign_id=campaign.pk)
    pooled = satisfaction_indices(agency_ids=agency_ids, campaign_id=campaign.pk, by_agency=False)
    by_field = satisfaction_indices(agency_ids=agency_ids, campaign_id=campaign.pk, by_field=True)
    element_headers = [str(e.label) for e in SIPAS_ELEMENTS]
    headers = [
        _("Cơ quan"),
        _("Lĩnh vực"),
        _("Số phiếu hợp lệ"),
        _("Cỡ mẫu cần đạt"),
        _("Chỉ số hài lòng chung (%)"),
        *[f"{h} (%)" for h in element_headers],
        _("Ghi chú"),
    ]
    caption = _("{title} ({start} – {end})").format(
        title=campaign.title,
        start=campaign.starts_on.strftime("%d/%m/%Y"),
        end=campaign.ends_on.strftime("%d/%m/%Y"),
    )
    question_rows: list[list[Any]] = []
    for r in [*by_agency, *pooled]:
        for e in r.elements:
            for q in e.questions:
                question_rows.append(
                    [
                        r.agency_name or _("Toàn bộ"),
                        e.label,
                        q.code,
                        q.text,
                        q.answered,
                        q.satisfied,
                        q.not_applicable,
                        *q.distribution,
                        _num(q.index),
                    ]
                )
    questions, raw = raw_answers(campaign=campaign, agency_ids=agency_ids)
    raw_rows = [
        [
            i,
            row["agency"],
            row["channel"],
            row["answered_on"].strftime("%d/%m/%Y"),
            row["field"],
            *[row["answers"].get(q.code) for q in questions],
        ]
        for i, row in enumerate(raw, start=1)
    ]
    return render_xlsx(
        [
            Sheet(
                title=_("Chỉ số"),
                caption=caption,
                headers=headers,
                rows=index_rows(by_agency) + index_rows(pooled),
            ),
            Sheet(
                title=_("Theo câu hỏi"),
                caption=caption,
                headers=[
                    _("Cơ quan"),
                    _("Yếu tố"),
                    _("Mã câu hỏi"),
                    _("Câu hỏi"),
                    _("Số trả lời theo thang"),
                    _("Hài lòng và rất hài lòng"),
                    _("Không áp dụng"),
                    "1",
                    "2",
                    "3",
                    "4",
                    "5",
                    _("Chỉ số (%)"),
                ],
                rows=question_rows,
            ),
            Sheet(
                title=_("Theo lĩnh vực"),
                caption=caption,
                headers=headers,
                rows=index_rows(by_field),
            ),
            Sheet(
                title=_("Phiếu (ẩn danh)"),
                caption=_(
                    "Dữ liệu thô đã ẩn danh: không có thông tin liên hệ, người nhập hay địa chỉ "
                    "mạng. Thang 1–5: 1 rất không hài lòng … 5 rất hài lòng."
                ),
                headers=[
                    _("STT"),
                    _("Cơ quan"),
                    _("Kênh"),
                    _("Ngày trả lời"),
                    _("Lĩnh vực"),
                    *[q.code for q in questions],
                ],
                rows=raw_rows,
            ),
        ]
    )
