"""Background work: returned one-stop dossiers get a one-time survey link by SMS, through the
scheduler and the real task worker; abuse-limit hashes are forgotten."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from danvan.core import scheduling
from danvan.core.models import OutboxMessage, OutboxStatus
from danvan.onestop import services as onestop_services
from danvan.onestop.models import ProcedureField
from danvan.surveys import services
from danvan.surveys.models import Invitation, Response
from danvan.surveys.tasks import DOSSIER_SUBJECT, invite_returned
from tests.onestop.conftest import make_dossier
from tests.surveys.conftest import GOOD, build_questionnaire, open_campaign
from tests.world import World


def _procedure() -> object:
    field = ProcedureField.objects.create(code="HT", name="Hộ tịch")
    procedure, _ = onestop_services.procedure_save(
        actor=None,
        code="1.000656",
        name="Đăng ký khai sinh",
        field=field,
        level="district",
        processing_amount=Decimal(3),
        fee_text="Miễn phí",
        fee_amount=0,
        legal_basis="Luật Hộ tịch 2014",
        documents=[onestop_services.DocumentSpec("Tờ khai", 1, 0)],
        online="partial",
    )
    return procedure


def _returned(world: World, procedure: object, key: str, hours_ago: int, **extra: object) -> object:
    now = timezone.now()
    return make_dossier(
        world.agencies[key],
        procedure,  # type: ignore[arg-type]
        status="returned",
        returned_at=now - timedelta(hours=hours_ago),
        finished_at=now - timedelta(hours=hours_ago),
        **extra,
    )


def test_returned_dossiers_are_invited_once(world: World) -> None:
    questionnaire = build_questionnaire(world.user("home_affairs"))
    open_campaign(world, questionnaire, populations={"pc_a": 100})
    procedure = _procedure()
    returned = _returned(world, procedure, "pc_a", 2, applicant_email="hoa@example.vn")
    _returned(world, procedure, "pc_a", 24 * 10)  # too long ago
    _returned(world, procedure, "pc_b", 2)  # no campaign for that agency
    make_dossier(world.agencies["pc_a"], procedure, status="processing")  # not returned
    assert invite_returned() == 1
    invitation = Invitation.objects.get()
    assert (invitation.subject_type, invitation.subject_id, invitation.field) == (
        DOSSIER_SUBJECT,
        str(returned.pk),
        "Hộ tịch",  # type: ignore[attr-defined]
    )
    assert invitation.created_by is None
    assert sorted(OutboxMessage.objects.values_list("channel", "recipient")) == [
        ("email", "hoa@example.vn"),
        ("sms", "0987654321"),
    ]
    assert invite_returned() == 0  # already invited


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_and_the_worker_send_the_links_and_forget_hashes(world: World) -> None:
    questionnaire = build_questionnaire(world.user("home_affairs"))
    open_campaign(world, questionnaire, populations={"pc_a": 100})
    _returned(world, _procedure(), "pc_a", 1)
    old = services.response_submit_public(
        agency=world.agencies["pc_a"],
        answers=GOOD,
        client_ip="192.0.2.1",
        now=timezone.now() - timedelta(days=2),
    )
    started = scheduling.run_due_jobs()
    assert {"surveys.invite_returned_dossiers", "surveys.forget_sources"} <= set(started)
    call_command("worker", batch=True, interval=0, verbosity=0)
    assert Invitation.objects.count() == 1
    sms = OutboxMessage.objects.get(channel="sms")
    assert sms.status == OutboxStatus.SENT, sms.last_error
    assert "/khao-sat/phieu/" in sms.body
    # the abuse-limit hash of the response of two days ago is forgotten
    old.refresh_from_db()
    assert old.source_hash == ""
    # the citizen follows the link from the message
    token = sms.body.split("/khao-sat/phieu/")[1].split("/")[0]
    response = services.response_submit_by_token(token=token, answers=GOOD)
    assert response.channel == "invitation"
    assert Response.objects.filter(channel="invitation").get() == response
