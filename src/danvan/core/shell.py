"""The core's screens in the back-office menu."""

from django.utils.translation import gettext_lazy as _

from danvan.shell.registry import MenuItem, menu

menu.register(
    MenuItem(
        "core.calculator",
        weight=950,
        label=_("Tính thời hạn"),
        url_name="core:calculator",
        is_visible=lambda r: r.user.has_perm("core.use_calculator"),
    )
)
menu.register(
    MenuItem(
        "core.rules",
        weight=960,
        label=_("Quy định thời hạn"),
        url_name="core:rules",
        is_visible=lambda r: r.user.has_perm("core.change_deadlinerule"),
    )
)
menu.register(
    MenuItem(
        "core.audit",
        weight=970,
        label=_("Nhật ký"),
        url_name="core:audit",
        is_visible=lambda r: r.user.has_perm("core.view_auditrecord"),
    )
)
menu.register(
    MenuItem(
        "core.outbox",
        weight=980,
        label=_("Hộp thư đi"),
        url_name="core:outbox",
        is_visible=lambda r: r.user.has_perm("core.view_outbox"),
    )
)
