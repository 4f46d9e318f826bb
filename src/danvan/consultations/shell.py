"""The consultations app's entries in the shell: menus, search kinds, report indicators, demo."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from danvan.consultations import selectors
from danvan.core import search
from danvan.org.selectors import official_of
from danvan.shell.registry import (
    DashboardWidget,
    DemoLoader,
    Indicator,
    MenuItem,
    Period,
    demo_loaders,
    indicators,
    menu,
    widgets,
)

search.register(selectors.SEARCH_CONSULTATION, str(_("Dự thảo lấy ý kiến")))
search.register(selectors.SEARCH_COMMENT, str(_("Ý kiến góp ý dự thảo")))

menu.register(
    MenuItem(
        "consultations.public",
        weight=300,
        label=_("Góp ý dự thảo"),
        url_name="consultations-public:list",
        area="public",
    )
)
menu.register(
    MenuItem(
        "consultations.office",
        weight=300,
        label=_("Lấy ý kiến dự thảo"),
        url_name="consultations:list",
        is_visible=lambda r: official_of(r.user) is not None,
    )
)


def _widget_context(request: Any) -> dict[str, Any]:
    pending = selectors.pending_comments_for(request.user)
    return {
        "pending": pending.count(),
        "open": selectors.consultations_for(request.user, status="open").count(),
    }


widgets.register(
    DashboardWidget(
        "consultations.pending",
        weight=300,
        title=_("Lấy ý kiến dự thảo"),
        template="consultations/widgets/pending.html",
        get_context=_widget_context,
        is_visible=lambda r: r.user.has_perm("consultations.add_consultation"),
    )
)


def _held(agency_ids: list[int], period: Period) -> int:
    return selectors.consultations_held(agency_ids, period.start, period.end)


def _held_by_agency(agency_ids: list[int], period: Period) -> dict[int, Decimal | int | None]:
    return selectors.consultations_held_by_agency(agency_ids, period.start, period.end)


def _received(agency_ids: list[int], period: Period) -> int:
    return selectors.comments_received(agency_ids, period.start, period.end)


def _answered(agency_ids: list[int], period: Period) -> Decimal | None:
    return selectors.share_answered(agency_ids, period.start, period.end)


indicators.register(
    Indicator(
        "consultations.held",
        weight=300,
        label=_("Số cuộc lấy ý kiến dự thảo đã tổ chức"),
        description=_("Các cuộc lấy ý kiến kết thúc trong kỳ."),
        compute=_held,
        compute_by_agency=_held_by_agency,
    )
)
indicators.register(
    Indicator(
        "consultations.comments_received",
        weight=301,
        label=_("Số ý kiến góp ý nhận được"),
        description=_("Mọi ý kiến gửi trong kỳ, kể cả ý kiến không đăng."),
        compute=_received,
    )
)
indicators.register(
    Indicator(
        "consultations.share_answered",
        weight=302,
        unit="percent",
        aggregation="avg",
        label=_("Tỷ lệ ý kiến được tiếp thu, giải trình (%)"),
        description=_("Trên các ý kiến đã đăng của các cuộc lấy ý kiến kết thúc trong kỳ."),
        compute=_answered,
    )
)


def _load_demo() -> None:
    from danvan.consultations.demo import load_demo

    load_demo()


demo_loaders.register(DemoLoader("consultations", weight=40, load=_load_demo))
