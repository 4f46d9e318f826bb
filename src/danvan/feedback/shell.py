"""The feedback app's entries in the shell: menus, the head's widget, report indicators, the
statistics export and the demo data."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.feedback import selectors, stats
from danvan.feedback.demo import demo_accounts, load_feedback_demo
from danvan.shell.registry import (
    DashboardWidget,
    DemoLoader,
    Export,
    Indicator,
    MenuItem,
    demo_loaders,
    exports,
    indicators,
    menu,
    widgets,
)

menu.register(
    MenuItem(
        "feedback.submit",
        weight=200,
        label=_("Gửi phản ánh, kiến nghị"),
        url_name="feedback-public:submit",
        area="public",
    )
)
menu.register(
    MenuItem(
        "feedback.track",
        weight=210,
        label=_("Tra cứu phản ánh"),
        url_name="feedback-public:track-lookup",
        area="public",
    )
)
menu.register(
    MenuItem(
        "feedback.list",
        weight=220,
        label=_("Phản ánh đã trả lời"),
        url_name="feedback-public:list",
        area="public",
    )
)
menu.register(
    MenuItem(
        "feedback.inbox",
        weight=200,
        label=_("Phản ánh, kiến nghị"),
        url_name="feedback:inbox",
        is_visible=lambda r: r.user.has_perm("feedback.view_inbox"),
    )
)


def _widget_context(request: HttpRequest) -> dict[str, Any]:
    now = timezone.now()
    qs = selectors.with_states(selectors.feedback_for(request.user), now)
    counts = qs.aggregate(
        open=Count("pk", filter=selectors.OPEN_Q),
        overdue=Count("pk", filter=Q(state_overdue=True)),
        due_soon=Count("pk", filter=Q(state_due_soon=True)),
    )
    return {**counts, "can_see_overdue": request.user.has_perm("feedback.view_overdue")}


widgets.register(
    DashboardWidget(
        "feedback.deadlines",
        weight=200,
        title=_("Phản ánh, kiến nghị"),
        template="feedback/office/widget.html",
        get_context=_widget_context,
        is_visible=lambda r: r.user.has_perm("feedback.view_inbox"),
    )
)

for identifier, name, label, unit, aggregation, description in [
    (
        "feedback.received",
        "received",
        _("Phản ánh, kiến nghị tiếp nhận"),
        "count",
        "sum",
        _("Số phản ánh, kiến nghị tiếp nhận trong kỳ (tính ở cơ quan đang xử lý)."),
    ),
    (
        "feedback.answered_on_time",
        "answered_on_time",
        _("Phản ánh trả lời đúng hạn"),
        "count",
        "sum",
        _("Số phản ánh được trả lời (lãnh đạo duyệt) trong kỳ, không muộn hơn hạn."),
    ),
    (
        "feedback.answered_late",
        "answered_late",
        _("Phản ánh trả lời trễ hạn"),
        "count",
        "sum",
        _("Số phản ánh được trả lời trong kỳ sau hạn trả lời."),
    ),
    (
        "feedback.transferred",
        "transferred",
        _("Phản ánh chuyển cơ quan có thẩm quyền"),
        "count",
        "sum",
        _("Số lần chuyển phản ánh không thuộc thẩm quyền trong kỳ."),
    ),
    (
        "feedback.merged",
        "merged",
        _("Phản ánh trùng đã gộp"),
        "count",
        "sum",
        _("Số phản ánh được gộp vào phản ánh trùng nội dung trong kỳ."),
    ),
    (
        "feedback.on_time_rate",
        "on_time_rate",
        _("Tỷ lệ phản ánh trả lời đúng hạn"),
        "percent",
        "avg",
        _("Phản ánh trả lời đúng hạn trên tổng số đã trả lời trong kỳ (%)."),
    ),
    (
        "feedback.conduct_share",
        "conduct_share",
        _("Tỷ lệ phản ánh về thái độ cán bộ"),
        "percent",
        "avg",
        _("Phản ánh về hành vi, thái độ của cán bộ trên tổng số tiếp nhận trong kỳ (%)."),
    ),
]:
    indicators.register(
        Indicator(
            identifier,
            weight=200,
            label=label,
            unit=unit,  # type: ignore[arg-type]
            aggregation=aggregation,  # type: ignore[arg-type]
            description=description,
            compute=stats.figure(name),
            compute_by_agency=stats.figure_by_agency(name),
        )
    )

exports.register(
    Export(
        "feedback.statistics",
        weight=200,
        label=_("Thống kê phản ánh, kiến nghị"),
        url_name="feedback:stats",
        formats=("xlsx",),
        is_visible=lambda r: r.user.has_perm("feedback.view_stats"),
    )
)

demo_loaders.register(
    DemoLoader("feedback", weight=60, load=load_feedback_demo, accounts=demo_accounts)
)
