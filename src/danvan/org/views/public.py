"""Public pages of the org app: the directory of agencies and who leads their mobilisation work."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from danvan.org.selectors import agency_directory


def directory(request: HttpRequest) -> HttpResponse:
    return render(request, "org/directory.html", {"agencies": agency_directory()})
