"""Plan 5793/KH-UBND as structured data.

:func:`parse_plan_text` turns the plan's text (as published, in ``../shared/seed/``) into its
parts: number and date, title, purposes (section I), the seven task groups with their items
(section II) and the duties of section III. The result is committed as
``plans/data/plan_5793.json`` so that a fresh clone has it; a test checks that the JSON is what the
parser makes of the text whenever the text is at hand.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "plan_5793.json"
SEED_TEXT = (
    Path(__file__).resolve().parents[4] / "shared" / "seed" / "ke-hoach-5793-KH-UBND-2013.txt"
)

_ROMAN = re.compile(r"^(I|II|III|IV|V)\.\s+(.*)$")
_NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")
_DATE = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})")


def _short(text: str, limit: int = 160) -> str:
    text = text.rstrip(":;.")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return f"{cut}…"


def parse_plan_text(text: str) -> dict[str, Any]:
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not set(line) <= {"-"}]
    symbol = next(line.split(":", 1)[1].strip() for line in lines if line.startswith("Số:"))
    dated = next(_DATE.search(line) for line in lines if _DATE.search(line) and "Bến Tre," in line)
    assert dated is not None
    issued_on = date(int(dated.group(3)), int(dated.group(2)), int(dated.group(1)))
    start = lines.index("KẾ HOẠCH")
    title = lines[start + 1]
    intro = lines[start + 2]
    plan: dict[str, Any] = {
        "symbol": symbol,
        "issued_on": issued_on.isoformat(),
        "agency": "Ủy ban nhân dân tỉnh Bến Tre",
        "title": title,
        "intro": intro,
        "purposes": [],
        "groups": [],
        "duties": [],
        "closing": "",
    }
    section = ""
    for line in lines[start + 3 :]:
        roman = _ROMAN.match(line)
        if roman:
            section = roman.group(1)
            continue
        numbered = _NUMBERED.match(line)
        if section == "I" and numbered:
            plan["purposes"].append(numbered.group(2))
        elif section == "II" and numbered:
            plan["groups"].append(
                {
                    "code": f"II.{numbered.group(1)}",
                    "title": numbered.group(2).rstrip(":"),
                    "items": [],
                }
            )
        elif section == "II" and line.startswith("- "):
            group = plan["groups"][-1]
            text_ = line[2:].strip()
            group["items"].append(
                {
                    "code": f"{group['code']}.{len(group['items']) + 1}",
                    "title": _short(text_),
                    "text": text_,
                }
            )
        elif section == "III" and numbered:
            duty = {"code": f"III.{numbered.group(1)}", "text": numbered.group(2)}
            deadline = re.search(r"trước ngày (\d{2}) tháng (\d{2}) năm (\d{4})", duty["text"])
            if deadline:
                duty["subplans_due_before"] = date(
                    int(deadline.group(3)), int(deadline.group(2)), int(deadline.group(1))
                ).isoformat()
            plan["duties"].append(duty)
        elif section == "III" and line.startswith("Trên đây"):
            plan["closing"] = line
    return plan


def load_plan_data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def write_plan_data() -> None:  # pragma: no cover - used once, by hand, when the seed changes
    DATA.parent.mkdir(exist_ok=True)
    data = parse_plan_text(SEED_TEXT.read_text(encoding="utf-8"))
    DATA.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
