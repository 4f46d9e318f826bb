"""The plans app's entries in the shell: menus, indicators, widgets, demo data."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.plans import indicators
from danvan.plans.demo import load_plans_demo
from danvan.shell.registry import DemoLoader, Indicator, MenuItem, demo_loaders, menu
from danvan.shell.registry import indicators as indicator_registry

menu.register(
    MenuItem(
        "plans.plans",
        weight=300,
        label=_("Kế hoạch"),
        url_name="plans:plan-list",
        is_visible=lambda r: r.user.has_perm("plans.view_plan"),
    )
)
menu.register(
    MenuItem(
        "plans.assignments",
        weight=310,
        label=_("Nhiệm vụ được giao"),
        url_name="plans:assignment-list",
        is_visible=lambda r: r.user.has_perm("plans.view_plan"),
    )
)
menu.register(
    MenuItem(
        "plans.reports",
        weight=320,
        label=_("Báo cáo định kỳ"),
        url_name="plans:report-list",
        is_visible=lambda r: r.user.has_perm("plans.view_plan"),
    )
)
menu.register(
    MenuItem(
        "plans.public",
        weight=400,
        label=_("Kế hoạch và tiến độ"),
        url_name="plans-public:plan-list",
        area="public",
    )
)

indicator_registry.register(
    Indicator(
        "plans.assignments_on_time_rate",
        weight=700,
        label=_("Tỷ lệ nhiệm vụ hoàn thành đúng hạn (%)"),
        unit="percent",
        aggregation="avg",
        description=_(
            "Trong các nhiệm vụ được giao có hạn trong kỳ, tỷ lệ hoàn thành không muộn hơn hạn."
        ),
        compute=indicators.done_on_time_rate,
        compute_by_agency=indicators.done_on_time_rate_by_agency,
        drilldown_url=lambda ids, period: reverse("plans:assignment-list"),
    )
)
indicator_registry.register(
    Indicator(
        "plans.assignments_overdue",
        weight=710,
        label=_("Nhiệm vụ quá hạn chưa hoàn thành"),
        unit="count",
        aggregation="sum",
        description=_("Số nhiệm vụ đã quá hạn mà chưa hoàn thành tại ngày cuối kỳ."),
        compute=indicators.overdue_at_end,
        compute_by_agency=indicators.overdue_at_end_by_agency,
        drilldown_url=lambda ids, period: reverse("plans:assignment-list") + "?overdue=1",
    )
)
indicator_registry.register(
    Indicator(
        "plans.reports_late",
        weight=720,
        label=_("Báo cáo định kỳ gửi chậm hoặc chưa gửi"),
        unit="count",
        aggregation="sum",
        description=_(
            "Số báo cáo của các kỳ kết thúc trong kỳ này đã gửi sau hạn hoặc quá hạn chưa gửi."
        ),
        compute=indicators.late_reports,
        compute_by_agency=indicators.late_reports_by_agency,
        drilldown_url=lambda ids, period: reverse("plans:report-list"),
    )
)
demo_loaders.register(DemoLoader("plans", weight=900, load=load_plans_demo))
