from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from danvan.shell import registry


def shell(request: HttpRequest) -> dict[str, Any]:
    """Menus visible to this request, and the site's name."""

    def visible(area: str) -> list[registry.MenuItem]:
        return [i for i in registry.menu if i.area == area and i.is_visible(request)]

    return {
        "site_name": settings.SITE_NAME,
        "site_province": settings.SITE_PROVINCE,
        "public_menu": lambda: visible("public"),
        "office_menu": lambda: visible("office"),
    }
