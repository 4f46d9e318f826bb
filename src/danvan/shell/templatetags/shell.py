"""Template helpers for Vietnamese pages: dates dd/mm/yyyy in Asia/Ho_Chi_Minh, numbers with
Vietnamese separators, form fields with their label, hint and error."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import timezone

register = template.Library()


@register.filter
def vn_date(value: date | datetime | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%d/%m/%Y")


@register.filter
def vn_datetime(value: datetime | None) -> str:
    if value is None or value == "":
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%H:%M %d/%m/%Y")


@register.filter
def vn_number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """1234567.5 → "1.234.567,5" (Vietnamese separators)."""
    if value is None or value == "":
        return ""
    text = f"{float(value):,.{int(decimals)}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@register.inclusion_tag("shell/components/field.html")
def field(bound: BoundField, hint: str = "", classes: str = "") -> dict[str, Any]:
    """A labelled field in the GOV.UK manner: label, hint, error message, then the input."""
    widget = bound.field.widget
    input_type = getattr(widget, "input_type", "")
    describedby = []
    if hint or bound.help_text:
        describedby.append(f"{bound.id_for_label}-hint")
    if bound.errors:
        describedby.append(f"{bound.id_for_label}-error")
    attrs: dict[str, str | bool] = (
        {"aria-describedby": " ".join(describedby)} if describedby else {}
    )
    if bound.errors:
        attrs["aria-invalid"] = "true"
    if input_type == "checkbox":
        css = "form-check-input"
    elif input_type in {"select"} or widget.__class__.__name__ in {"Select", "SelectMultiple"}:
        css = "form-select"
    else:
        css = "form-control"
    if bound.errors:
        css += " is-invalid"
    attrs["class"] = f"{css} {classes}".strip()
    return {
        "bound": bound,
        "widget_html": bound.as_widget(attrs=attrs),
        "hint": hint or bound.help_text,
        "is_checkbox": input_type == "checkbox",
    }
