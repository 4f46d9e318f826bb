"""The public citizen site's home."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from danvan.shell import registry


def home(request: HttpRequest) -> HttpResponse:
    services = [i for i in registry.menu if i.area == "public" and i.is_visible(request)]
    return render(request, "portal/home.html", {"services": services})
