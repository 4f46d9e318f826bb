"""``danvan api_endpoints``: the API's endpoints as a Markdown table (for docs/api.md), read from
the OpenAPI document the code generates."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


def endpoint_rows() -> list[tuple[str, str, str, str]]:
    from danvan.config.api import api

    schema = api.get_openapi_schema()
    rows = []
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            tag = (op.get("tags") or [""])[0]
            rows.append((tag, method.upper(), path, op.get("summary", "")))
    return sorted(rows)


class Command(BaseCommand):
    help = "In bảng các điểm cuối API (Markdown). Print the API's endpoints as Markdown."

    def handle(self, *args: Any, **options: Any) -> None:
        current = None
        for tag, method, path, summary in endpoint_rows():
            if tag != current:
                self.stdout.write(f"\n### {tag}\n\n| method | path | summary |\n|---|---|---|")
                current = tag
            self.stdout.write(f"| {method} | `{path}` | {summary} |")
