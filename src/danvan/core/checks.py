"""System checks of the core (run by ``danvan check``, and ``--deploy`` in production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    if getattr(settings, "PRODUCTION", False):
        if not settings.FIELD_ENCRYPTION_KEYS:
            errors.append(
                Error(
                    "FIELD_ENCRYPTION_KEYS is not set",
                    hint="Generate one: danvan genkey",
                    id="danvan.E001",
                )
            )
        if not settings.OTP_REQUIRED_FOR_OFFICIALS:
            errors.append(Error("OTP_REQUIRED must stay on in production", id="danvan.E002"))
    return errors
