from django.utils.translation import gettext_lazy as _

from danvan.shell.registry import MenuItem, menu

menu.register(
    MenuItem(
        "dashboard",
        weight=10,
        label=_("Bảng điều hành"),
        url_name="dashboard:dashboard",
        is_visible=lambda r: r.user.has_perm("dashboard.view_dashboard"),
    )
)
