"""Cut a draft into commentable sections by its headings.

A legal document is cut at its articles ("Điều 1. Phạm vi điều chỉnh"), under its parts, chapters
and divisions ("Phần", "Chương I", "Mục 1"); the clauses and points of an article ("1.", "a)")
stay in its text. A plan, programme or project has no articles: it is cut at its Roman-numbered
headings ("I. MỤC ĐÍCH, YÊU CẦU") and numbered items ("1. Mục tiêu chung"). Text before the first
heading is the preamble ("Căn cứ …").

Works on a list of paragraphs, from a DOCX (:func:`paragraphs_from_docx`, which also rebuilds the
numbers Word or LibreOffice generate for automatically numbered lists) or from pasted text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import IO, Any

from docx import Document
from docx.oxml.ns import qn

_ROMAN = r"[IVXLC]+"
PART = re.compile(rf"^PH[ẦA]N\s+(TH[ỨU]\s+\S+|{_ROMAN}|\d+)\s*[.:\-–]?\s*(.*)$", re.IGNORECASE)
CHAPTER = re.compile(rf"^CH[ƯU][ƠO]NG\s+({_ROMAN}|\d+)\s*[.:\-–]?\s*(.*)$", re.IGNORECASE)
DIVISION = re.compile(r"^M[ỤU]C\s+(\d+|[IVXLC]+)\s*[.:\-–]\s*(.*)$", re.IGNORECASE)
DIVISION_BARE = re.compile(r"^M[ỤU]C\s+(\d+)\s*$", re.IGNORECASE)
ARTICLE = re.compile(r"^[ĐD]i[ềe]u\s+(\d+[a-zđ]?)\s*[.:]\s*(.*)$", re.IGNORECASE)
ROMAN_HEADING = re.compile(rf"^({_ROMAN})\s*[.\-–]\s+(.+)$")
NUMBERED = re.compile(r"^(\d{1,3})\s*[.)]\s+(.+)$")


@dataclass
class ParsedSection:
    kind: str  # models.SectionKind values
    number: str = ""
    heading: str = ""
    lines: list[str] = field(default_factory=list)
    level: int = 0

    @property
    def body(self) -> str:
        return "\n".join(self.lines).strip()


def _clean(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text.replace("\x0b", "\n")).strip()


def _is_title_line(text: str) -> bool:
    """A chapter's title on the line after "Chương I": mostly capitals, not a heading itself."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.6


def parse_paragraphs(paragraphs: list[str]) -> list[ParsedSection]:
    texts = [t for t in (_clean(p) for p in paragraphs) if t]
    has_articles = any(ARTICLE.match(t) for t in texts)
    out: list[ParsedSection] = []
    current: ParsedSection | None = None
    pending_title: ParsedSection | None = None  # a chapter/part waiting for its title line
    depth = {"part": 0, "chapter": 0, "division": 0}

    def start(section: ParsedSection) -> ParsedSection:
        out.append(section)
        return section

    for text in texts:
        if pending_title is not None:
            if _is_title_line(text) and not _heading_kind(text, has_articles):
                pending_title.heading = text
                pending_title = None
                continue
            pending_title = None
        if has_articles:
            if m := PART.match(text):
                depth = {"part": 1, "chapter": 0, "division": 0}
                current = start(ParsedSection("part", f"Phần {m.group(1)}", m.group(2), level=0))
                pending_title = None if m.group(2) else current
                continue
            if m := CHAPTER.match(text):
                depth["chapter"], depth["division"] = 1, 0
                current = start(
                    ParsedSection(
                        "chapter", f"Chương {m.group(1).upper()}", m.group(2), level=depth["part"]
                    )
                )
                pending_title = None if m.group(2) else current
                continue
            if (m := DIVISION.match(text)) or (m := DIVISION_BARE.match(text)):
                depth["division"] = 1
                heading = m.group(2) if m.re is DIVISION else ""
                current = start(
                    ParsedSection(
                        "division",
                        f"Mục {m.group(1)}",
                        heading,
                        level=depth["part"] + depth["chapter"],
                    )
                )
                pending_title = None if heading else current
                continue
            if m := ARTICLE.match(text):
                current = start(
                    ParsedSection(
                        "article",
                        f"Điều {m.group(1)}",
                        m.group(2).rstrip("."),
                        level=sum(depth.values()),
                    )
                )
                continue
        else:
            if m := ROMAN_HEADING.match(text):
                current = start(ParsedSection("part", m.group(1), m.group(2), level=0))
                depth["part"] = 1
                continue
            if m := NUMBERED.match(text):
                current = start(
                    ParsedSection("item", m.group(1), m.group(2).rstrip(":"), level=depth["part"])
                )
                continue
        if current is None:
            current = start(ParsedSection("preamble", "", "Phần mở đầu"))
        current.lines.append(text)
    return out


def _heading_kind(text: str, has_articles: bool) -> bool:
    if has_articles:
        return bool(
            PART.match(text)
            or CHAPTER.match(text)
            or DIVISION.match(text)
            or DIVISION_BARE.match(text)
            or ARTICLE.match(text)
        )
    return bool(ROMAN_HEADING.match(text) or NUMBERED.match(text))


# --- DOCX ------------------------------------------------------------------------------------
def _to_roman(n: int) -> str:
    vals = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def _format_number(fmt: str, n: int) -> str:
    if fmt == "lowerLetter":
        return "abcdđeghiklmnopqrstuvxy"[(n - 1) % 23]
    if fmt == "upperLetter":
        return "ABCDĐEGHIKLMNOPQRSTUVXY"[(n - 1) % 23]
    if fmt == "upperRoman":
        return _to_roman(n)
    if fmt == "lowerRoman":
        return _to_roman(n).lower()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class _Numbering:
    """The numbers Word/LibreOffice show for automatically numbered paragraphs.

    Counters belong to the list definition (``abstractNum``): list instances (``num``) that share
    one continue its count, and an instance with a ``startOverride`` restarts it where it is first
    used. (LibreOffice writes one instance per paragraph, restarting at each article's first one.)
    """

    def __init__(self, document: Any) -> None:
        self.abstract_of: dict[str, str] = {}
        self.overrides: dict[str, dict[int, int]] = {}
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        self.seen: set[str] = set()
        try:
            part = document.part.numbering_part
        except (KeyError, NotImplementedError):
            return
        root = part.element
        for an in root.findall(qn("w:abstractNum")):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in an.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl")))
                fmt_el, text_el, start_el = (
                    lvl.find(qn("w:numFmt")),
                    lvl.find(qn("w:lvlText")),
                    lvl.find(qn("w:start")),
                )
                levels[ilvl] = (
                    fmt_el.get(qn("w:val")) if fmt_el is not None else "decimal",
                    text_el.get(qn("w:val")) if text_el is not None else "",
                    int(start_el.get(qn("w:val"))) if start_el is not None else 1,
                )
            self.levels[an.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                continue
            num_id = num.get(qn("w:numId"))
            self.abstract_of[num_id] = ref.get(qn("w:val"))
            overrides: dict[int, int] = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl")))] = int(start.get(qn("w:val")))
            self.overrides[num_id] = overrides

    @staticmethod
    def _num_pr(paragraph: Any) -> Any:
        """The paragraph's numbering, or its style's (following the styles it is based on)."""
        ppr = paragraph._p.pPr
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is not None and num_pr.find(qn("w:numId")) is not None:
            return num_pr
        style = paragraph.style
        for _depth in range(10):
            if style is None:
                return None
            sppr = style.element.pPr
            num_pr = sppr.find(qn("w:numPr")) if sppr is not None else None
            if num_pr is not None and num_pr.find(qn("w:numId")) is not None:
                return num_pr
            style = style.base_style
        return None

    def label(self, paragraph: Any) -> str:
        num_pr = self._num_pr(paragraph)
        if num_pr is None:
            return ""
        num_id_el, ilvl_el = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
        num_id = num_id_el.get(qn("w:val"))
        ilvl = int(ilvl_el.get(qn("w:val"))) if ilvl_el is not None else 0
        aid = self.abstract_of.get(num_id)
        levels = self.levels.get(aid or "", {})
        if aid is None or ilvl not in levels:
            return ""
        if num_id not in self.seen:
            self.seen.add(num_id)
            for lvl, start in self.overrides.get(num_id, {}).items():
                self.counters[(aid, lvl)] = start - 1
        for key in [k for k in self.counters if k[0] == aid and k[1] > ilvl]:
            del self.counters[key]  # a higher level restarts the lower ones
        fmt, text, begin = levels[ilvl]
        n = self.counters.get((aid, ilvl), begin - 1) + 1
        self.counters[(aid, ilvl)] = n
        if fmt in ("bullet", "none"):
            return "-"
        label = text
        for lv in range(ilvl + 1):
            if f"%{lv + 1}" in label:
                lfmt, _t, lbegin = levels.get(lv, ("decimal", "", 1))
                value = n if lv == ilvl else self.counters.get((aid, lv), lbegin)
                label = label.replace(f"%{lv + 1}", _format_number(lfmt, value))
        return label


def paragraphs_from_docx(source: bytes | IO[bytes]) -> list[str]:
    """The paragraphs of a DOCX body in order, automatic list numbers written out."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    document = Document(stream)
    numbering = _Numbering(document)
    out: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text
        label = numbering.label(paragraph)
        if label and text.strip():
            text = f"{label} {text.strip()}"
        out.extend(text.split("\n"))
    return out


def parse_docx(source: bytes | IO[bytes]) -> list[ParsedSection]:
    return parse_paragraphs(paragraphs_from_docx(source))


def parse_text(text: str) -> list[ParsedSection]:
    return parse_paragraphs(text.splitlines())
