"""The dialogue schedule as an iCalendar feed (RFC 5545), for phones and office calendars."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from danvan.dialogues.models import Dialogue, DialogueStatus


def feed(dialogues: Iterable[Dialogue], *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//DânVận//Lịch đối thoại//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    host = base.split("://", 1)[-1].split("/", 1)[0] or "danvan"
    for d in dialogues:
        event = Event()
        event.add("uid", f"dialogue-{d.pk}@{host}")
        event.add("dtstamp", timezone.now().astimezone(UTC))
        event.add("last-modified", d.updated_at.astimezone(UTC))
        event.add("dtstart", d.starts_at.astimezone(UTC))
        event.add("dtend", d.ends_at.astimezone(UTC))
        event.add("summary", f"{d.get_kind_display()}: {d.topic}")
        event.add("location", d.place)
        event.add(
            "description",
            "\n".join(
                filter(
                    None,
                    [
                        f"Chủ trì: {d.host_name}",
                        f"Cơ quan tổ chức: {d.agency.name}",
                        d.description,
                    ],
                )
            ),
        )
        event.add("url", base + reverse("dialogues-public:detail", args=[d.pk]))
        event.add("status", "CANCELLED" if d.status == DialogueStatus.CANCELLED else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
