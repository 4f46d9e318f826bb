"""Citizen pages: send a complaint or a recommendation online, follow it with the tracking code,
read the leaders' reception schedule. They work without JavaScript and show no one's data."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from danvan.core.errors import ApplicationError
from danvan.petitions import selectors, services
from danvan.petitions.forms import OnlinePetitionForm, TrackForm

LOOKUPS_PER_WINDOW = 30
WINDOW_SECONDS = 600


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _rate_limited(request: HttpRequest, bucket: str) -> bool:
    key = f"petitions:{bucket}:{_client_ip(request)}"
    count = cache.get(key, 0) + 1
    cache.set(key, count, WINDOW_SECONDS)
    return bool(count > LOOKUPS_PER_WINDOW)


@never_cache
def submit(request: HttpRequest) -> HttpResponse:
    form = OnlinePetitionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request, "submit"):
            form.add_error(None, _("Bạn đã gửi quá nhiều lần. Vui lòng thử lại sau ít phút."))
        else:
            d = form.cleaned_data
            uploads = [f for f in (d.get("attachment"), d.get("attachment2")) if f]
            try:
                petition = services.petition_submit_online(
                    actor=request.user,
                    agency=d["agency"],
                    kind=d["kind"],
                    petitioner=services.PetitionerIn(
                        name=d["name"], address=d["address"], phone=d["phone"], email=d["email"]
                    ),
                    subject=d["subject"],
                    content=d["content"],
                    decision_complained=d["decision_complained"],
                    decision_known_on=d["decision_known_on"],
                    attachments=uploads,
                )
            except ApplicationError as exc:
                field = exc.details.get("field")
                form.add_error(
                    "attachment" if field == "file" else (field if field in form.fields else None),
                    exc.message,
                )
            else:
                return render(
                    request,
                    "petitions/public/submitted.html",
                    {
                        "code": petition.code,
                        "tracking_code": petition.tracking_code,
                        "agency": petition.agency.name,
                    },
                )
    return render(
        request,
        "petitions/public/submit.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    """Look a petition up by its tracking code (POST: the code stays out of URLs and logs)."""
    form = TrackForm(request.POST or None)
    status = None
    not_found = False
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request, "track"):
            form.add_error("ma", _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút."))
        else:
            status = selectors.public_status(form.cleaned_data["ma"])
            not_found = status is None
    return render(
        request,
        "petitions/public/track.html",
        {"form": form, "status": status, "not_found": not_found},
        status=422 if form.errors else 200,
    )


def schedule(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    days = list(selectors.public_schedule(today, today + timedelta(days=62)))
    return render(request, "petitions/public/schedule.html", {"days": days, "today": today})
