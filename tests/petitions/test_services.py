"""The petition workflow through the services: reception and mass cases, classification,
accept / guide / transfer / store, duplicates, second-round complaints, resolution, reopening,
the overdue and long-running lists, the audit trail of each step, reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from danvan.core.errors import InvalidTransition, PermissionDeniedError, ValidationFailed
from danvan.core.models import AuditRecord, OutboxMessage
from danvan.org.selectors import official_of
from danvan.petitions import selectors, services
from danvan.petitions.models import (
    Assignment,
    DocKind,
    Petition,
    ReceptionEntry,
    Source,
    Status,
    StoreReason,
)
from danvan.petitions.services import PetitionerIn, VisitorIn
from tests.petitions.conftest import at, file_petition, other_handler
from tests.world import World

pytestmark = pytest.mark.django_db

ALL_OK = dict.fromkeys(["language", "date", "name", "address", "signature"], True)


# --- mass cases ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("visitors", "bounds"),
    [(1, None), (4, None), (5, (1, 2)), (10, (1, 2)), (11, (1, 5)), (300, (1, 5))],
)
def test_representative_brackets_follow_the_law(visitors: int, bounds) -> None:  # type: ignore[no-untyped-def]
    assert services.representative_bounds(visitors) == bounds


def _group(n: int, reps: int) -> list[VisitorIn]:
    return [VisitorIn(name=f"Người dân {i}", representative=i < reps) for i in range(n)]


@pytest.mark.parametrize(("n", "reps"), [(7, 0), (7, 3), (12, 6), (5, 0)])
def test_a_group_without_the_right_number_of_representatives_is_refused(
    world: World, n: int, reps: int
) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.reception_record(
            actor=world.user("front_desk"),
            agency=world.own("front_desk"),
            received_at=at(2026, 3, 2),
            kind="complaint",
            visitors=_group(n, reps),
            content="Khiếu nại bồi thường đất.",
        )
    assert "người đại diện" in err.value.message
    assert ReceptionEntry.objects.count() == 0


def test_a_group_of_7_citizens_is_a_mass_case_and_lodges_one_petition(world: World) -> None:
    entry = services.reception_record(
        actor=world.user("front_desk"),
        agency=world.own("front_desk"),
        received_at=at(2026, 3, 2),
        kind="complaint",
        visitors=_group(7, 2),
        content="Khiếu nại mức bồi thường khi thu hồi đất làm đường.",
        create_petition=True,
        tags=["land"],
    )
    assert entry.is_mass_case and entry.visitor_count == 7 and entry.representative_count == 2
    petition = entry.petition
    assert petition is not None
    assert petition.source == Source.RECEPTION
    assert petition.signers_count == 7 and petition.is_mass_case
    assert petition.petitioner_name == "Người dân 0"  # the first representative
    assert [r["name"] for r in petition.representatives][:1] == ["Người dân 1"]
    assert list(petition.tags.values_list("code", flat=True)) == ["land"]
    assert Petition.objects.mass_cases().get() == petition
    # a group of 30 sends up to 5 representatives and lists only them
    big = services.reception_record(
        actor=world.user("front_desk"),
        agency=world.own("front_desk"),
        received_at=at(2026, 3, 3),
        kind="recommendation",
        visitors=_group(5, 5),
        visitor_count=30,
        content="Kiến nghị về giá đất tái định cư.",
    )
    assert big.visitor_count == 30 and big.representative_count == 5


# --- classification and handling ----------------------------------------------------------------
def test_an_anonymous_denunciation_is_recorded_as_information(world: World, handler) -> None:
    p = file_petition(world, kind="denunciation", name="")
    assert p.is_anonymous and p.status == Status.INFORMATION
    assert p.current_due_at is None and p.handling_due_at is None
    with pytest.raises(InvalidTransition):
        services.petition_accept(actor=handler, petition=p)


def test_a_false_name_found_at_classification_turns_a_denunciation_into_information(
    world: World, handler
) -> None:
    p = file_petition(world, kind="denunciation")
    services.petition_classify(
        actor=handler,
        petition=p,
        kind="denunciation",
        conditions=ALL_OK,
        competent=True,
        false_name=True,
    )
    assert p.status == Status.INFORMATION and p.is_anonymous


def test_conditions_not_met_block_acceptance(world: World, handler) -> None:
    p = file_petition(world)
    services.petition_classify(
        actor=handler,
        petition=p,
        kind="complaint",
        conditions={**ALL_OK, "signature": False},
        competent=True,
    )
    with pytest.raises(ValidationFailed) as err:
        services.petition_accept(actor=handler, petition=p)
    assert err.value.message == services.ERR_CONDITIONS
    services.petition_store(actor=handler, petition=p, reason=StoreReason.CONDITIONS)
    assert p.status == Status.STORED


def test_outside_competence_can_only_be_guided_or_transferred(world: World, handler) -> None:
    p = file_petition(world)
    services.petition_classify(
        actor=handler, petition=p, kind="complaint", conditions=ALL_OK, competent=False
    )
    with pytest.raises(ValidationFailed):
        services.petition_accept(actor=handler, petition=p)
    services.petition_guide(
        actor=handler, petition=p, guided_to="Giám đốc Sở Tài nguyên và Môi trường"
    )
    p.refresh_from_db()
    assert p.status == Status.GUIDED and p.current_due_at is None
    doc = p.documents.get()
    assert doc.kind == DocKind.GUIDANCE_LETTER and doc.symbol == "01/UBND"  # a letter: no type code


def test_transfer_to_a_body_in_the_system_opens_a_case_there(world: World, handler) -> None:
    p = file_petition(
        world, kind="recommendation", received_at=at(2026, 3, 2), tags=["social_policy"]
    )
    services.petition_transfer(actor=handler, petition=p, to_agency=world.other, at=at(2026, 3, 4))
    p.refresh_from_db()
    assert p.status == Status.TRANSFERRED and p.transferred_to == world.other
    assert p.documents.get().kind == DocKind.TRANSFER_SLIP
    assert p.documents.get().symbol == "01/PC-UBND"
    new = Petition.objects.get(transferred_from=p)
    assert new.agency == world.other and new.source == Source.TRANSFER
    assert new.petitioner_name == "Nguyễn Thị Khiếu" and new.status == Status.RECEIVED
    assert new.received_at == at(2026, 3, 4)
    assert list(new.tags.values_list("code", flat=True)) == ["social_policy"]
    # its clock is its own: 10 working days from the day it arrived
    assert new.handling_due_at == at(2026, 3, 18)
    # the other agency's handler sees it; ours does not
    assert selectors.petition_for(other_handler(world), new.pk) is not None
    assert selectors.petition_for(handler, new.pk) is None


def test_a_transferred_denunciation_stays_sealed_at_the_new_body(world: World, handler) -> None:
    p = file_petition(world, kind="denunciation", name="Người Tố Cáo Chuyển")
    services.petition_transfer(actor=handler, petition=p, to_agency=world.other)
    new = Petition.objects.get(transferred_from=p)
    assert new.protected and new.petitioner_name == "" and new.identity_sealed
    assert services.identity_of(new).name == "Người Tố Cáo Chuyển"


def test_a_petition_already_guided_once_is_stored(world: World, handler) -> None:
    first = file_petition(world)
    services.petition_guide(actor=handler, petition=first, guided_to="Tòa án nhân dân huyện")
    again = file_petition(world, received_at=at(2026, 3, 20))
    candidates = selectors.duplicate_candidates(handler, again)
    assert candidates[0].pk == first.pk and candidates[0].same_person  # type: ignore[attr-defined]
    services.petition_store(actor=handler, petition=again, reason=StoreReason.ALREADY_GUIDED)
    assert again.status == Status.STORED and again.current_due_at is None


def test_duplicates_are_found_by_person_and_text_and_join_the_existing_case(
    world: World, handler
) -> None:
    case = file_petition(world, subject="Khiếu nại bồi thường đất nông nghiệp dự án đường tránh")
    services.petition_accept(actor=handler, petition=case, accepted_at=at(2026, 3, 3))
    # same person written without diacritics, other text
    same_person = file_petition(
        world, name="NGUYEN THI KHIEU", subject="Đơn gửi lại", received_at=at(2026, 3, 10)
    )
    # other person, same matter
    same_text = file_petition(
        world,
        name="Phạm Văn Khác",
        subject="Bồi thường đất nông nghiệp đường tránh",
        received_at=at(2026, 3, 10),
    )
    unrelated = file_petition(
        world, name="Lê Văn Xa", subject="Kiến nghị lắp đèn đường", kind="recommendation"
    )
    found = selectors.duplicate_candidates(handler, same_person)
    assert [c.pk for c in found][:1] == [case.pk] and found[0].same_person  # type: ignore[attr-defined]
    found = selectors.duplicate_candidates(handler, same_text)
    assert case.pk in [c.pk for c in found]
    assert unrelated.pk not in [c.pk for c in found]
    services.petition_link_duplicate(actor=handler, petition=same_person, existing=case)
    same_person.refresh_from_db()
    assert same_person.duplicate_of == case and same_person.status == Status.STORED
    assert same_person.store_reason == StoreReason.DUPLICATE
    # a duplicate of a duplicate joins the root case
    services.petition_link_duplicate(actor=handler, petition=same_text, existing=same_person)
    assert same_text.duplicate_of == case
    assert set(case.duplicates.values_list("pk", flat=True)) == {same_person.pk, same_text.pk}


def test_duplicates_of_a_denunciation_are_found_by_the_blind_index(world: World, handler) -> None:
    first = file_petition(world, kind="denunciation", name="Đặng Văn Kín")
    second = file_petition(
        world,
        kind="denunciation",
        name="dang van kin",
        subject="Tố cáo khác",
        received_at=at(2026, 3, 9),
    )
    assert first.person_digest and first.person_digest == second.person_digest
    assert first.petitioner_name == "" and "Kín" not in first.person_digest
    found = selectors.duplicate_candidates(handler, second)
    assert found[0].pk == first.pk


def test_a_second_round_complaint_is_linked_to_the_first(world: World, handler, head) -> None:
    first = file_petition(world, tags=["land"])
    services.petition_accept(actor=handler, petition=first, accepted_at=at(2026, 3, 3))
    services.petition_resolve(
        actor=head,
        petition=first,
        outcome="wrong",
        summary="Khiếu nại sai.",
        resolved_at=at(2026, 3, 20),
    )
    second = services.petition_receive(
        actor=other_handler(world),
        agency=world.other,
        kind="complaint",
        round=2,
        first_round=first,
        received_at=at(2026, 4, 10),
        petitioner=PetitionerIn(name="Nguyễn Thị Khiếu"),
        content="Không đồng ý với quyết định lần đầu.",
    )
    assert second.round == 2 and second.first_round == first
    assert list(second.tags.values_list("code", flat=True)) == ["land"]
    assert list(first.second_rounds.all()) == [second]
    services.petition_accept(
        actor=other_handler(world), petition=second, accepted_at=at(2026, 4, 13)
    )
    assert second.resolution_due_at == at(2026, 5, 28, 17)  # 45 days (second round)
    # lodged after the 30 days: refused at acceptance
    late = services.petition_receive(
        actor=other_handler(world),
        agency=world.other,
        kind="complaint",
        round=2,
        first_round=first,
        received_at=at(2026, 4, 30),
        petitioner=PetitionerIn(name="Nguyễn Thị Khiếu"),
        content="Lần hai.",
    )
    with pytest.raises(ValidationFailed) as err:
        services.petition_accept(
            actor=other_handler(world), petition=late, accepted_at=at(2026, 5, 4)
        )
    assert "khiếu nại lần hai" in err.value.message


def test_a_second_round_must_link_to_a_first_round_complaint(world: World) -> None:
    denunciation = file_petition(world, kind="denunciation")
    with pytest.raises(ValidationFailed):
        file_petition(world, round=2, first_round=denunciation)


# --- resolution, reopening, long-running and overdue --------------------------------------------
def test_a_complaint_is_accepted_and_resolved_with_a_numbered_decision(
    world: World, handler, head
) -> None:
    p = file_petition(world, phone="0912000111", received_at=at(2026, 3, 2))
    services.petition_accept(actor=handler, petition=p, accepted_at=at(2026, 3, 3))
    assert Assignment.objects.filter(
        petition=p, duty="resolve", official=official_of(handler)
    ).exists()
    services.petition_record_verification(actor=handler, petition=p, note="Đã đối thoại.")
    services.petition_resolve(
        actor=head,
        petition=p,
        outcome="partly_right",
        summary="Điều chỉnh đơn giá bồi thường.",
        resolved_at=at(2026, 3, 27),
    )
    p.refresh_from_db()
    assert p.status == Status.RESOLVED and p.timeliness(at(2026, 4, 1)) == "on_time"
    assert p.decision_symbol == "01/QĐ-UBND" and p.decision_date.isoformat() == "2026-03-27"
    # takes effect when the 30 days for a second complaint have run: 27/03 + 30 = 26/04 (Sunday)
    # → Mon 27/04 is a day off (Hùng Kings) → Tue 28/04 is the last day; effect from 29/04
    assert p.legal_effect_date.isoformat() == "2026-04-29"
    kinds = list(p.documents.values_list("kind", flat=True))
    assert kinds == [DocKind.ACCEPTANCE_NOTICE, DocKind.COMPLAINT_DECISION]
    actions = list(
        AuditRecord.objects.filter(object_type="petitions.petition", object_id=str(p.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "petitions.petition_receive",
        "petitions.petition_accept",
        "petitions.petition_verify",
        "petitions.petition_resolve",
    ]
    accept = AuditRecord.objects.get(action="petitions.petition_accept")
    assert accept.changes["status"] == ["received", "accepted"]
    # the complainant was told by SMS at each step (unprotected petition)
    bodies = list(
        OutboxMessage.objects.filter(recipient="0912000111").values_list("body", flat=True)
    )
    assert any("đã được thụ lý" in b for b in bodies) and any("01/QĐ-UBND" in b for b in bodies)


def test_a_late_resolution_is_late(world: World, handler, head) -> None:
    p = file_petition(world)
    services.petition_accept(actor=handler, petition=p, accepted_at=at(2026, 3, 2))
    services.petition_resolve(
        actor=head, petition=p, outcome="wrong", summary="x", resolved_at=at(2026, 4, 2)
    )
    assert p.timeliness(at(2026, 5, 1)) == "late"
    assert list(Petition.objects.resolved_late()) == [p]


def test_overdue_and_long_running_lists(world: World, handler, head) -> None:
    now = at(2026, 6, 1)
    overdue_handling = file_petition(world, received_at=at(2026, 3, 2))  # due 16/03
    accepted = file_petition(world, received_at=at(2026, 3, 2))
    services.petition_accept(
        actor=handler, petition=accepted, accepted_at=at(2026, 3, 3)
    )  # due 02/04
    fresh = file_petition(world, received_at=at(2026, 5, 29))
    reopened = file_petition(world, received_at=at(2026, 3, 2))
    services.petition_accept(actor=handler, petition=reopened, accepted_at=at(2026, 3, 3))
    for i in range(2):
        services.petition_resolve(
            actor=head,
            petition=reopened,
            outcome="wrong",
            summary="x",
            resolved_at=at(2026, 3, 20 + i * 2),
        )
        services.petition_reopen(
            actor=head,
            petition=reopened,
            reason="Kiến nghị xem xét lại",
            at=at(2026, 3, 21 + i * 2),
        )
    services.petition_resolve(
        actor=head, petition=reopened, outcome="wrong", summary="x", resolved_at=at(2026, 4, 1)
    )
    assert reopened.reopen_count == 2
    overdue_ids = set(selectors.overdue_for(handler, now).values_list("pk", flat=True))
    assert overdue_ids == {overdue_handling.pk, accepted.pk}
    assert fresh.timeliness(now) == "on_time"
    long_ids = set(selectors.long_running_for(handler, now).values_list("pk", flat=True))
    assert long_ids == {accepted.pk, reopened.pk}
    # the inspectorate sees the province; the other district's handler sees none of ours
    assert (
        set(selectors.overdue_for(world.user("inspector"), now).values_list("pk", flat=True))
        == overdue_ids
    )
    assert not selectors.overdue_for(other_handler(world), now).exists()
    assert not selectors.overdue_for(world.user("home_affairs"), now).exists()
    counts = selectors.open_counts_for(handler, now)
    assert counts["overdue"] == 2 and counts["open"] == 3


def test_steps_refuse_the_wrong_state_and_the_wrong_person(world: World, handler) -> None:
    p = file_petition(world)
    with pytest.raises(PermissionDeniedError):
        services.petition_accept(actor=world.user("front_desk"), petition=p)
    with pytest.raises(PermissionDeniedError):
        services.petition_accept(actor=other_handler(world), petition=p)
    services.petition_accept(actor=handler, petition=p, accepted_at=at(2026, 3, 3))
    with pytest.raises(InvalidTransition):
        services.petition_guide(actor=handler, petition=p, guided_to="x")
    with pytest.raises(InvalidTransition):
        services.petition_reopen(actor=world.user("head"), petition=p, reason="x")


def test_reception_days_below_the_legal_minimum_are_flagged(world: World) -> None:
    from datetime import time

    from danvan.org.models import Official

    head_official = official_of(world.user("head"))
    leader = official_of(world.user("committee_leader"))
    assert head_official and leader
    commune = world.agencies["pc_a1"]
    chair = Official.objects.create(user=world.user("citizen"), agency=commune, position="Chủ tịch")
    chair.roles.create(role="committee_leader")
    desk = world.user("front_desk")
    # district chair: 2 days a month; one scheduled → warned; two → fine
    services.reception_day_add(
        actor=desk,
        agency=world.own("front_desk"),
        leader=leader,
        day=at(2026, 3, 5).date(),
        start_time=time(7, 30),
        end_time=time(11),
        location="Trụ sở",
    )
    rows = selectors.reception_shortfalls(world.user("committee_leader"), 2026, 3)
    by_leader = {s.leader.pk: s for s in rows}
    assert by_leader[leader.pk].scheduled == 1 and by_leader[leader.pk].required == 2
    assert head_official.pk in by_leader  # the head has none
    services.reception_day_add(
        actor=desk,
        agency=world.own("front_desk"),
        leader=leader,
        day=at(2026, 3, 19).date(),
        start_time=time(7, 30),
        end_time=time(11),
        location="Trụ sở",
    )
    rows = selectors.reception_shortfalls(world.user("committee_leader"), 2026, 3)
    assert leader.pk not in {s.leader.pk for s in rows}
    # commune chair: every week. March 2026 has the ISO weeks starting 02, 09, 16 and 23/03
    # (the week of 30/03 belongs to April: its Thursday is 02/04). Nothing in the week of 16/03.
    commune_days = [at(2026, 3, d).date() for d in (3, 10, 24, 31)]
    for d in commune_days:
        services.reception_day_add(
            actor=_commune_desk(world, commune),
            agency=commune,
            leader=chair,
            day=d,
            start_time=time(7, 30),
            end_time=time(11),
            location="UBND xã",
        )
    rows = selectors.reception_shortfalls(world.user("committee_leader"), 2026, 3)
    chair_row = next(s for s in rows if s.leader.pk == chair.pk)
    assert [w.isoformat() for w in chair_row.missing_weeks] == ["2026-03-16"]
    assert "16/03" in chair_row.message


def _commune_desk(world: World, commune):  # type: ignore[no-untyped-def]
    from danvan.org import services as org_services
    from tests.world import user

    if "desk_a1" not in world.users:
        u = user("desk.a1", "Văn Thư Xã")
        org_services.official_add(actor=None, user=u, agency=commune, roles=["front_desk"])
        world.users["desk_a1"] = u
    return world.users["desk_a1"]


# --- reminders through the real worker -----------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_reminders_reach_the_assigned_officials_once_per_deadline(world: World) -> None:
    import time_machine

    handler = world.user("handler")
    handler.email = "thuly@example.vn"
    handler.save()
    with time_machine.travel(at(2026, 3, 12, 8), tick=False):
        p = file_petition(world, received_at=at(2026, 3, 2))  # handling due Mon 16/03 09:00
        from danvan.petitions.tasks import remind_petition_deadlines

        remind_petition_deadlines.enqueue()
        call_command("worker", batch=True)
        remind_petition_deadlines.enqueue()
        call_command("worker", batch=True)
    sent = [m for m in mail.outbox if "thuly@example.vn" in m.to]
    assert len(sent) == 1
    assert p.code in sent[0].body and "16/03/2026" in sent[0].body
    p.refresh_from_db()
    assert p.reminded_for == p.current_due_at
    assert timedelta(0) < p.current_due_at - at(2026, 3, 12, 8) < timedelta(days=5)
