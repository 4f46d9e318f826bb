"""Fixtures of the one-stop shop tests: a catalogue, dossiers in every state, a frozen clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from danvan.core.calendar import TZ
from danvan.onestop import services
from danvan.onestop.models import Dossier, Procedure, ProcedureField
from danvan.onestop.services import ApplicantIn, DocumentIn, DocumentSpec
from danvan.org.models import Agency
from tests.permissions import fresh
from tests.world import World

DOCS = [
    DocumentSpec("Tờ khai đăng ký khai sinh", 1, 0),
    DocumentSpec("Giấy chứng sinh", 1, 0),
    DocumentSpec("Giấy chứng nhận kết hôn của cha mẹ", 0, 1, required=False),
]
APPLICANT = ApplicantIn(
    name="Nguyễn Thị Hoa", phone="0912 345 678", address="Ấp 3, xã An Hòa", id_number="083190001234"
)


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def reseed_deadline_rules() -> None:
    """Put back the deadline rules that migrations seed: a transactional test (browser, worker)
    starts after another one has flushed the database, rules included."""
    import importlib

    from django.apps import apps

    for module in (
        "danvan.core.migrations.0004_seed_deadline_rules",
        "danvan.onestop.migrations.0002_deadline_rules",
    ):
        importlib.import_module(module).seed(apps, None)


@pytest.fixture
def deadline_rules(db: Any) -> None:
    reseed_deadline_rules()


@pytest.fixture
def clock() -> Iterator[Callable[[datetime], None]]:
    """``clock(moment)`` moves the (frozen) time to ``moment``."""
    traveller: list[Any] = []

    def move(moment: datetime) -> None:
        if traveller:
            traveller.pop().stop()
        t = time_machine.travel(moment, tick=False)
        t.start()
        traveller.append(t)

    yield move
    if traveller:
        traveller.pop().stop()


@pytest.fixture
def field(db: Any) -> ProcedureField:
    return ProcedureField.objects.create(code="HT", name="Hộ tịch")


@pytest.fixture
def procedure(world: World, field: ProcedureField) -> Procedure:
    """A district-level procedure with no single agency: every district People's Committee
    receives it (UBND huyện A and B of the test world), 5 working days."""
    proc, _ = services.procedure_save(
        actor=None,
        code="1.001193",
        name="Đăng ký khai sinh có yếu tố nước ngoài",
        field=field,
        level="district",
        processing_amount=Decimal(5),
        fee_text="75.000 đồng",
        fee_amount=75000,
        legal_basis="Luật Hộ tịch 2014",
        documents=DOCS,
        online="partial",
    )
    return proc


def handed(procedure: Procedure, *, complete: bool = True) -> list[DocumentIn]:
    docs = list(procedure.documents.filter(required=True))
    if not complete:
        docs = docs[:1]
    return [DocumentIn(document_id=d.pk) for d in docs]


def receive(
    world: World,
    procedure: Procedure,
    *,
    complete: bool = True,
    role: str = "front_desk",
    **kw: Any,
) -> Dossier:
    return services.dossier_receive(
        actor=fresh(world.user(role)),
        procedure=procedure,
        applicant=kw.pop("applicant", APPLICANT),
        documents=kw.pop("documents", None) or handed(procedure, complete=complete),
        **kw,
    )


def make_dossier(
    agency: Agency, procedure: Procedure, status: str = "received", **extra: Any
) -> Dossier:
    """A dossier row straight in the database (for permission matrices on any agency)."""
    now = datetime.now(TZ)
    fields: dict[str, Any] = {
        "code": services.dossier_code_next(agency=agency, on=now.date()),
        "agency": agency,
        "procedure": procedure,
        "field_id": procedure.field_id,
        "status": status,
        "applicant_name": "Trần Văn Bình",
        "applicant_phone": "0987654321",
        "phone_last4": "4321",
        "applicant_address": "Khóm 1",
        "processing_amount": procedure.processing_amount,
        "processing_unit": procedure.processing_unit,
        "received_at": now,
        "accepted_at": now,
        "due_at": now.replace(year=now.year + 1),
        "appointment_at": now.replace(year=now.year + 1),
    }
    fields.update(extra)
    return Dossier.objects.create(**fields)
