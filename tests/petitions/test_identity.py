"""The denouncer's identity: encrypted at rest with keys outside the database, redacted from
texts, revealed only to the assigned handlers and their head (each reveal audited), key
rotation, the redacted copy for verifiers, and the agency setting that keeps no identity."""

from __future__ import annotations

import io
import json

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import override_settings
from docx import Document

from danvan.core import crypto
from danvan.core.errors import PermissionDeniedError, ValidationFailed
from danvan.core.models import AuditRecord
from danvan.org.selectors import official_of
from danvan.petitions import identity as idn
from danvan.petitions import services
from danvan.petitions.models import Petition, ReceptionEntry
from tests.permissions import fresh
from tests.petitions.conftest import at, file_petition
from tests.world import World

pytestmark = pytest.mark.django_db

NAME = "Hoàng Thị Bảo Mật"


def test_redaction_ignores_case_and_diacritics() -> None:
    text = "Tôi là Hoàng Thị Bảo Mật (HOANG THI BAO MAT), ở số 5 Ấp Đông; ĐT 0909123456."
    out = idn.redact(text, ["Hoàng Thị Bảo Mật", "số 5 Ấp Đông", "0909123456"])
    assert out == "Tôi là [đã che] ([đã che]), ở [đã che]; ĐT [đã che]."


def test_a_denouncer_is_stored_encrypted_and_redacted_from_the_texts(world: World) -> None:
    p = file_petition(
        world,
        kind="denunciation",
        name=NAME,
        phone="0909123456",
        content=f"Tôi là {NAME}, tố cáo cán bộ địa chính nhận tiền. Liên hệ 0909123456.",
        subject=f"Đơn của {NAME}",
    )
    row = Petition.objects.values().get(pk=p.pk)
    flat = json.dumps(row, default=str, ensure_ascii=False)
    assert "Bảo Mật" not in flat and "bao mat" not in flat.lower() and "0909123456" not in flat
    assert p.content == "Tôi là [đã che], tố cáo cán bộ địa chính nhận tiền. Liên hệ [đã che]."
    assert p.subject == "Đơn của [đã che]"
    ident = idn.unseal(row["identity_sealed"])
    assert ident.name == NAME and ident.phone == "0909123456"
    assert NAME in ident.original_content
    # the key is not in the database: another key cannot open it
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(ValueError, match="cannot decrypt"),
    ):
        idn.unseal(row["identity_sealed"])


def test_only_assigned_handlers_and_their_head_may_reveal_and_each_reveal_is_audited(
    world: World,
) -> None:
    p = file_petition(world, kind="denunciation", name=NAME)  # received by the handler
    for role in ["handler", "head"]:
        ident = services.identity_reveal(
            actor=fresh(world.user(role)), petition=p, purpose="contact"
        )
        assert ident.name == NAME
    reveals = AuditRecord.objects.filter(action="petitions.identity_reveal").order_by("seq")
    assert [r.actor_label for r in reveals] == ["handler", "head"]
    assert all(r.data == {"purpose": "contact"} and NAME not in r.object_repr for r in reveals)
    for role in [
        "front_desk",
        "committee_leader",
        "inspector",
        "home_affairs",
        "sysadmin",
        "citizen",
    ]:
        with pytest.raises(PermissionDeniedError):
            services.identity_reveal(actor=fresh(world.user(role)), petition=p, purpose="contact")
    # a handler not assigned to the case does not see it
    from danvan.org import services as org_services
    from tests.world import user

    colleague = user("handler2", "Đồng Nghiệp")
    org_services.official_add(actor=None, user=colleague, agency=p.agency, roles=["handler"])
    with pytest.raises(PermissionDeniedError):
        services.identity_reveal(actor=colleague, petition=p, purpose="contact")
    # …until the head assigns them to resolve it
    official = official_of(colleague)
    assert official is not None
    services.petition_assign(
        actor=world.user("head"), petition=p, official=official, duty="resolve"
    )
    assert (
        services.identity_reveal(actor=fresh(colleague), petition=p, purpose="contact").name == NAME
    )
    # a verifier gets the redacted copy, not the identity
    verifier = user("verifier", "Xác Minh")
    vo = org_services.official_add(actor=None, user=verifier, agency=p.agency, roles=["handler"])
    services.petition_assign(actor=world.user("head"), petition=p, official=vo, duty="verify")
    with pytest.raises(PermissionDeniedError):
        services.identity_reveal(actor=fresh(verifier), petition=p, purpose="contact")


def test_key_rotation_re_encrypts_every_identity_with_the_new_key(world: World) -> None:
    old_key = crypto._keys()[0]
    p = file_petition(world, kind="denunciation", name=NAME)
    entry = services.reception_record(
        actor=world.user("front_desk"),
        agency=world.own("front_desk"),
        received_at=at(2026, 3, 2),
        kind="denunciation",
        visitors=[services.VisitorIn(name=NAME)],
        content="Tố cáo.",
    )
    complaint = file_petition(world, name="Người Khiếu Nại")
    before = Petition.objects.get(pk=p.pk)
    new_key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        call_command("petitions_rotate_keys", stdout=io.StringIO())
        after = Petition.objects.get(pk=p.pk)
        assert after.identity_sealed != before.identity_sealed
        assert idn.unseal(after.identity_sealed).name == NAME
        assert after.person_digest == idn.person_digest(NAME) != before.person_digest
        # a digest computed under the old key still finds the record during the rotation
        assert before.person_digest in idn.person_digests(NAME)
        assert Petition.objects.get(pk=complaint.pk).person_digest == idn.person_digest(
            "Người Khiếu Nại"
        )
    # the old key alone can no longer read the rotated data
    with override_settings(FIELD_ENCRYPTION_KEYS=[old_key]):
        with pytest.raises(ValueError, match="cannot decrypt"):
            idn.unseal(after.identity_sealed)
        with pytest.raises(ValueError, match="cannot decrypt"):
            idn.unseal(ReceptionEntry.objects.get(pk=entry.pk).identity_sealed)
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        assert idn.unseal(ReceptionEntry.objects.get(pk=entry.pk).identity_sealed).name == NAME
    record = AuditRecord.objects.get(action="petitions.identity_rotate_keys")
    assert record.data == {"records": 2}


def test_an_agency_that_keeps_no_identity_records_only_the_sealed_file(world: World) -> None:
    head = world.user("head")
    agency = world.own("head")
    existing = file_petition(world, kind="denunciation", name=NAME)
    services.settings_set(
        actor=head, agency=agency, identity_storage="sealed_paper", purge_existing=True
    )
    existing.refresh_from_db()
    assert existing.identity_sealed == "" and existing.person_digest == ""
    with pytest.raises(ValidationFailed) as err:
        file_petition(world, kind="denunciation", name=NAME)
    assert err.value.message == services.ERR_SEALED_REF
    p = file_petition(
        world,
        kind="denunciation",
        name=NAME,
        sealed_ref="NP-2026/015",
        content=f"{NAME} tố cáo việc thu tiền sai quy định.",
    )
    assert p.sealed_ref == "NP-2026/015"
    assert p.identity_sealed == "" and p.petitioner_name == "" and p.person_digest == ""
    assert p.content == "[đã che] tố cáo việc thu tiền sai quy định."
    assert not p.is_anonymous and p.status == "received"
    with pytest.raises(ValidationFailed):
        services.identity_reveal(actor=world.user("handler"), petition=p, purpose="contact")
    # complaints are not affected
    assert file_petition(world, name="Người Khiếu Nại").petitioner_name == "Người Khiếu Nại"
    # nobody but the head (and administrators) may change the setting
    with pytest.raises(PermissionDeniedError):
        services.settings_set(
            actor=world.user("handler"), agency=agency, identity_storage="encrypted"
        )


def test_reclassifying_a_complaint_as_a_denunciation_seals_its_sender(world: World) -> None:
    handler = world.user("handler")
    p = file_petition(world, name=NAME, content=f"{NAME} phản ánh cán bộ xã nhận hối lộ.")
    assert p.petitioner_name == NAME
    services.petition_classify(
        actor=handler,
        petition=p,
        kind="denunciation",
        conditions=dict.fromkeys(["language", "date", "name", "address", "signature"], True),
        competent=True,
        note=f"Chuyển loại: {NAME} tố cáo.",
    )
    p.refresh_from_db()
    assert p.protected and p.petitioner_name == "" and NAME not in p.content
    assert NAME not in p.handling_note
    assert services.identity_of(p).name == NAME
    from danvan.core.models import SearchEntry

    assert "bao mat" not in SearchEntry.objects.get(object_id=p.pk).body


def test_the_redacted_copy_for_verifiers_has_no_identity(world: World, client) -> None:  # type: ignore[no-untyped-def]
    p = file_petition(
        world,
        kind="denunciation",
        name=NAME,
        content=f"Tôi, {NAME}, tố cáo sai phạm ở công trình trường học.",
    )
    services.petition_accept(actor=world.user("handler"), petition=p, accepted_at=at(2026, 3, 3))
    services.petition_record_verification(
        actor=world.user("handler"), petition=p, note=f"Đã làm việc với {NAME} tại trụ sở."
    )
    client.force_login(world.user("inspector"))
    r = client.get(f"/office/petitions/{p.pk}/redacted.docx")
    assert r.status_code == 200
    text = "\n".join(par.text for par in Document(io.BytesIO(r.content)).paragraphs)
    cells = "\n".join(
        c.text for t in Document(io.BytesIO(r.content)).tables for row in t.rows for c in row.cells
    )
    assert "BẢN SAO HỒ SƠ" in text and "tố cáo sai phạm ở công trình trường học" in text
    assert "Đã làm việc với [đã che] tại trụ sở." in cells
    assert NAME not in text + cells and "Bảo Mật" not in text + cells
