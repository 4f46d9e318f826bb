"""SMS gateways. The outbox calls ``get_gateway().send(to, body)``; the gateway is the edge of
the outside world, so tests fake only this."""

from __future__ import annotations

import json
import logging
import urllib.request
import uuid
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class SmsError(Exception):
    pass


class SmsGateway(Protocol):
    def send(self, to: str, body: str) -> str:
        """Send one message; return the gateway's reference. Raise SmsError on failure."""
        ...


class FakeGateway:
    """Development gateway: sends nothing. The message stays visible in the back office's
    outbox page (status "sent", reference ``fake-…``)."""

    def send(self, to: str, body: str) -> str:
        ref = f"fake-{uuid.uuid4().hex[:12]}"
        log.info(
            "SMS (fake gateway) to %s: %d characters, ref %s",
            to[-3:].rjust(len(to), "*"),
            len(body),
            ref,
        )
        return ref


class HttpGateway:
    """A JSON-over-HTTP gateway: ``POST SMS_GATEWAY_URL {"to", "message"}`` with a bearer token,
    expecting ``{"id": ...}`` back. Most Vietnamese brandname-SMS providers accept this shape
    through a small adapter."""

    def __init__(
        self, url: str | None = None, token: str | None = None, timeout: float = 10
    ) -> None:
        self.url = url or settings.SMS_GATEWAY_URL
        self.token = token or settings.SMS_GATEWAY_TOKEN
        self.timeout = timeout
        if not self.url.startswith(("https://", "http://")):
            raise SmsError("SMS_GATEWAY_URL must be an http(s) URL")

    def send(self, to: str, body: str) -> str:
        data = json.dumps({"to": to, "message": body}).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked in __init__
            self.url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                payload = json.loads(response.read() or b"{}")
        except Exception as exc:  # network, HTTP and JSON errors alike: retry later
            raise SmsError(str(exc)) from exc
        return str(payload.get("id", ""))


def get_gateway() -> SmsGateway:
    return import_string(settings.SMS_GATEWAY)()
