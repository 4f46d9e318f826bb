"""Every deadline variant against hand-computed dates (Law on Complaints, Law on Denunciations,
Circular 05/2021), with Tết in the way, rule versions switching on their effective date, and the
once/twice limits on extending a denunciation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from danvan.core.errors import ValidationFailed
from danvan.core.models import DeadlineRule
from danvan.petitions import services
from danvan.petitions.models import Complexity, DocKind, Status
from tests.petitions.conftest import at, file_petition
from tests.world import World

pytestmark = pytest.mark.django_db


def test_complaint_acceptance_deadline_switches_version_on_1_july_2026(world: World) -> None:
    # 10 working days until 30/06/2026: Tue 30/06 09:00 → Tue 14/07 09:00
    before = file_petition(world, received_at=at(2026, 6, 30))
    assert before.handling_due_at == at(2026, 7, 14)
    assert "10 ngày làm việc" in before.handling_basis
    # 7 working days from 01/07/2026 (Law 136/2025): Wed 01/07 09:00 → Fri 10/07 09:00
    after = file_petition(world, received_at=at(2026, 7, 1))
    assert after.handling_due_at == at(2026, 7, 10)
    assert "7 ngày làm việc" in after.handling_basis


def test_a_new_rule_version_applies_only_to_petitions_received_from_its_date(
    world: World, handler
) -> None:
    DeadlineRule.objects.create(
        key="petition.handling",
        variant="normal",
        amount=Decimal(5),
        unit="working_days",
        effective_from=date(2026, 9, 1),
        title="Xử lý đơn (thử)",
        legal_basis="thử nghiệm",
    )
    old = file_petition(world, kind="recommendation", received_at=at(2026, 8, 31))
    new = file_petition(world, kind="recommendation", received_at=at(2026, 9, 1))
    # Mon 31/08/2026 is a day off (swap for Sat 22/08), 01-02/09 National Day: both counts
    # start on Thu 03/09 at 07:30; the version is the one in force on the day of receipt.
    assert old.handling_due_at == at(2026, 9, 17, 7, 30)  # 10 WD: 04, 07-11, 14-17/09
    assert new.handling_due_at == at(2026, 9, 10, 7, 30)  # 5 WD: 04, 07-10/09


@pytest.mark.parametrize(
    ("complex_", "remote", "round_", "due"),
    [
        (False, False, 1, at(2026, 4, 1, 17)),  # 30 days
        (True, False, 1, at(2026, 4, 16, 17)),  # 45 days
        (False, True, 1, at(2026, 4, 16, 17)),  # 45 days
        (True, True, 1, at(2026, 5, 4, 17)),  # 60 days: 01/05 Labour Day → Mon 04/05
        (False, False, 2, at(2026, 4, 16, 17)),  # 45 days
        (True, False, 2, at(2026, 5, 4, 17)),  # 60 days
        (False, True, 2, at(2026, 5, 4, 17)),  # 60 days
        (True, True, 2, at(2026, 5, 11, 17)),  # 70 days
    ],
)
def test_complaint_resolution_deadline_per_variant(
    world: World, handler, complex_: bool, remote: bool, round_: int, due: datetime
) -> None:
    p = file_petition(world, received_at=at(2026, 3, 2), round=round_)
    services.petition_accept(
        actor=handler, petition=p, accepted_at=at(2026, 3, 2), is_complex=complex_, is_remote=remote
    )
    p.refresh_from_db()
    assert p.resolution_due_at == due
    assert p.current_due_at == due
    assert p.status == Status.ACCEPTED


def test_a_deadline_that_ends_inside_tet_moves_past_it(world: World, handler) -> None:
    # Accepted Fri 16/01/2026; 30 days → Sun 15/02; Mon 16 - Fri 20/02 is Tết; weekend →
    # Mon 23/02/2026 at the close of office hours.
    p = file_petition(world, received_at=at(2026, 1, 14))
    services.petition_accept(actor=handler, petition=p, accepted_at=at(2026, 1, 16))
    p.refresh_from_db()
    assert p.resolution_due_at == at(2026, 2, 23, 17)


def test_denunciation_check_deadline_counts_working_days_across_tet(world: World) -> None:
    # 7 working days from Mon 09/02/2026 09:00: 10, 11, 12, 13, (Tết 16-20), 23, 24, 25/02
    p = file_petition(world, kind="denunciation", received_at=at(2026, 2, 9))
    assert p.handling_due_at == at(2026, 2, 25)
    assert p.protected


def test_denunciation_outside_competence_must_be_transferred_within_5_working_days(
    world: World, handler
) -> None:
    p = file_petition(world, kind="denunciation", received_at=at(2026, 3, 2))
    services.petition_classify(
        actor=handler,
        petition=p,
        kind="denunciation",
        conditions=dict.fromkeys(["language", "date", "name", "address", "signature"], True),
        competent=False,
    )
    assert p.handling_due_at == at(2026, 3, 9)  # Mon 02/03 + 5 WD = Mon 09/03


def test_complex_denunciation_check_may_take_10_working_days(world: World, handler) -> None:
    p = file_petition(world, kind="denunciation", received_at=at(2026, 3, 2), is_complex=True)
    assert p.handling_due_at == at(2026, 3, 16)


def _accepted_denunciation(world: World, complexity: str):  # type: ignore[no-untyped-def]
    p = file_petition(world, kind="denunciation", received_at=at(2026, 3, 2))
    return services.petition_accept(
        actor=world.user("handler"), petition=p, accepted_at=at(2026, 3, 2), complexity=complexity
    )


def test_a_normal_denunciation_cannot_be_extended(world: World) -> None:
    p = _accepted_denunciation(world, Complexity.NORMAL)
    assert p.resolution_due_at == at(2026, 4, 1, 17)
    with pytest.raises(ValidationFailed) as err:
        services.petition_extend(actor=world.user("head"), petition=p, reason="Cần xác minh thêm")
    assert err.value.message == services.ERR_EXTEND_NORMAL


def test_a_complex_denunciation_is_extended_once_in_writing(world: World) -> None:
    p = _accepted_denunciation(world, Complexity.COMPLEX)
    ext = services.petition_extend(actor=world.user("head"), petition=p, reason="Nhiều nội dung")
    assert ext.number == 1
    assert ext.old_due_at == at(2026, 4, 1, 17)
    assert ext.new_due_at == at(2026, 5, 4, 17)  # +30 days = 01/05 holiday → Mon 04/05
    assert ext.document.kind == DocKind.EXTENSION_NOTICE
    assert ext.document.symbol == "02/TB-UBND"  # 01/TB-UBND: the acceptance notice
    p.refresh_from_db()
    assert p.resolution_due_at == at(2026, 5, 4, 17) and p.current_due_at == p.resolution_due_at
    with pytest.raises(ValidationFailed) as err:
        services.petition_extend(actor=world.user("head"), petition=p, reason="Lần nữa")
    assert err.value.message == services.ERR_EXTEND_COMPLEX


def test_an_especially_complex_denunciation_is_extended_twice_at_most(world: World) -> None:
    p = _accepted_denunciation(world, Complexity.ESPECIALLY_COMPLEX)
    head = world.user("head")
    first = services.petition_extend(actor=head, petition=p, reason="Lý do 1")
    second = services.petition_extend(actor=head, petition=p, reason="Lý do 2")
    assert (first.number, second.number) == (1, 2)
    assert second.new_due_at == at(2026, 6, 3, 17)  # 04/05 + 30 days
    assert first.document.symbol != second.document.symbol
    with pytest.raises(ValidationFailed) as err:
        services.petition_extend(actor=head, petition=p, reason="Lý do 3")
    assert err.value.message == services.ERR_EXTEND_ESPECIALLY
    assert p.extensions.count() == 2


def test_complaints_are_not_extended(world: World, handler) -> None:
    p = file_petition(world)
    services.petition_accept(actor=handler, petition=p, accepted_at=at(2026, 3, 3))
    with pytest.raises(ValidationFailed) as err:
        services.petition_extend(actor=world.user("head"), petition=p, reason="x")
    assert err.value.message == services.ERR_EXTEND_KIND


def test_reception_reply_is_due_in_10_working_days(world: World) -> None:
    entry = services.reception_record(
        actor=world.user("front_desk"),
        agency=world.own("front_desk"),
        received_at=at(2026, 3, 2),
        kind="recommendation",
        visitors=[services.VisitorIn(name="Trần Văn Đến")],
        content="Kiến nghị sửa đường liên ấp.",
    )
    assert entry.reply_due_at == at(2026, 3, 16)


def test_limitation_of_90_days_refuses_a_late_complaint(world: World, handler) -> None:
    p = file_petition(world, received_at=at(2026, 6, 1), decision_known_on=date(2026, 2, 1))
    with pytest.raises(ValidationFailed) as err:
        services.petition_accept(actor=handler, petition=p, accepted_at=at(2026, 6, 2))
    assert "thời hiệu" in err.value.message
    ok = file_petition(world, received_at=at(2026, 4, 30), decision_known_on=date(2026, 2, 1))
    services.petition_accept(actor=handler, petition=ok, accepted_at=at(2026, 5, 4))
