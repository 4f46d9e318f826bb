"""The surveys app's entries in the shell: menus, the dashboard widget, report indicators (the
satisfaction index, per SIPAS element, and the number of responses), the export and demo data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.text import format_lazy
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
from danvan.surveys.sipas import SIPAS_ELEMENTS


def _is_official(request: HttpRequest) -> bool:
    return bool(request.user.has_perm("surveys.view_questionnaire"))


menu.register(
    MenuItem(
        "surveys.public",
        weight=400,
        label=_("Khảo sát sự hài lòng"),
        url_name="surveys-public:home",
        area="public",
    )
)
menu.register(
    MenuItem(
        "surveys.office",
        weight=400,
        label=_("Khảo sát hài lòng"),
        url_name="surveys:home",
        is_visible=_is_official,
    )
)


def _widget_context(request: HttpRequest) -> dict[str, Any]:
    from danvan.surveys.selectors import campaigns_for

    return {"campaigns": list(campaigns_for(request.user).filter(status="open")[:5])}


widgets.register(
    DashboardWidget(
        "surveys.progress",
        weight=400,
        title=_("Khảo sát sự hài lòng đang mở"),
        template="surveys/office/widget.html",
        get_context=_widget_context,
        is_visible=_is_official,
    )
)


# --- report indicators ------------------------------------------------------------------------------
def _overall(agency_ids: list[int], period: Period) -> Decimal | None:
    from danvan.surveys.selectors import satisfaction_index

    return satisfaction_index(agency_ids=agency_ids, period=period).overall


def _overall_by_agency(agency_ids: list[int], period: Period) -> dict[int, Decimal | int | None]:
    from danvan.surveys.selectors import satisfaction_indices

    rows = satisfaction_indices(agency_ids=agency_ids, period=period, by_agency=True)
    return {row.agency_id: row.overall for row in rows if row.agency_id is not None}


def _responses(agency_ids: list[int], period: Period) -> int:
    from danvan.surveys.selectors import satisfaction_index

    return satisfaction_index(agency_ids=agency_ids, period=period).responses


def _element(key: str) -> Any:
    def compute(agency_ids: list[int], period: Period) -> Decimal | None:
        from danvan.surveys.selectors import satisfaction_index

        element = satisfaction_index(agency_ids=agency_ids, period=period).element(key)
        return element.index if element else None

    return compute


indicators.register(
    Indicator(
        "surveys.satisfaction_index",
        weight=500,
        label=_("Chỉ số hài lòng của người dân, tổ chức (SIPAS)"),
        unit="percent",
        aggregation="avg",
        description=_(
            "Trung bình các yếu tố; mỗi câu hỏi: tỷ lệ “hài lòng” và “rất hài lòng”, không tính "
            "“không áp dụng”."
        ),
        compute=_overall,
        compute_by_agency=_overall_by_agency,
    )
)
indicators.register(
    Indicator(
        "surveys.responses",
        weight=501,
        label=_("Số phiếu khảo sát sự hài lòng hợp lệ"),
        unit="count",
        aggregation="sum",
        compute=_responses,
    )
)
for i, element in enumerate(SIPAS_ELEMENTS):
    indicators.register(
        Indicator(
            f"surveys.index_{element.value}",
            weight=502 + i,
            label=format_lazy("{} — {}", _("Chỉ số hài lòng"), element.label),
            unit="percent",
            aggregation="avg",
            compute=_element(element.value),
        )
    )

exports.register(
    Export(
        "surveys.results",
        weight=500,
        label=_("Kết quả khảo sát sự hài lòng (chỉ số và phiếu ẩn danh)"),
        url_name="surveys:export",
        is_visible=lambda r: (
            _is_official(r)
            and bool(
                r.user.has_perm("surveys.view_results_all")
                or r.user.has_perm("surveys.add_campaign")
            )
        ),
    )
)


def _load_demo() -> None:
    from danvan.surveys.demo import load_surveys_demo

    load_surveys_demo()


def _demo_accounts() -> list[dict[str, str]]:
    from danvan.surveys.demo import demo_accounts

    return demo_accounts()


demo_loaders.register(DemoLoader("surveys", weight=60, load=_load_demo, accounts=_demo_accounts))
