"""Tables of the petitions app (XLSX). A protected identity is never loaded here: the sender
column shows the masked label."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from danvan.core.calendar import as_local
from danvan.core.documents import Sheet
from danvan.org.models import Agency
from danvan.petitions.models import Petition
from danvan.petitions.selectors import STAT_KEYS, STAT_LABELS, petitioner_label
from danvan.shell.registry import Period

TIMELINESS = {"overdue": "Quá hạn", "late": "Giải quyết quá hạn", "on_time": "Trong hạn", "": ""}


def _d(value: datetime | None) -> str:
    return as_local(value).strftime("%d/%m/%Y") if value else ""


def petitions_sheet(petitions: list[Petition], now: datetime) -> Sheet:
    headers = [
        "Mã đơn",
        "Ngày nhận",
        "Cơ quan",
        "Phân loại",
        "Lần",
        "Người gửi đơn",
        "Số người",
        "Trích yếu",
        "Nhóm vấn đề",
        "Trạng thái",
        "Hạn xử lý",
        "Hạn giải quyết",
        "Ngày giải quyết",
        "Tiến độ",
    ]
    rows: list[list[Any]] = []
    for p in petitions:
        rows.append(
            [
                p.code,
                _d(p.received_at),
                p.agency.name,
                p.get_kind_display(),
                p.round or "",
                petitioner_label(p),
                p.signers_count,
                p.subject,
                ", ".join(t.label for t in p.tags.all()),
                p.get_status_display(),
                _d(p.handling_due_at),
                _d(p.resolution_due_at),
                _d(p.resolved_at),
                TIMELINESS[p.timeliness(now)],
            ]
        )
    return Sheet(title="Đơn thư", headers=headers, rows=rows, caption="Danh sách đơn thư")


def statistics_sheet(
    rows: list[tuple[Agency, dict[str, int]]], total: dict[str, int], period: Period
) -> Sheet:
    headers = ["Cơ quan", *[str(STAT_LABELS[k]) for k in STAT_KEYS]]
    body: list[list[Any]] = [[a.name, *[r.get(k, 0) for k in STAT_KEYS]] for a, r in rows]
    body.append(["Tổng cộng", *[total[k] for k in STAT_KEYS]])
    return Sheet(
        title="Thống kê",
        headers=headers,
        rows=body,
        caption=(
            f"Tiếp công dân, xử lý đơn thư từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y}"
        ),
    )
