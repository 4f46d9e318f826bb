"""Citizen pages: online submission of a complaint or recommendation with attachments, the
tracking code and a status page that shows no one's data, the public reception schedule."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from danvan.core.models import Attachment, OutboxMessage
from danvan.org.selectors import official_of
from danvan.petitions import services
from danvan.petitions.models import Petition, Source
from tests.petitions.conftest import file_petition
from tests.world import World

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _submit(client: Client, world: World, **extra: object) -> object:
    data = {
        "agency": world.own("handler").pk,
        "kind": "complaint",
        "name": "Võ Thị Trực Tuyến",
        "address": "Ấp 5, xã An Hòa",
        "phone": "0933444555",
        "email": "",
        "subject": "Khiếu nại việc không cấp giấy phép xây dựng",
        "content": "Hồ sơ đủ nhưng bị từ chối không nêu lý do.",
        "decision_complained": "Văn bản từ chối số 12/UBND",
        "confirm": "on",
        **extra,
    }
    return client.post("/don-thu/gui/", data)


def test_a_citizen_sends_a_complaint_and_follows_it_with_the_tracking_code(world: World) -> None:
    client = Client()
    assert client.get("/don-thu/gui/").status_code == 200
    upload = SimpleUploadedFile("giay-to.pdf", PDF, content_type="application/pdf")
    r = _submit(client, world, attachment=upload)
    assert r.status_code == 200, r.content.decode()[:2000]
    p = Petition.objects.get()
    assert p.source == Source.ONLINE and p.kind == "complaint" and p.status == "received"
    assert p.tracking_code.encode() in r.content
    assert Attachment.objects.get(owner_id=str(p.pk)).original_name == "giay-to.pdf"
    # the handler finds it on the case, behind a link signed for them
    office = Client()
    office.force_login(world.user("handler"))
    detail = office.get(f"/office/petitions/{p.pk}/").content.decode()
    link = detail.split('href="/files/')[1].split('"')[0]
    assert office.get(f"/files/{link}").getvalue() == PDF  # type: ignore[attr-defined]
    assert Client().get(f"/files/{link}").status_code == 404  # not for anyone else
    sms = OutboxMessage.objects.get(recipient="0933444555")
    assert p.tracking_code in sms.body and p.code in sms.body
    # the status page, looked up by the code (POST: the code stays out of URLs and logs)
    r = client.post("/don-thu/tra-cuu/", {"ma": p.tracking_code.lower().replace("-", "")})
    assert r.status_code == 200
    page = r.content.decode()
    assert "Chờ xử lý đơn" in page and p.code in page
    assert "Võ Thị Trực Tuyến" not in page and "0933444555" not in page and "Ấp 5" not in page
    # after acceptance the page shows the resolution deadline
    services.petition_accept(actor=world.user("handler"), petition=p)
    page = client.post("/don-thu/tra-cuu/", {"ma": p.tracking_code}).content.decode()
    assert "Đã thụ lý, đang giải quyết" in page and "Hạn giải quyết" in page


def test_the_status_page_never_shows_another_case(world: World) -> None:
    other = file_petition(world, name="Người Khác Hẳn", subject="Việc riêng của người khác")
    client = Client()
    for guess in [other.code, "AAAA-BBBB-CCCC", other.tracking_code[:-1] + "Z", str(other.pk), ""]:
        r = client.post("/don-thu/tra-cuu/", {"ma": guess})
        assert "Việc riêng của người khác" not in r.content.decode()
        assert "Người Khác Hẳn" not in r.content.decode()
    # GET never looks anything up
    r = client.get(f"/don-thu/tra-cuu/?ma={other.tracking_code}")
    assert other.code not in r.content.decode()


def test_lookups_are_rate_limited(world: World) -> None:
    client = Client()
    for _ in range(30):
        client.post("/don-thu/tra-cuu/", {"ma": "AAAA-BBBB-CCCC"})
    r = client.post("/don-thu/tra-cuu/", {"ma": "AAAA-BBBB-CCCC"})
    assert r.status_code == 422 and "quá nhiều lần" in r.content.decode()


def test_denunciations_are_not_taken_online_and_bad_files_are_refused(world: World) -> None:
    client = Client()
    r = _submit(client, world, kind="denunciation")
    assert r.status_code == 422
    r = _submit(client, world, phone="")
    assert r.status_code == 422 and "số điện thoại hoặc thư điện tử" in r.content.decode()
    fake = SimpleUploadedFile(
        "anh.png", b"<html><script>x</script></html>", content_type="image/png"
    )
    r = _submit(client, world, attachment=fake)
    assert r.status_code == 422 and "không đúng định dạng" in r.content.decode()
    assert Petition.objects.count() == 0


def test_the_public_reception_schedule_lists_published_days(world: World) -> None:
    leader = official_of(world.user("committee_leader"))
    assert leader is not None
    day = timezone.localdate() + timedelta(days=3)
    for published, place in [(True, "Trụ sở Tiếp công dân huyện"), (False, "Phòng họp kín")]:
        services.reception_day_add(
            actor=world.user("front_desk"),
            agency=leader.agency,
            leader=leader,
            day=day,
            start_time=time(7, 30),
            end_time=time(11),
            location=place,
            published=published,
        )
    page = Client().get("/lich-tiep-cong-dan/").content.decode()
    assert "Võ Văn Chủ Tịch" in page and "Trụ sở Tiếp công dân huyện" in page
    assert "Phòng họp kín" not in page
    home = Client().get("/").content.decode()
    assert "Lịch tiếp công dân" in home and "Gửi đơn khiếu nại, kiến nghị" in home
