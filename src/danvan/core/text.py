"""Vietnamese text folding: the one function used wherever text is compared or searched."""

from __future__ import annotations

import re
import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "d"})
_SPACE = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, remove diacritics and map đ→d: "Đất đai, KHIẾU NẠI" → "dat dai, khieu nai"."""
    if not text:
        return ""
    text = text.translate(_D)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACE.sub(" ", stripped.lower()).strip()


_TERM = re.compile(r"[\w]+", re.UNICODE)


def terms(text: str | None) -> list[str]:
    """The folded words of a query, punctuation dropped: "12/BC-UBND" → ["12", "bc", "ubnd"]."""
    return _TERM.findall(fold(text))
