"""Browser tests: Playwright driving Debian's Chromium against the live server.

Every page a test visits goes through :func:`visit` or :func:`a11y`, which run axe-core in the
page and fail on serious or critical accessibility violations, and on any Content-Security-Policy
violation the page reported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE = (Path(__file__).parent / "axe.min.js").read_text()
PHONE = {"width": 360, "height": 740}

pytestmark = pytest.mark.e2e


class A11yFailure(AssertionError):
    pass


def a11y(page: Page) -> None:
    """Run axe-core on the current page; fail on serious or critical violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: our CSP (no inline scripts) stays on.
        page.evaluate(f"() => {{ {AXE}\n }}")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
    if bad:
        summary = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"][:5]],
            }
            for v in bad
        ]
        raise A11yFailure(f"{page.url}: {json.dumps(summary, ensure_ascii=False, indent=1)}")
    violations = page.evaluate("() => window.__cspViolations || []")
    if violations:
        raise A11yFailure(f"{page.url}: Content-Security-Policy violations: {violations}")


def visit(page: Page, url: str) -> None:
    page.goto(url)
    a11y(page)


CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


@pytest.fixture
def page(page: Page) -> Page:
    page.add_init_script(CSP_LISTENER)
    page.set_default_timeout(15000)
    return page


@pytest.fixture
def phone(page: Page) -> Page:
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def live(live_server: Any) -> str:
    return str(live_server.url)
