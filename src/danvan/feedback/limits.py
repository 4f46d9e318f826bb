"""Spam and abuse limits: how many submissions one address (IP) and one phone number may send.

Sliding windows kept in the Django cache (the database cache by default, Redis when configured).
With the database cache the counters are written inside the submission's transaction, so a
refused or failed submission does not count. The limits can be changed with the setting
``FEEDBACK_RATE_LIMITS`` (``{"ip": [(seconds, count), ...], "phone": [...]}``).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:24]
    return f"feedback:rl:{kind}:{digest}"


def _subjects(ip: str | None, phone: str | None) -> dict[str, str]:
    """{kind: cache key} for what this submission is counted against."""
    out = {}
    if ip:
        out["ip"] = _key("ip", ip)
    phone = normalise_phone(phone)
    if phone:
        out["phone"] = _key("phone", phone)
    return out


def check(*, ip: str | None, phone: str | None, now: datetime) -> None:
    """Refuse (RateLimited, 429) when the address or the phone has used up a window. Each
    subject keeps the times of its recent submissions (a sliding window, one cache entry)."""
    subjects = _subjects(ip, phone)
    if not subjects:
        return
    logs = cache.get_many(list(subjects.values()))
    ts = now.timestamp()
    for kind, key in subjects.items():
        stamps = sorted(logs.get(key) or [])
        for window, limit in _limits().get(kind, []):
            recent = [t for t in stamps if t > ts - window]
            if len(recent) >= limit:
                left = int(recent[-limit] + window - ts) + 1
                minutes = max(1, (left + 59) // 60)
                message = _(ERR_IP if kind == "ip" else ERR_PHONE).format(minutes=minutes)
                raise RateLimited(message, retry_after=left, limited_by=kind)


def count(*, ip: str | None, phone: str | None, now: datetime) -> None:
    """Count one accepted submission."""
    subjects = _subjects(ip, phone)
    if not subjects:
        return
    logs = cache.get_many(list(subjects.values()))
    ts = now.timestamp()
    for kind, key in subjects.items():
        windows = _limits().get(kind, [])
        if not windows:
            continue
        longest = max(w for w, _n in windows)
        keep = max(n for _w, n in windows)
        stamps = [t for t in sorted(logs.get(key) or []) if t > ts - longest][-keep:]
        cache.set(key, [*stamps, ts], timeout=longest)
