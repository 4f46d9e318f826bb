"""Fixtures of the feedback tests: routing rules in the test province, a way to submit feedback
through the real service, real image and PDF files, and the outbox."""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from danvan.core.models import OutboxMessage
from danvan.feedback import services
from danvan.feedback.models import Category, Feedback, RoutingRule
from danvan.org.models import Agency
from tests.world import World

TZ_OFFSET = "+07:00"


def png_bytes(color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (24, 24), color).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (24, 24), (30, 30, 200)).save(out, "JPEG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def ensure_deadline_rules() -> None:
    """The versioned deadline rules come from a data migration; a transactional test empties
    the database after itself, so the next one seeds them again."""
    from django.apps import apps

    from danvan.core.models import DeadlineRule

    if not DeadlineRule.objects.filter(key__startswith="feedback.").exists():
        seed = importlib.import_module("danvan.core.migrations.0004_seed_deadline_rules")
        seed.seed(apps, None)


@pytest.fixture
def rules(world: World) -> dict[str, RoutingRule]:
    """Local problems go to the district (and to commune A1's own committee); regulations to the
    Department of Justice; anything else to the province's office."""
    ensure_deadline_rules()
    u, a = world.units, world.agencies
    return {
        "local_a": RoutingRule.objects.create(
            category=Category.LOCAL, unit=u["a"], agency=a["pc_a"]
        ),
        "local_a1": RoutingRule.objects.create(
            category=Category.LOCAL, unit=u["a1"], agency=a["pc_a1"]
        ),
        "any_b": RoutingRule.objects.create(category="", unit=u["b"], agency=a["pc_b"]),
        "regulation": RoutingRule.objects.create(
            category=Category.REGULATION, unit=None, agency=a["justice"]
        ),
        "any": RoutingRule.objects.create(category="", unit=None, agency=a["office"]),
    }


def submission(**overrides: Any) -> services.Submission:
    fields: dict[str, Any] = {
        "category": Category.INITIATIVE,
        "title": "Đề xuất làm đường cho xe lăn ở bộ phận một cửa",
        "content": "Bộ phận một cửa chưa có lối đi cho người khuyết tật, đề nghị làm đường dốc.",
    }
    fields.update(overrides)
    return services.Submission(**fields)


Submit = Callable[..., Feedback]


@pytest.fixture
def submit(world: World, rules: dict[str, RoutingRule]) -> Submit:
    """Submit through the service, as a citizen (anonymous) would."""

    def _submit(
        *,
        uploads: list[Any] | None = None,
        ip: str | None = None,
        received_at: datetime | None = None,
        **fields: Any,
    ) -> Feedback:
        return services.feedback_submit(
            actor=world.user("anonymous"),
            data=submission(**fields),
            uploads=uploads or [],
            ip=ip,
            received_at=received_at,
        )

    return _submit


def item_in(submit: Submit, agency: Agency, **fields: Any) -> Feedback:
    """An item held by ``agency`` (submitted, then placed there as by an earlier routing)."""
    item = submit(**fields)
    Feedback.objects.filter(pk=item.pk).update(agency=agency)
    item.refresh_from_db()
    return item


def run_worker() -> None:
    call_command("worker", batch=True, interval=0, verbosity=0)


def outbox(channel: str | None = None) -> list[OutboxMessage]:
    qs = OutboxMessage.objects.order_by("pk")
    if channel:
        qs = qs.filter(channel=channel)
    return list(qs)
