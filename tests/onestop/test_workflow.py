"""The dossier workflow, one service per step: receipts and appointment dates from the calendar
(Tết, a swapped Saturday, the after-15:00 rule), the once-only supplement, refusals, hand-overs,
the 3-working-day return, pauses, the once-only apology and its deadline, resolve / return /
withdraw, and every refused transition."""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal
from typing import Any

import pytest

from danvan.core.calendar import TZ
from danvan.core.errors import (
    InvalidTransition,
    PermissionDeniedError,
    ValidationFailed,
)
from danvan.core.models import AuditRecord, CalendarException, DeadlineUnit, OutboxMessage
from danvan.onestop import services
from danvan.onestop.models import (
    Dossier,
    DossierCounter,
    Procedure,
    Receipt,
    Status,
    SupplementRequest,
    Timeliness,
)
from danvan.onestop.services import ALLOWED_FROM, ApplicantIn, DocumentIn
from tests.onestop.conftest import at, handed, make_dossier, receive
from tests.permissions import fresh
from tests.world import World

pytestmark = pytest.mark.django_db


def audit_actions(dossier: Dossier) -> list[str]:
    return list(
        AuditRecord.objects.filter(object_type="onestop.dossier", object_id=str(dossier.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def as_role(world: World, role: str) -> Any:
    return fresh(world.user(role))


def with_days(
    procedure: Procedure, amount: int, unit: str = DeadlineUnit.WORKING_DAYS
) -> Procedure:
    procedure.processing_amount = Decimal(amount)
    procedure.processing_unit = unit
    procedure.save()
    return procedure


# --- receiving ---------------------------------------------------------------------------------
def test_complete_dossier_gets_a_receipt_with_code_and_appointment(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 16, 9))
    dossier = receive(world, procedure)
    assert dossier.status == Status.RECEIVED
    assert re.fullmatch(r"UBND-A-261116-\d{4}", dossier.code)
    assert dossier.code.endswith("-0001")
    assert dossier.due_at == dossier.appointment_at == at(2026, 11, 23, 9)
    receipt = Receipt.objects.get(dossier=dossier)
    assert receipt.appointment_at == dossier.due_at
    assert receipt.symbol.endswith("/PTN-UBND")
    assert dossier.phone_last4 == "5678"
    assert dossier.applicant_phone == "0912345678"
    assert dossier.applicant_id_number == "083190001234"
    assert "083190001234" not in dossier.applicant_id_encrypted
    assert audit_actions(dossier) == ["onestop.dossier_receive"]
    sms = OutboxMessage.objects.get(channel="sms", object_id=str(dossier.pk))
    assert sms.recipient == "0912345678"
    assert dossier.code in sms.body and "23/11/2026" in sms.body


def test_codes_follow_one_sequence_per_agency_per_day(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 16, 9))
    first, second = receive(world, procedure), receive(world, procedure)
    other = make_dossier(world.other, procedure)
    clock(at(2026, 11, 17, 9))
    next_day = receive(world, procedure)
    assert [first.code, second.code, next_day.code] == [
        "UBND-A-261116-0001",
        "UBND-A-261116-0002",
        "UBND-A-261117-0001",
    ]
    assert other.code.startswith("UBND-B-") and other.code.endswith("-0001")
    assert (
        DossierCounter.objects.get(agency=world.own("front_desk"), day="2026-11-16").last_number
        == 2
    )


def test_appointment_date_steps_over_tet(world: World, procedure: Procedure, clock: Any) -> None:
    # Thursday 12/02/2026 + 5 working days: Fri 13/02, (Tết 16-20/02), 23, 24, 25, 26/02
    clock(at(2026, 2, 12, 9))
    dossier = receive(world, procedure)
    assert dossier.appointment_at == at(2026, 2, 26, 9)


def test_appointment_date_counts_a_swapped_saturday(
    world: World, procedure: Procedure, clock: Any
) -> None:
    # Saturday 22/08/2026 is worked (swapped for Monday 31/08)
    with_days(procedure, 1)
    clock(at(2026, 8, 21, 10))
    assert receive(world, procedure).appointment_at == at(2026, 8, 22, 10)
    # Friday 28/08 + 1: Monday 31/08 off (the swap), 1-2/09 National Day → Thursday 03/09
    clock(at(2026, 8, 28, 10))
    assert receive(world, procedure).appointment_at == at(2026, 9, 3, 10)


def test_an_administrators_day_off_moves_the_appointment(
    world: World, procedure: Procedure, clock: Any
) -> None:
    with_days(procedure, 1)
    CalendarException.objects.create(day="2026-11-17", is_working_day=False, name="Nghỉ bão")
    clock(at(2026, 11, 16, 10))
    assert receive(world, procedure).appointment_at == at(2026, 11, 18, 10)


def test_after_15_00_the_clock_starts_next_working_day(
    world: World, procedure: Procedure, clock: Any
) -> None:
    with_days(procedure, 1)
    clock(at(2026, 11, 16, 15, 30))  # Monday 15:30
    dossier = receive(world, procedure)
    assert dossier.clock_started_at == at(2026, 11, 17, 7, 30)
    assert dossier.appointment_at == at(2026, 11, 18, 7, 30)


def test_without_the_cutoff_setting_the_clock_starts_at_once(
    world: World, procedure: Procedure, clock: Any
) -> None:
    agency = world.own("front_desk")
    agency.after_hours_cutoff = None
    agency.save()
    with_days(procedure, 1)
    clock(at(2026, 11, 16, 15, 30))
    dossier = receive(world, procedure)
    assert dossier.appointment_at == at(2026, 11, 17, 15, 30)


def test_processing_time_in_working_hours(world: World, procedure: Procedure, clock: Any) -> None:
    with_days(procedure, 4, DeadlineUnit.WORKING_HOURS)
    clock(at(2026, 11, 16, 10))  # 10:00-11:30 (1.5 h) + 13:30-16:00 (2.5 h)
    assert receive(world, procedure).appointment_at == at(2026, 11, 16, 16)


def test_incomplete_dossier_waits_without_a_receipt(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 16, 9))
    dossier = receive(world, procedure, complete=False)
    assert dossier.status == Status.NEW
    assert [m["name"] for m in dossier.missing] == ["Giấy chứng sinh"]
    assert dossier.due_at is None and not dossier.receipts.exists()


def test_documents_match_by_name_without_diacritics(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 16, 9))
    dossier = receive(
        world,
        procedure,
        documents=[
            DocumentIn(name="to khai dang ky khai sinh"),
            DocumentIn(name="GIẤY CHỨNG SINH"),
        ],
    )
    assert dossier.status == Status.RECEIVED


def test_a_procedure_of_another_agency_is_not_received_here(
    world: World, procedure: Procedure, clock: Any
) -> None:
    procedure.agency = world.agencies["justice"]
    procedure.save()
    with pytest.raises(ValidationFailed, match="thuộc thẩm quyền của Sở Tư pháp"):
        receive(world, procedure)


def test_a_commune_procedure_is_not_received_at_a_district(
    world: World, procedure: Procedure
) -> None:
    procedure.level = "commune"
    procedure.save()
    with pytest.raises(ValidationFailed, match="Cấp xã"):
        receive(world, procedure)


def test_a_wrong_phone_number_is_refused(world: World, procedure: Procedure) -> None:
    bad = ApplicantIn(name="A", phone="12345", address="B")
    with pytest.raises(ValidationFailed, match="Số điện thoại không hợp lệ"):
        receive(world, procedure, applicant=bad)


def test_back_dating_needs_the_permission_and_is_audited(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 18, 9))
    with pytest.raises(PermissionDeniedError, match="lùi ngày"):
        receive(world, procedure, received_at=at(2026, 11, 16, 9))
    dossier = receive(world, procedure, role="head", received_at=at(2026, 11, 16, 9))
    assert dossier.backdated and dossier.code.startswith("UBND-A-261116-")
    assert dossier.appointment_at == at(2026, 11, 23, 9)
    record = AuditRecord.objects.get(action="onestop.dossier_receive", object_id=str(dossier.pk))
    assert record.data["backdated"] is True
    assert record.data["entered_at"].startswith("2026-11-18")


def test_received_at_in_the_future_is_refused(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 16, 9))
    with pytest.raises(ValidationFailed, match="tương lai"):
        receive(world, procedure, role="head", received_at=at(2026, 11, 17, 9))


# --- supplement (once) and refusal -------------------------------------------------------------
def test_supplement_request_is_once_only(world: World, procedure: Procedure, clock: Any) -> None:
    clock(at(2026, 11, 16, 9))
    dossier = receive(world, procedure, complete=False)
    request = services.dossier_request_supplement(
        actor=as_role(world, "front_desk"), dossier=dossier
    )
    assert request.items == ["Giấy chứng sinh"]
    assert dossier.status == Status.SUPPLEMENT
    # the citizen brings a document, but still not the right one
    services.dossier_supplement(
        actor=as_role(world, "front_desk"),
        dossier=dossier,
        documents=[DocumentIn(name="Sổ hộ khẩu")],
    )
    assert dossier.status == Status.NEW
    with pytest.raises(InvalidTransition) as exc:
        services.dossier_request_supplement(actor=as_role(world, "front_desk"), dossier=dossier)
    assert exc.value.status == 409
    assert "chỉ được thực hiện một lần" in exc.value.message
    assert SupplementRequest.objects.filter(dossier=dossier).count() == 1
    refusal = services.dossier_refuse(
        actor=as_role(world, "front_desk"),
        dossier=dossier,
        reasons="Không bổ sung Giấy chứng sinh.",
    )
    assert dossier.status == Status.NOT_RECEIVED and refusal.reasons.startswith("Không bổ sung")
    assert audit_actions(dossier) == [
        "onestop.dossier_receive",
        "onestop.dossier_request_supplement",
        "onestop.dossier_supplement",
        "onestop.dossier_refuse",
    ]


def test_completed_supplement_issues_the_receipt_and_starts_the_clock(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 16, 9))
    dossier = receive(world, procedure, complete=False)
    services.dossier_request_supplement(actor=as_role(world, "front_desk"), dossier=dossier)
    clock(at(2026, 11, 18, 14))
    services.dossier_supplement(
        actor=as_role(world, "front_desk"), dossier=dossier, documents=handed(procedure)
    )
    assert dossier.status == Status.RECEIVED
    assert dossier.accepted_at == at(2026, 11, 18, 14)
    # 5 working days from Wednesday 18/11: 19, 20, 23, (24/11 Vietnamese Culture Day), 25, 26
    assert dossier.appointment_at == at(2026, 11, 26, 14)
    assert dossier.receipts.count() == 1


def test_refusal_needs_reasons(world: World, procedure: Procedure) -> None:
    dossier = receive(world, procedure, complete=False)
    with pytest.raises(ValidationFailed, match="lý do"):
        services.dossier_refuse(actor=as_role(world, "front_desk"), dossier=dossier, reasons="  ")


# --- hand-overs --------------------------------------------------------------------------------
def test_forward_records_each_handover_with_its_due_time_and_result(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 16, 9))
    dossier = receive(world, procedure)
    services.dossier_forward(
        actor=as_role(world, "front_desk"),
        dossier=dossier,
        to_user=world.user("handler"),
        due_at=at(2026, 11, 19, 17),
        step="Chuyển phòng Tư pháp thẩm định",
    )
    assert dossier.status == Status.PROCESSING and dossier.handler == world.user("handler")
    clock(at(2026, 11, 20, 9))  # the step was due 19/11: late
    services.dossier_forward(
        actor=as_role(world, "handler"),
        dossier=dossier,
        to_user=world.user("head"),
        step="Trình ký",
    )
    clock(at(2026, 11, 20, 10))
    services.dossier_resolve(actor=as_role(world, "head"), dossier=dossier)
    steps = list(dossier.handovers.order_by("handed_at", "pk").values_list("step", "timeliness"))
    assert steps == [
        ("Chuyển phòng Tư pháp thẩm định", Timeliness.LATE),
        ("Trình ký", Timeliness.EARLY),
        ("Chuyển kết quả về Bộ phận Một cửa", ""),
    ]
    clock(at(2026, 11, 20, 14))
    services.dossier_return_result(actor=as_role(world, "front_desk"), dossier=dossier)
    assert dossier.handovers.filter(timeliness="").count() == 0


def test_a_handover_may_not_be_due_after_the_dossier(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 16, 9))
    dossier = receive(world, procedure)
    with pytest.raises(ValidationFailed, match="không được sau hạn giải quyết"):
        services.dossier_forward(
            actor=as_role(world, "front_desk"), dossier=dossier, due_at=at(2026, 11, 24, 9)
        )


def test_a_handover_to_a_person_of_another_agency_is_refused(
    world: World, procedure: Procedure
) -> None:
    dossier = receive(world, procedure)
    with pytest.raises(ValidationFailed, match="không phải cán bộ"):
        services.dossier_forward(
            actor=as_role(world, "front_desk"),
            dossier=dossier,
            to_agency=world.agencies["justice"],
            to_user=world.user("handler"),
        )


# --- sent back as insufficient, within 3 working days ------------------------------------------
def _forwarded(world: World, procedure: Procedure, clock: Any, moment: Any) -> Dossier:
    clock(moment)
    dossier = receive(world, procedure)
    services.dossier_forward(
        actor=as_role(world, "front_desk"), dossier=dossier, to_user=world.user("handler")
    )
    return dossier


def test_insufficient_within_3_working_days_and_the_clock_restarts(
    world: World, procedure: Procedure, clock: Any
) -> None:
    dossier = _forwarded(world, procedure, clock, at(2026, 11, 13, 9))  # Friday
    clock(at(2026, 11, 18, 8, 59))  # Wednesday: 3 working days end at 09:00
    services.dossier_return_insufficient(
        actor=as_role(world, "handler"), dossier=dossier, reason="Thiếu xác nhận cư trú"
    )
    assert dossier.status == Status.SUPPLEMENT
    clock(at(2026, 11, 23, 10))
    services.dossier_supplement(
        actor=as_role(world, "front_desk"),
        dossier=dossier,
        documents=[DocumentIn(name="Xác nhận cư trú")],
    )
    assert dossier.status == Status.PROCESSING
    # 5 working days from the complete dossier (24/11 is a holiday): 25, 26, 27, 30/11, 01/12
    assert dossier.due_at == at(2026, 12, 1, 10)
    assert dossier.receipts.count() == 2
    with pytest.raises(InvalidTransition, match="một lần"):
        services.dossier_return_insufficient(
            actor=as_role(world, "handler"), dossier=dossier, reason="Lại thiếu"
        )


def test_insufficient_after_3_working_days_is_refused(
    world: World, procedure: Procedure, clock: Any
) -> None:
    dossier = _forwarded(world, procedure, clock, at(2026, 11, 13, 9))
    clock(at(2026, 11, 18, 9, 1))
    with pytest.raises(InvalidTransition, match="quá thời hạn 3 ngày làm việc") as exc:
        services.dossier_return_insufficient(
            actor=as_role(world, "handler"), dossier=dossier, reason="Thiếu"
        )
    assert exc.value.status == 409


def test_only_the_handling_agency_returns_as_insufficient(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 16, 9))
    dossier = receive(world, procedure)
    services.dossier_forward(
        actor=as_role(world, "front_desk"), dossier=dossier, to_agency=world.agencies["justice"]
    )
    with pytest.raises(PermissionDeniedError):
        services.dossier_return_insufficient(
            actor=as_role(world, "handler"), dossier=dossier, reason="x"
        )


# --- pauses ------------------------------------------------------------------------------------
def test_financial_obligation_stops_the_clock(
    world: World, procedure: Procedure, clock: Any
) -> None:
    dossier = _forwarded(world, procedure, clock, at(2026, 11, 16, 9))
    assert dossier.due_at == at(2026, 11, 23, 9)
    clock(at(2026, 11, 17, 10))
    services.dossier_await_payment(
        actor=as_role(world, "handler"), dossier=dossier, note="Nộp lệ phí trước bạ"
    )
    assert dossier.status == Status.AWAITING_PAYMENT
    clock(at(2026, 11, 20, 10))  # 3 working days later
    services.dossier_payment_done(actor=as_role(world, "handler"), dossier=dossier)
    assert dossier.status == Status.PROCESSING
    # 3 working days paused (18, 19, 20/11) move Monday 23/11 to 25, 26, 27/11 (24/11 is off)
    assert dossier.due_at == dossier.appointment_at == at(2026, 11, 27, 9)


def test_suspend_and_resume(world: World, procedure: Procedure, clock: Any) -> None:
    dossier = _forwarded(world, procedure, clock, at(2026, 11, 16, 9))
    services.dossier_suspend(
        actor=as_role(world, "head"), dossier=dossier, reason="Chờ kết quả giám định"
    )
    assert dossier.status == Status.SUSPENDED
    clock(at(2026, 11, 17, 9))
    services.dossier_resume(actor=as_role(world, "head"), dossier=dossier)
    assert dossier.status == Status.PROCESSING and dossier.due_at == at(2026, 11, 25, 9)
    with pytest.raises(ValidationFailed):
        services.dossier_suspend(actor=as_role(world, "head"), dossier=dossier, reason="")


# --- apology: once, at least 1 working day before the due date ---------------------------------
def test_apology_moves_the_date_once_and_tells_the_citizen(
    world: World, procedure: Procedure, clock: Any
) -> None:
    dossier = _forwarded(world, procedure, clock, at(2026, 11, 16, 9))  # due Monday 23/11 09:00
    assert services.apology_deadline(dossier) == at(2026, 11, 20, 9)
    clock(at(2026, 11, 20, 8))
    apology = services.dossier_apologise(
        actor=as_role(world, "handler"),
        dossier=dossier,
        reason="Chờ xác minh",
        new_due_at=at(2026, 11, 27, 9),
    )
    assert apology.in_time is True
    assert apology.previous_due_at == at(2026, 11, 23, 9)
    assert dossier.appointment_at == at(2026, 11, 27, 9)
    assert dossier.due_at == at(2026, 11, 23, 9)  # the legal due date does not move
    assert apology.symbol.endswith("/UBND")
    sms = OutboxMessage.objects.filter(channel="sms", object_id=str(dossier.pk)).latest("pk")
    assert "xin lỗi" in sms.body and "27/11/2026" in sms.body
    with pytest.raises(InvalidTransition, match="chỉ được thay đổi một lần") as exc:
        services.dossier_apologise(
            actor=as_role(world, "head"),
            dossier=dossier,
            reason="Lần nữa",
            new_due_at=at(2026, 12, 4, 9),
        )
    assert exc.value.status == 409
    # resolved after the legal due date: late, even with the apology
    clock(at(2026, 11, 26, 9))
    services.dossier_resolve(actor=as_role(world, "handler"), dossier=dossier)
    assert dossier.timeliness == Timeliness.LATE


def test_an_apology_less_than_one_working_day_before_is_recorded_as_late(
    world: World, procedure: Procedure, clock: Any
) -> None:
    dossier = _forwarded(world, procedure, clock, at(2026, 11, 16, 9))
    clock(at(2026, 11, 20, 9, 1))  # after Friday 09:00: less than 1 working day before Monday 09:00
    apology = services.dossier_apologise(
        actor=as_role(world, "handler"),
        dossier=dossier,
        reason="Chậm",
        new_due_at=at(2026, 11, 27, 9),
    )
    assert apology.in_time is False


def test_the_new_date_must_be_later_and_a_working_day(
    world: World, procedure: Procedure, clock: Any
) -> None:
    dossier = _forwarded(world, procedure, clock, at(2026, 11, 16, 9))
    with pytest.raises(ValidationFailed, match="phải sau ngày hẹn hiện tại"):
        services.dossier_apologise(
            actor=as_role(world, "handler"),
            dossier=dossier,
            reason="x",
            new_due_at=at(2026, 11, 23, 9),
        )
    with pytest.raises(ValidationFailed, match="không phải ngày làm việc"):
        services.dossier_apologise(
            actor=as_role(world, "handler"),
            dossier=dossier,
            reason="x",
            new_due_at=at(2026, 11, 29, 9),
        )
    assert dossier.apology_count == 0


def test_late_without_apology_is_derived_in_one_place(
    world: World, procedure: Procedure, clock: Any
) -> None:
    from danvan.core.calendar import get_calendar

    dossier = _forwarded(world, procedure, clock, at(2026, 11, 16, 9))
    moments = [at(2026, 11, 18, 9), at(2026, 11, 20, 16), at(2026, 11, 23, 9, 30)]
    expected = ["in_time", "due_soon", "overdue"]
    for moment, state in zip(moments, expected, strict=True):
        cal = get_calendar()
        assert dossier.deadline_state(moment, cal) == state
        qs = Dossier.objects.filter(pk=dossier.pk)
        assert qs.overdue(moment).exists() is (state == "overdue")
        assert qs.due_soon(moment, cal).exists() is (state == "due_soon")
        assert qs.late_without_apology(moment).exists() is (state == "overdue")
        assert dossier.late_without_apology(moment) is (state == "overdue")


# --- resolve, return, withdraw -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("resolved", "expected"),
    [
        (at(2026, 11, 20, 16), Timeliness.EARLY),
        (at(2026, 11, 23, 8, 59), Timeliness.ON_TIME),
        (at(2026, 11, 23, 9, 1), Timeliness.LATE),
    ],
)
def test_resolve_fixes_timeliness_against_the_due_time(
    world: World, procedure: Procedure, clock: Any, resolved: Any, expected: str
) -> None:
    dossier = _forwarded(world, procedure, clock, at(2026, 11, 16, 9))
    clock(resolved)
    services.dossier_resolve(actor=as_role(world, "handler"), dossier=dossier)
    assert dossier.status == Status.RESOLVED and dossier.timeliness == expected


def test_a_denial_needs_its_reasons(world: World, procedure: Procedure) -> None:
    dossier = receive(world, procedure)
    with pytest.raises(ValidationFailed):
        services.dossier_resolve(
            actor=as_role(world, "handler"), dossier=dossier, decision="denied"
        )


def test_full_journey_is_audited_step_by_step(
    world: World, procedure: Procedure, clock: Any
) -> None:
    dossier = _forwarded(world, procedure, clock, at(2026, 11, 16, 9))
    clock(at(2026, 11, 19, 9))
    services.dossier_resolve(actor=as_role(world, "handler"), dossier=dossier, note="Đã cấp")
    services.dossier_return_result(
        actor=as_role(world, "front_desk"), dossier=dossier, method="post"
    )
    assert dossier.status == Status.RETURNED and dossier.return_method == "post"
    assert audit_actions(dossier) == [
        "onestop.dossier_receive",
        "onestop.dossier_forward",
        "onestop.dossier_resolve",
        "onestop.dossier_return_result",
    ]
    kinds = list(dossier.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == ["submitted", "received", "forwarded", "resolved", "result_returned"]


@pytest.mark.parametrize(
    "status", [Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.SUSPENDED]
)
def test_withdraw_at_the_citizens_request(world: World, procedure: Procedure, status: str) -> None:
    dossier = make_dossier(
        world.own("front_desk"), procedure, status=status, handling_agency=world.own("front_desk")
    )
    services.dossier_withdraw(
        actor=as_role(world, "front_desk"), dossier=dossier, reason="Đơn xin rút"
    )
    assert dossier.status == Status.WITHDRAWN and dossier.finished_at is not None


# --- every refused transition ------------------------------------------------------------------
def _call(action: str, world: World, dossier: Dossier) -> None:
    fd, handler = as_role(world, "front_desk"), as_role(world, "handler")
    calls = {
        "request_supplement": lambda: services.dossier_request_supplement(
            actor=fd, dossier=dossier, items=["x"]
        ),
        "supplement": lambda: services.dossier_supplement(actor=fd, dossier=dossier, documents=[]),
        "refuse": lambda: services.dossier_refuse(actor=fd, dossier=dossier, reasons="x"),
        "forward": lambda: services.dossier_forward(actor=fd, dossier=dossier),
        "return_insufficient": lambda: services.dossier_return_insufficient(
            actor=handler, dossier=dossier, reason="x"
        ),
        "await_payment": lambda: services.dossier_await_payment(actor=handler, dossier=dossier),
        "payment_done": lambda: services.dossier_payment_done(actor=handler, dossier=dossier),
        "suspend": lambda: services.dossier_suspend(actor=handler, dossier=dossier, reason="x"),
        "resume": lambda: services.dossier_resume(actor=handler, dossier=dossier),
        "apologise": lambda: services.dossier_apologise(
            actor=handler, dossier=dossier, reason="x", new_due_at=at(2030, 1, 2, 9)
        ),
        "resolve": lambda: services.dossier_resolve(actor=handler, dossier=dossier),
        "return_result": lambda: services.dossier_return_result(actor=fd, dossier=dossier),
        "withdraw": lambda: services.dossier_withdraw(actor=fd, dossier=dossier),
        "rate": lambda: services.dossier_rate(dossier=dossier, score=5),
    }
    calls[action]()


@pytest.mark.parametrize("action", list(ALLOWED_FROM))
def test_every_transition_not_allowed_answers_409(
    world: World, procedure: Procedure, action: str
) -> None:
    """Each step, from every state it may not start from (all the refused transitions)."""
    agency = world.own("front_desk")
    refused_from = [s for s in Status.values if s not in ALLOWED_FROM[action]]
    assert refused_from
    for status in refused_from:
        dossier = make_dossier(agency, procedure, status=status, handling_agency=agency)
        with pytest.raises(InvalidTransition) as exc:
            _call(action, world, dossier)
        assert exc.value.status == 409, (action, status)
        assert "Không thể" in exc.value.message or "Chỉ đánh giá" in exc.value.message
        if action != "rate":
            label = str(Status(status).label)
            assert f"“{label}”" in exc.value.message, (action, status, exc.value.message)
        dossier.refresh_from_db()
        assert dossier.status == status
        assert not AuditRecord.objects.filter(
            object_type="onestop.dossier", object_id=str(dossier.pk)
        ).exists()


def test_rating_is_once_per_dossier(world: World, procedure: Procedure) -> None:
    dossier = make_dossier(world.own("front_desk"), procedure, status=Status.RETURNED)
    services.dossier_rate(dossier=dossier, score=5, comment="Cán bộ nhiệt tình")
    with pytest.raises(InvalidTransition, match="chỉ đánh giá một lần"):
        services.dossier_rate(dossier=dossier, score=1)
    with pytest.raises(ValidationFailed):
        services.dossier_rate(
            dossier=make_dossier(world.own("front_desk"), procedure, status=Status.RETURNED),
            score=9,
        )


def test_the_apology_reminder_warns_the_handler_once(
    world: World, procedure: Procedure, clock: Any
) -> None:
    handler = world.user("handler")
    handler.email = "thuly@example.vn"
    handler.save()
    dossier = _forwarded(world, procedure, clock, at(2026, 11, 16, 9))  # due Monday 23/11 09:00
    clock(at(2026, 11, 18, 9))
    assert services.apology_reminders_send() == 0  # due in 3 working days: not yet
    clock(at(2026, 11, 19, 10))
    assert services.apology_reminders_send() == 1
    mail = OutboxMessage.objects.get(channel="email", recipient="thuly@example.vn")
    assert dossier.code in mail.body and "20/11/2026" in mail.body
    assert services.apology_reminders_send() == 0  # once
    assert time(9) == dossier.due_at.astimezone(TZ).time()
