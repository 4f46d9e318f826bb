"""The back office's home: the user's agency, unit and roles, and the dashboard widgets that the
apps registered. (``request.official`` is set by the org app's middleware.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from danvan.shell import registry


@login_required
def office_home(request: HttpRequest) -> HttpResponse:
    official = getattr(request, "official", None)
    memberships = list(getattr(request, "memberships", []))
    widgets = [
        {"item": w, "context": w.get_context(request)}
        for w in registry.widgets
        if official is not None and w.is_visible(request)
    ]
    return render(
        request,
        "shell/office_home.html",
        {
            "official": official,
            "memberships": memberships,
            "other_memberships": len(memberships) > 1,
            "widgets": widgets,
        },
    )
