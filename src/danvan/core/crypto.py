"""Field encryption with key rotation (MultiFernet): the first key encrypts, every key decrypts.

Keys come from ``FIELD_ENCRYPTION_KEYS`` (comma-separated Fernet keys), never from the database;
outside production a key is generated into ``var/`` on first use.
"""

from __future__ import annotations

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _keys() -> tuple[str, ...]:
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if keys:
        return keys
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set in production")
    path = settings.VAR_DIR / "field_encryption_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return (path.read_text().strip(),)


def encrypt(text: str) -> str:
    return _fernet(_keys()).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet(_keys()).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: unknown key or altered data") from exc


def rotate(token: str) -> str:
    """Re-encrypt ``token`` with the first (newest) key."""
    return _fernet(_keys()).rotate(token.encode("ascii")).decode("ascii")
