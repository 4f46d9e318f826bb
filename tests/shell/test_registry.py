"""The shell's registries: apps plug in, duplicates are refused, menus follow permissions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from danvan.shell import registry
from danvan.shell.registry import MenuItem, Registry
from tests.world import World


def test_duplicate_identifiers_are_refused() -> None:
    reg: Registry[MenuItem] = Registry("menu")
    reg.register(MenuItem("x", label="X", url_name="portal:home"))
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        reg.register(MenuItem("x", label="Y", url_name="portal:home"))


def test_items_come_out_by_weight() -> None:
    reg: Registry[MenuItem] = Registry("menu")
    reg.register(MenuItem("b", weight=20))
    reg.register(MenuItem("a", weight=10))
    assert [i.identifier for i in reg] == ["a", "b"]


def test_apps_registered_their_items_from_shell_py() -> None:
    assert "org.agencies" in registry.menu
    assert "core.calculator" in registry.menu
    assert "org" in registry.demo_loaders


def test_back_office_menu_follows_permissions(world: World) -> None:
    sysadmin, handler = Client(), Client()
    sysadmin.force_login(world.user("sysadmin"))
    handler.force_login(world.user("handler"))
    admin_page = sysadmin.get("/office/").content.decode()
    handler_page = handler.get("/office/").content.decode()
    assert "Nhật ký" in admin_page and "Nhật ký" not in handler_page
    assert "Tính thời hạn" in handler_page
