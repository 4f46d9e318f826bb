"""The denouncer's identity: sealed (encrypted) at rest, redacted from every text, masked on
display. See docs/identity-protection.md for the design and its limits.

- :func:`seal` / :func:`unseal`: the identity as one Fernet token (core.crypto, MultiFernet keys
  from ``FIELD_ENCRYPTION_KEYS``, never in the database); :func:`reseal` re-encrypts with the
  newest key (rotation).
- :func:`person_digests`: a keyed hash ("blind index") of the folded name, so that duplicates can
  be found by person without the name in clear; computed under every key of the key ring, so it
  keeps working while keys rotate.
- :func:`redact`: removes the identity's values (name, address, phone, …) from a free text,
  whatever the case and diacritics ("Nguyễn Văn A", "NGUYEN VAN A").
"""

from __future__ import annotations

import hashlib
import hmac
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from danvan.core import crypto
from danvan.core.text import fold

MASK = "***"  # what the audit trail and exports show in place of a protected value
REDACTED = "[đã che]"  # what replaces an identity value inside a free text
MASKED_LABEL = _("Thông tin người tố cáo được giữ bí mật")


@dataclass(frozen=True)
class Person:
    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class Identity:
    """Who sent a petition (and, for a group, its representatives and other visitors)."""

    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""
    representatives: list[dict[str, Any]] = field(default_factory=list)
    original_content: str = ""
    original_subject: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.address or self.phone or self.email or self.id_number)

    def values(self) -> list[str]:
        """Every identifying value, to redact from texts (longest first)."""
        out = [self.name, self.address, self.phone, self.email, self.id_number]
        for rep in self.representatives:
            out += [str(rep.get(k) or "") for k in ("name", "address", "phone", "id_number")]
        return sorted({v.strip() for v in out if v and len(v.strip()) >= 3}, key=len, reverse=True)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def seal(identity: Identity) -> str:
    return crypto.encrypt(json.dumps(identity.as_dict(), ensure_ascii=False))


def unseal(token: str) -> Identity:
    if not token:
        return Identity()
    data = json.loads(crypto.decrypt(token))
    return Identity(**{k: v for k, v in data.items() if k in Identity.__dataclass_fields__})


def reseal(token: str) -> str:
    return crypto.rotate(token) if token else token


def _key_ring() -> tuple[str, ...]:
    return crypto._keys()


def _digest(key: str, name: str) -> str:
    secret = hashlib.sha256(f"danvan.petitions.person:{key}".encode()).digest()
    return hmac.new(secret, fold(name).encode("utf-8"), hashlib.sha256).hexdigest()


def person_digest(name: str) -> str:
    """The blind index of ``name`` under the newest key ("" for no name)."""
    if not fold(name):
        return ""
    return _digest(_key_ring()[0], name)


def person_digests(name: str) -> list[str]:
    """The blind index of ``name`` under every key of the ring (for look-ups during rotation)."""
    if not fold(name):
        return []
    return [_digest(k, name) for k in _key_ring()]


# --- redaction ----------------------------------------------------------------------------------
def _fold_char(ch: str) -> str:
    folded = fold(ch)
    return folded[:1] if len(folded) == 1 else ch.lower()


def _folded_same_length(text: str) -> str:
    return "".join(_fold_char(ch) for ch in text)


def redact(text: str, values: Iterable[str]) -> str:
    """``text`` with every occurrence of ``values`` replaced by :data:`REDACTED`, matched without
    regard to case or diacritics."""
    if not text:
        return text
    text = unicodedata.normalize("NFC", text)
    for value in values:
        needle = _folded_same_length(unicodedata.normalize("NFC", value)).strip()
        if len(needle) < 3:
            continue
        haystack = _folded_same_length(text)
        pieces: list[str] = []
        start = 0
        while True:
            i = haystack.find(needle, start)
            if i < 0:
                break
            pieces.append(text[start:i])
            pieces.append(REDACTED)
            start = i + len(needle)
        if pieces:
            pieces.append(text[start:])
            text = "".join(pieces)
    return text


def contains_identity(text: str, identity: Identity) -> bool:
    folded = _folded_same_length(unicodedata.normalize("NFC", text or ""))
    return any(_folded_same_length(v) in folded for v in identity.values())
