"""Our Open311 endpoint driven through a real HTTP server by an independent client library from
PyPI (``georeport`` 0.3, which reads; it has no method to post, so the request is posted with
``requests``, form-encoded as the standard says, and read back with the library)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from georeport import GeoReport

from danvan.feedback.models import Category, Feedback
from tests.world import World

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_the_georeport_client_reads_what_an_application_posted(
    live_server: Any, world: World, rules: Any, output_format: str
) -> None:
    root = f"{live_server.url}/open311/v2"
    posted = requests.post(
        f"{root}/requests.json",
        data={
            "service_code": Category.LOCAL.value,
            "address_id": "80101",
            "description": "Ống nước sạch bị vỡ trước trạm y tế xã, nước chảy lênh láng cả ngày.",
            "first_name": "Hùng",
            "last_name": "Lê",
            "phone": "0977000111",
            "attribute[publish_consent]": "0",
            "jurisdiction_id": "vinhlong",
        },
        timeout=10,
    )
    assert posted.status_code == 200, posted.text
    code = posted.json()[0]["service_request_id"]
    assert Feedback.objects.filter(code=code).exists()

    client = GeoReport(root, jurisdiction="vinhlong", output_format=output_format)
    services = client.get_service_list()
    assert [s["service_code"] for s in services] == list(Category.values)
    definition = client.get_service_definition("dossier")
    assert definition["service_code"] == "dossier"

    found = client.get_service_requests(status="open", service_code="local")
    rows = found if isinstance(found, list) else [found]
    assert [r["service_request_id"] for r in rows] == [code]
    one = client.get_service_request(code)
    assert one["service_request_id"] == code
    assert one["status"] == "open"
    assert one["agency_responsible"] == "Ủy ban nhân dân xã An Hòa"
    assert one["address_id"] == "80101"
    text = str(one)
    assert "0977000111" not in text and "Hùng" not in text
