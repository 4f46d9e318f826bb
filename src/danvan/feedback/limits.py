"""Spam and abuse limits: how many submissions one address (IP) and one phone number may send.

Sliding windows kept in the database (:mod:`danvan.core.ratelimit`), counted inside the
submission's transaction, so a refused or failed submission does not count. The limits can be changed with the setting
``FEEDBACK_RATE_LIMITS`` (``{"ip": [(seconds, count), ...], "phone": [...]}``).
"""

from __future__ import annotations

import re
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danvan.core import ratelimit
from danvan.core.errors import RateLimited

# Mobile networks put many people behind one address (CGNAT): the per-address limit is generous;
# one phone number is one person.
DEFAULT_LIMITS: dict[str, list[tuple[int, int]]] = {
    "ip": [(600, 10), (86400, 60)],
    "phone": [(3600, 3), (86400, 5)],
}

ERR_IP = gettext_noop(
    "Bạn đã gửi quá nhiều phản ánh trong thời gian ngắn. Vui lòng thử lại sau {minutes} phút."
)
ERR_PHONE = gettext_noop(
    "Số điện thoại này đã gửi quá nhiều phản ánh. Vui lòng thử lại sau {minutes} phút "
    "hoặc liên hệ trực tiếp cơ quan."
)


def normalise_phone(phone: str | None) -> str:
    """Digits only, +84/84 → 0: "+84 912.345.678" → "0912345678"."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def _limits() -> dict[str, list[tuple[int, int]]]:
    return getattr(settings, "FEEDBACK_RATE_LIMITS", None) or DEFAULT_LIMITS


def _subjects(ip: str | None, phone: str | None) -> dict[str, str]:
    """{kind: subject} for what this submission is counted against."""
    out = {}
    if ip:
        out["ip"] = ratelimit.subject("feedback:ip", ip)
    phone = normalise_phone(phone)
    if phone:
        out["phone"] = ratelimit.subject("feedback:phone", phone)
    return out


def check(*, ip: str | None, phone: str | None, now: datetime) -> None:
    """Refuse (RateLimited, 429) when the address or the phone has used up a window."""
    subjects = _subjects(ip, phone)
    limits = _limits()
    longest = max((w for kind in subjects for w, _n in limits.get(kind, [])), default=0)
    if not longest:
        return
    stamps = ratelimit.recent(list(subjects.values()), now=now, longest=longest)
    for kind, name in subjects.items():
        wait = ratelimit.blocked(stamps.get(name, []), limits.get(kind, []), now=now)
        if wait:
            minutes = max(1, (wait + 59) // 60)
            message = _(ERR_IP if kind == "ip" else ERR_PHONE).format(minutes=minutes)
            raise RateLimited(message, retry_after=wait, limited_by=kind)


def count(*, ip: str | None, phone: str | None, now: datetime) -> None:
    """Count one accepted submission (inside its write transaction)."""
    limits = _limits()
    subjects = [name for kind, name in _subjects(ip, phone).items() if limits.get(kind)]
    ratelimit.record(subjects, now=now)
