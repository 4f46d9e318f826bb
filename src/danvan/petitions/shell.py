"""The petitions app's entries in the shell: menus, the deadlines widget, report indicators,
the export, the search kind and the demo data."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from danvan.core import search
from danvan.petitions.demo import demo_accounts, load_petitions_demo
from danvan.petitions.selectors import (
    STAT_LABELS,
    open_counts_for,
    statistics,
    statistics_by_agency,
)
from danvan.petitions.services import SEARCH_KIND
from danvan.shell.registry import (
    DashboardWidget,
    DemoLoader,
    Export,
    Indicator,
    MenuItem,
    Period,
    demo_loaders,
    exports,
    indicators,
    menu,
    widgets,
)

search.register(SEARCH_KIND, "Đơn thư")


def _can(perm: str) -> Any:
    return lambda r: r.user.has_perm(perm)


def _settings_visible(request: HttpRequest) -> bool:
    official = getattr(request, "official", None)
    return official is not None and request.user.has_perm(
        "petitions.change_petitionsettings", official.agency
    )


menu.register(
    MenuItem(
        "petitions.list",
        weight=300,
        label=_("Tiếp công dân, đơn thư"),
        url_name="petitions:list",
        is_visible=_can("petitions.view_register"),
    )
)
menu.register(
    MenuItem(
        "petitions.statistics",
        weight=310,
        label=_("Thống kê đơn thư"),
        url_name="petitions:statistics",
        is_visible=lambda r: (
            r.user.has_perm("petitions.view_statistics")
            and not r.user.has_perm("petitions.view_register")
        ),
    )
)
menu.register(
    MenuItem(
        "petitions.settings",
        weight=890,
        label=_("Thiết lập tiếp công dân"),
        url_name="petitions:settings",
        is_visible=_settings_visible,
    )
)
menu.register(
    MenuItem(
        "petitions.public_schedule",
        weight=300,
        label=_("Lịch tiếp công dân"),
        url_name="petitions-public:schedule",
        area="public",
    )
)
menu.register(
    MenuItem(
        "petitions.submit",
        weight=310,
        label=_("Gửi đơn khiếu nại, kiến nghị"),
        url_name="petitions-public:submit",
        area="public",
    )
)
menu.register(
    MenuItem(
        "petitions.track",
        weight=320,
        label=_("Tra cứu đơn"),
        url_name="petitions-public:track",
        area="public",
    )
)

widgets.register(
    DashboardWidget(
        "petitions.deadlines",
        weight=300,
        title=_("Đơn thư: thời hạn"),
        template="petitions/widget.html",
        get_context=lambda r: open_counts_for(r.user),
        is_visible=_can("petitions.view_overdue"),
    )
)

exports.register(
    Export(
        "petitions.list",
        weight=300,
        label=_("Danh sách đơn thư (đã che thông tin người tố cáo)"),
        url_name="petitions:export",
        formats=("xlsx",),
        is_visible=_can("petitions.export_petitions"),
    )
)

INDICATORS = [
    ("visits", "Lượt tiếp công dân"),
    ("visitors", "Số người được tiếp"),
    ("mass_visits", "Lượt tiếp đoàn đông người"),
    ("received", "Số đơn nhận"),
    ("complaint", "Số đơn khiếu nại"),
    ("denunciation", "Số đơn tố cáo"),
    ("recommendation", "Số đơn kiến nghị"),
    ("report", "Số đơn phản ánh"),
    ("mixed", "Số đơn nhiều nội dung"),
    ("mass_cases", "Số đơn đông người"),
    ("accepted", "Số đơn thụ lý"),
    ("transferred", "Số đơn chuyển"),
    ("guided", "Số đơn hướng dẫn"),
    ("stored", "Số đơn lưu"),
    ("resolved_on_time", "Số vụ việc giải quyết đúng hạn"),
    ("resolved_late", "Số vụ việc giải quyết quá hạn"),
    ("long_running", "Số vụ việc tồn đọng, kéo dài"),
]


def _compute(key: str) -> Any:
    def compute(agency_ids: list[int], period: Period) -> int:
        return statistics(agency_ids, period)[key]

    return compute


def _compute_by_agency(key: str) -> Any:
    def compute(agency_ids: list[int], period: Period) -> dict[int, int]:
        return {a: figures[key] for a, figures in statistics_by_agency(agency_ids, period).items()}

    return compute


for i, (key, label) in enumerate(INDICATORS):
    indicators.register(
        Indicator(
            f"petitions.{key}",
            weight=300 + i,
            label=label,
            unit="count",
            aggregation="sum",
            description=str(STAT_LABELS[key]),
            compute=_compute(key),
            compute_by_agency=_compute_by_agency(key),
        )
    )

demo_loaders.register(
    DemoLoader("petitions", weight=50, load=load_petitions_demo, accounts=demo_accounts)
)
