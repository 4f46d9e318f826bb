"""The one-stop shop's entries in the shell: menus, the dashboard widget, report indicators,
exports and demo data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

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


def _is_official(request: HttpRequest) -> bool:
    return bool(request.user.has_perm("onestop.list_dossier"))


menu.register(
    MenuItem(
        "onestop.catalogue",
        weight=100,
        label=_("Thủ tục hành chính"),
        url_name="onestop-public:catalogue",
        area="public",
    )
)
menu.register(
    MenuItem(
        "onestop.lookup",
        weight=110,
        label=_("Tra cứu hồ sơ"),
        url_name="onestop-public:lookup",
        area="public",
    )
)
menu.register(
    MenuItem(
        "onestop.dossiers",
        weight=100,
        label=_("Một cửa"),
        url_name="onestop:dossier-list",
        is_visible=_is_official,
    )
)


def _widget_context(request: HttpRequest) -> dict[str, Any]:
    from danvan.onestop.selectors import dossier_counts_for

    return {"counts": dossier_counts_for(request.user)}


widgets.register(
    DashboardWidget(
        "onestop.dossiers",
        weight=100,
        title=_("Hồ sơ Một cửa"),
        template="onestop/widget.html",
        get_context=_widget_context,
        is_visible=_is_official,
    )
)


# --- report indicators (the periodic reports draw on these) -----------------------------------
def _stats(agency_ids: list[int], period: Period, group_by: str = "agency") -> Any:
    from danvan.onestop.selectors import statistics

    return statistics(
        user=None, start=period.start, end=period.end, agency_ids=agency_ids, group_by=group_by
    )


def _drilldown(agency_ids: list[int], period: Period) -> str:
    from django.urls import reverse

    return (
        f"{reverse('onestop:statistics')}?start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}"
    )


def _indicator(identifier: str, label: Any, attr: str, weight: int, **kw: Any) -> None:
    empty: int | None = None if attr == "on_time_rate" else 0

    def compute(agency_ids: list[int], period: Period) -> Decimal | int | None:
        value: Decimal | int | None = getattr(_stats(agency_ids, period).total, attr)
        return value

    def compute_by_agency(agency_ids: list[int], period: Period) -> dict[int, Decimal | int | None]:
        found: dict[int, Decimal | int | None] = dict.fromkeys(agency_ids, empty)
        for row in _stats(agency_ids, period).rows:
            found[row.key] = getattr(row, attr)
        return found

    indicators.register(
        Indicator(
            identifier,
            weight=weight,
            label=label,
            compute=compute,
            compute_by_agency=compute_by_agency,
            drilldown_url=_drilldown,
            **kw,
        )
    )


_indicator("onestop.received", _("Số hồ sơ TTHC tiếp nhận"), "received", 400)
_indicator(
    "onestop.received_online", _("Số hồ sơ TTHC tiếp nhận trực tuyến"), "received_online", 401
)
_indicator(
    "onestop.received_counter", _("Số hồ sơ TTHC tiếp nhận trực tiếp"), "received_counter", 402
)
_indicator("onestop.resolved", _("Số hồ sơ TTHC đã giải quyết"), "resolved", 403)
_indicator("onestop.resolved_early", _("Số hồ sơ giải quyết trước hạn"), "resolved_early", 404)
_indicator("onestop.resolved_on_time", _("Số hồ sơ giải quyết đúng hạn"), "resolved_on_time", 405)
_indicator("onestop.resolved_late", _("Số hồ sơ giải quyết quá hạn"), "resolved_late", 406)
_indicator(
    "onestop.pending_within",
    _("Số hồ sơ đang giải quyết trong hạn"),
    "pending_within",
    407,
    description=_("Tại thời điểm lập báo cáo."),
)
_indicator(
    "onestop.pending_overdue",
    _("Số hồ sơ đang giải quyết quá hạn"),
    "pending_overdue",
    408,
    description=_("Tại thời điểm lập báo cáo."),
)
_indicator("onestop.returned", _("Số hồ sơ đã trả kết quả"), "returned", 409)
_indicator("onestop.withdrawn", _("Số hồ sơ công dân rút"), "withdrawn", 410)
_indicator(
    "onestop.on_time_rate",
    _("Tỷ lệ hồ sơ giải quyết đúng hạn"),
    "on_time_rate",
    411,
    unit="percent",
    aggregation="avg",
    description=_("Trước hạn và đúng hạn trên tổng số hồ sơ đã giải quyết trong kỳ."),
)

exports.register(
    Export(
        "onestop.statistics",
        weight=400,
        label=_("Thống kê giải quyết thủ tục hành chính"),
        url_name="onestop:statistics-xlsx",
        is_visible=lambda r: r.user.has_perm("onestop.view_statistics"),
    )
)
exports.register(
    Export(
        "onestop.procedures",
        weight=401,
        label=_("Danh mục thủ tục hành chính"),
        url_name="onestop:procedure-list",
        formats=("xlsx", "csv"),
        is_visible=_is_official,
    )
)


def _load_demo() -> None:
    from danvan.onestop.demo import load_onestop_demo

    load_onestop_demo()


def _demo_accounts() -> list[dict[str, str]]:
    from danvan.onestop.demo import demo_accounts

    return demo_accounts()


demo_loaders.register(DemoLoader("onestop", weight=40, load=_load_demo, accounts=_demo_accounts))
