"""Registries the apps fill from their ``shell.py``: menu items, dashboard widgets, report
indicators and exports. The shell knows no domain; a duplicate identifier is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def _always(request: HttpRequest) -> bool:
    return True


class Registry[T: "_Item"]:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        if item.identifier in self._items:
            raise ImproperlyConfigured(
                f"{self.kind}: identifier {item.identifier!r} is already registered"
            )
        self._items[item.identifier] = item
        return item

    def unregister(self, identifier: str) -> None:
        self._items.pop(identifier, None)

    def get(self, identifier: str) -> T:
        return self._items[identifier]

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(sorted(self._items.values(), key=lambda i: (i.weight, i.identifier)))

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class _Item:
    identifier: str
    weight: int = 100


@dataclass(frozen=True)
class MenuItem(_Item):
    """A link in the public site's or the back office's menu."""

    label: Any = ""
    url_name: str = ""
    area: Literal["public", "office"] = "office"
    is_visible: Callable[[HttpRequest], bool] = _always


@dataclass(frozen=True)
class DashboardWidget(_Item):
    """A block on the back-office home; ``get_context(request)`` returns what its template needs."""

    title: Any = ""
    template: str = ""
    get_context: Callable[[HttpRequest], dict[str, Any]] = lambda request: {}
    is_visible: Callable[[HttpRequest], bool] = _always


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive


@dataclass(frozen=True)
class Indicator(_Item):
    """A number reported for a period (chỉ tiêu). ``compute(agency_ids, period)`` returns the
    value for those agencies; ``aggregation`` says how a consolidation combines agencies."""

    label: Any = ""
    unit: Literal["count", "percent", "index", "days"] = "count"
    aggregation: Literal["sum", "avg"] = "sum"
    description: Any = ""
    compute: Callable[[list[int], Period], Decimal | int | None] = field(
        default=lambda agency_ids, period: None
    )
    # Optional: the value for each agency in one go (dashboards, consolidation annexes); when
    # absent, ``compute`` is called once per agency.
    compute_by_agency: Callable[[list[int], Period], dict[int, Decimal | int | None]] | None = None
    # Optional: the URL of the records behind a figure (traceability, drill-down).
    drilldown_url: Callable[[list[int], Period], str] | None = None

    def values_by_agency(
        self, agency_ids: list[int], period: Period
    ) -> dict[int, Decimal | int | None]:
        if self.compute_by_agency is not None:
            found = self.compute_by_agency(agency_ids, period)
            return {a: found.get(a) for a in agency_ids}
        return {a: self.compute([a], period) for a in agency_ids}


@dataclass(frozen=True)
class Export(_Item):
    """A downloadable table or document, listed on the exports page."""

    label: Any = ""
    url_name: str = ""
    formats: tuple[str, ...] = ("xlsx",)
    is_visible: Callable[[HttpRequest], bool] = _always


menu: Registry[MenuItem] = Registry("menu")
widgets: Registry[DashboardWidget] = Registry("dashboard widget")
indicators: Registry[Indicator] = Registry("report indicator")
exports: Registry[Export] = Registry("export")


@dataclass(frozen=True)
class DemoLoader(_Item):
    """Demo data of one app: ``load()`` is idempotent; ``accounts()`` lists its demo accounts."""

    load: Callable[[], None] = lambda: None
    accounts: Callable[[], list[dict[str, str]]] = lambda: []


demo_loaders: Registry[DemoLoader] = Registry("demo loader")
