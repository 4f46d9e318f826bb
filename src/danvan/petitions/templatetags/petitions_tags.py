"""Template helpers of the petitions app."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def is_choice_group(bound: BoundField) -> bool:
    """Radio buttons or a list of checkboxes: rendered as a fieldset with a legend."""
    widget = bound.field.widget
    return getattr(widget, "input_type", "") == "radio" or bool(
        getattr(widget, "allow_multiple_selected", False)
        and getattr(widget, "input_type", "") == "checkbox"
    )


@register.inclusion_tag("petitions/_field.html")
def pfield(bound: BoundField) -> dict[str, Any]:
    return {"f": bound, "group": is_choice_group(bound)}


TIMELINESS = {
    "overdue": ("text-bg-danger", "Quá hạn"),
    "late": ("text-bg-warning", "Giải quyết quá hạn"),
    "on_time": ("text-bg-success", "Trong hạn"),
}


@register.inclusion_tag("petitions/_timeliness.html")
def timeliness_badge(value: str) -> dict[str, Any]:
    css, label = TIMELINESS.get(value, ("", ""))
    return {"css": css, "label": label}
