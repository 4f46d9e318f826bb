"""Removing personal data from what is published (công khai, bỏ thông tin cá nhân).

Published text goes through :func:`redact` every time it is written: the sender's own name,
address, phone and e-mail (also when typed without diacritics or in other case), and anything
that looks like a phone number, an e-mail address or an identity-card number, become
:data:`MASK`. Officials can shorten or rephrase the public text further; they cannot put the
sender's data back, because the service redacts again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from danvan.core.text import fold

MASK = "[đã ẩn]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Vietnamese phone numbers (0912 345 678, 0912.345.678, +84 912345678, (028) 3829 1234) and
# identity numbers (CMND 9 digits, CCCD 12 digits): 9 or more digits with optional spaces or dots.
# Hyphens are not separators here, so dossier codes (000.00.12.H56-260302-0001) stay readable.
_DIGITS = re.compile(r"(?<![\w])(?:\+?84[ .]?|\(?0\d{1,3}\)?[ .]?)?\d(?:[ .]?\d){8,}(?![\w])")


def _fold_char(ch: str) -> str:
    """One character folded to one character (so that positions stay aligned)."""
    folded = fold(ch)
    return folded[:1] if folded else ch.lower()


def _fold_aligned(text: str) -> str:
    return "".join(_fold_char(ch) for ch in text)


def _spans_of(text: str, folded_text: str, needle: str) -> list[tuple[int, int]]:
    needle = fold(needle)
    needle = re.sub(r"\s+", " ", needle).strip()
    if len(needle) < 3:
        return []
    words = [re.escape(w) for w in needle.split(" ")]
    pattern = re.compile(r"(?<!\w)" + r"[\s,.]+".join(words) + r"(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(folded_text)]


def redact(text: str | None, personal: Iterable[str | None] = ()) -> str:
    """``text`` with the given personal values and any phone, e-mail or identity number masked."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    folded = _fold_aligned(text)
    spans: list[tuple[int, int]] = []
    for value in personal:
        if value:
            spans.extend(_spans_of(text, folded, value))
            digits = re.sub(r"\D", "", value)
            if len(digits) >= 8 and not re.search(r"[^\d\s.+()-]", value):
                # a phone number written differently (spaces, dots, +84)
                tail = digits[-8:]
                pattern = re.compile(r"(?:\d[ .]?){0,4}" + r"[ .]?".join(tail))
                spans.extend((m.start(), m.end()) for m in pattern.finditer(text))
    spans.extend((m.start(), m.end()) for m in _EMAIL.finditer(text))
    spans.extend((m.start(), m.end()) for m in _DIGITS.finditer(text))
    if not spans:
        return text
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        out.append(text[last:start])
        out.append(MASK)
        last = end
    out.append(text[last:])
    return "".join(out)


def contains_personal(text: str, personal: Iterable[str | None]) -> bool:
    """Whether ``text`` still shows one of the personal values (a check for tests and views)."""
    return redact(text, personal) != text
