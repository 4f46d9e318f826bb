"""The portal's entries in the shell."""

from django.utils.translation import gettext_lazy as _

from danvan.shell.registry import MenuItem, menu

menu.register(
    MenuItem(
        "portal.directory",
        weight=900,
        label=_("Danh bạ cơ quan"),
        url_name="portal:directory",
        area="public",
    )
)
