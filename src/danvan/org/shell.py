"""The org app's entries in the shell."""

from django.utils.translation import gettext_lazy as _

from danvan.org.demo import demo_accounts, load_org_demo
from danvan.shell.registry import DemoLoader, MenuItem, demo_loaders, menu

menu.register(
    MenuItem(
        "org.agencies",
        weight=900,
        label=_("Cơ quan, đơn vị"),
        url_name="org:agency-list",
        is_visible=lambda r: r.user.has_perm("org.view_agency"),
    )
)
demo_loaders.register(DemoLoader("org", weight=10, load=load_org_demo, accounts=demo_accounts))
