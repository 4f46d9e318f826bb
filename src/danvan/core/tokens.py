"""Personal API tokens: random, shown once, stored as SHA-256, with an expiry."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from danvan.core import audit
from danvan.core.models import ApiToken

TOKEN_LIFETIME = timedelta(days=30)
PREFIX = "dv_"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: Any, lifetime: timedelta = TOKEN_LIFETIME) -> tuple[str, ApiToken]:
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=_hash(raw), prefix=raw[:8], expires_at=timezone.now() + lifetime
    )
    audit.record(
        actor=user, action="core.api_token_create", obj=token, data={"expires_at": token.expires_at}
    )
    return raw, token


def user_for_token(raw: str) -> Any | None:
    """The active user owning ``raw``, or None (unknown, expired or revoked)."""
    if not raw.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
