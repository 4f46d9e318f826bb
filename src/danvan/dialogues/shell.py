"""The dialogues app's entries in the shell: menus, search kind, report indicators, demo."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from danvan.core import search
from danvan.dialogues import selectors
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

search.register(selectors.SEARCH_DIALOGUE, str(_("Đối thoại, tọa đàm")))

menu.register(
    MenuItem(
        "dialogues.public",
        weight=310,
        label=_("Đối thoại"),
        url_name="dialogues-public:list",
        area="public",
    )
)
menu.register(
    MenuItem(
        "dialogues.commitments",
        weight=311,
        label=_("Theo dõi cam kết"),
        url_name="dialogues-public:commitments",
        area="public",
    )
)
menu.register(
    MenuItem(
        "dialogues.office",
        weight=310,
        label=_("Đối thoại"),
        url_name="dialogues:list",
        is_visible=lambda r: official_of(r.user) is not None,
    )
)


def _widget_context(request: Any) -> dict[str, Any]:
    return {"overdue": selectors.commitments_for(request.user, overdue_only=True).count()}


widgets.register(
    DashboardWidget(
        "dialogues.overdue",
        weight=310,
        title=_("Cam kết sau đối thoại"),
        template="dialogues/widgets/overdue.html",
        get_context=_widget_context,
        is_visible=lambda r: official_of(r.user) is not None,
    )
)


def _held(agency_ids: list[int], period: Period) -> int:
    return selectors.dialogues_held(agency_ids, period.start, period.end)


def _kept(agency_ids: list[int], period: Period) -> Decimal | None:
    return selectors.commitments_kept_on_time(agency_ids, period.start, period.end)


def _kept_by_agency(agency_ids: list[int], period: Period) -> dict[int, Decimal | int | None]:
    return selectors.commitments_kept_on_time_by_agency(agency_ids, period.start, period.end)


indicators.register(
    Indicator(
        "dialogues.held",
        weight=310,
        label=_("Số cuộc đối thoại, tọa đàm đã tổ chức"),
        description=_("Các cuộc đã tổ chức trong kỳ, theo cơ quan tổ chức."),
        compute=_held,
    )
)
indicators.register(
    Indicator(
        "dialogues.commitments_kept_on_time",
        weight=311,
        unit="percent",
        aggregation="avg",
        label=_("Tỷ lệ cam kết sau đối thoại hoàn thành đúng hạn (%)"),
        description=_("Trên các cam kết đến hạn trong kỳ, theo cơ quan thực hiện."),
        compute=_kept,
        compute_by_agency=_kept_by_agency,
    )
)


def _load_demo() -> None:
    from danvan.dialogues.demo import load_demo

    load_demo()


def _accounts() -> list[dict[str, str]]:
    from danvan.dialogues.demo import demo_accounts

    return demo_accounts()


demo_loaders.register(DemoLoader("dialogues", weight=41, load=_load_demo, accounts=_accounts))
