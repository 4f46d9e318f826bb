"""Open311 GeoReport v2 conformance, in JSON and in XML: discovery, the service list (one per
category), service definitions, POST requests (form-encoded, the same rules as the web form),
GET requests with the standard's filters, GET one request; errors in the standard's format."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import time_machine
from django.test import Client

from danvan.core.calendar import TZ
from danvan.core.models import AuditRecord
from danvan.feedback import services
from danvan.feedback.models import Category, Channel, Feedback, Open311Key
from tests.feedback.conftest import Submit, item_in
from tests.permissions import fresh
from tests.world import World

ROOT = "/open311/v2"
FORMATS = ["json", "xml"]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def parse(response: Any, fmt: str) -> Any:
    """The body as plain data: JSON as is; XML as (root tag, list of dicts / dict)."""
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        return json.loads(response.content)
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    return root


def xml_items(root: ET.Element, child: str) -> list[dict[str, str]]:
    return [{c.tag: (c.text or "") for c in item} for item in root.findall(child)]


def errors_of(response: Any, fmt: str) -> list[dict[str, Any]]:
    data = parse(response, fmt)
    if fmt == "json":
        return data
    assert data.tag == "errors"
    return [
        {"code": int(e.findtext("code") or 0), "description": e.findtext("description")}
        for e in data.findall("error")
    ]


def post(client: Client, fmt: str, **fields: Any) -> Any:
    data = {
        "service_code": Category.LOCAL,
        "address_id": "80101",
        "description": "Cột điện nghiêng sắp đổ trước nhà văn hóa ấp An Thạnh, rất nguy hiểm.",
        "first_name": "Bảo",
        "last_name": "Trần",
        "phone": "0903111222",
        "email": "bao@example.vn",
        "attribute[publish_consent]": "1",
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"{ROOT}/requests.{fmt}", data)


# --- discovery and services ----------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(client: Client, db: Any, fmt: str) -> None:
    response = client.get(f"{ROOT}/discovery.{fmt}")
    assert response.status_code == 200
    data = parse(response, fmt)
    if fmt == "json":
        endpoint = data["endpoints"][0]
        assert data["changeset"] and data["contact"]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"] == "http://testserver/open311/v2"
        assert endpoint["type"] == "production"
        assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    else:
        assert data.tag == "discovery"
        endpoint = data.find("endpoints/endpoint")
        assert endpoint is not None
        assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
        assert [f.text for f in endpoint.findall("formats/format")] == [
            "text/xml",
            "application/json",
        ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_service_per_category(client: Client, db: Any, fmt: str) -> None:
    response = client.get(f"{ROOT}/services.{fmt}")
    assert response.status_code == 200
    data = parse(response, fmt)
    services_ = data if fmt == "json" else xml_items(data, "service")
    assert [s["service_code"] for s in services_] == list(Category.values)
    first = services_[0]
    assert set(first) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert first["service_name"] == "Về quy định hành chính"
    assert first["metadata"] in (True, "true")
    assert first["type"] == "realtime"


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition(client: Client, world: World, fmt: str) -> None:
    response = client.get(f"{ROOT}/services/{Category.DOSSIER.value}.{fmt}")
    assert response.status_code == 200
    data = parse(response, fmt)
    if fmt == "json":
        assert data["service_code"] == "dossier"
        attrs = {a["code"]: a for a in data["attributes"]}
        commune = attrs["commune"]
        assert commune["datatype"] == "singlevaluelist" and commune["variable"] is True
        assert {"key": "80101", "name": "Xã An Hòa — Huyện An Phú"} in commune["values"]
        assert attrs["dossier_code"]["datatype"] == "string"
        assert [a["order"] for a in data["attributes"]] == sorted(
            a["order"] for a in data["attributes"]
        )
    else:
        assert data.tag == "service_definition"
        assert data.findtext("service_code") == "dossier"
        attrs = {a.findtext("code"): a for a in data.findall("attributes/attribute")}
        assert attrs["commune"].findtext("datatype") == "singlevaluelist"
        assert attrs["commune"].findtext("variable") == "true"
        keys = [v.findtext("key") for v in attrs["commune"].findall("values/value")]
        assert "80101" in keys
        assert "dossier_code" in attrs


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_regulation_service_requires_the_senders_address(
    client: Client, db: Any, fmt: str
) -> None:
    data = parse(client.get(f"{ROOT}/services/regulation.{fmt}"), fmt)
    if fmt == "json":
        required = {a["code"]: a["required"] for a in data["attributes"]}
        assert required["sender_address"] is True and required["commune"] is False
    else:
        required = {
            a.findtext("code"): a.findtext("required") for a in data.findall("attributes/attribute")
        }
        assert required["sender_address"] == "true"


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_is_404_in_the_standard_format(
    client: Client, db: Any, fmt: str
) -> None:
    response = client.get(f"{ROOT}/services/pothole.{fmt}")
    assert response.status_code == 404
    [err] = errors_of(response, fmt)
    assert err["code"] == 404 and "pothole" in err["description"]


# --- POST requests -------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_posting_a_request(client: Client, world: World, rules, fmt: str) -> None:  # type: ignore[no-untyped-def]
    response = post(
        client,
        fmt,
        **{"jurisdiction_id": "vinhlong.gov.vn", "attribute[title]": "Cột điện nghiêng"},
    )
    assert response.status_code == 200, response.content
    data = parse(response, fmt)
    if fmt == "json":
        [row] = data
    else:
        assert data.tag == "service_requests"
        [row] = xml_items(data, "request")
    item = Feedback.objects.get(code=row["service_request_id"])
    assert set(row) == {"service_request_id", "service_notice", "account_id"}
    assert "Hạn trả lời" in row["service_notice"]
    assert item.channel == Channel.OPEN311
    assert item.title == "Cột điện nghiêng"
    assert item.unit == world.units["a1"] and item.agency == world.agencies["pc_a1"]
    assert item.sender_name == "Bảo Trần" and item.sender_phone == "0903111222"
    assert item.publish_consent is True
    assert AuditRecord.objects.get(action="feedback.feedback_submit").actor_label == "open311"


def test_a_post_from_a_signed_in_browser_is_still_an_anonymous_citizens(
    world: World, rules
) -> None:  # type: ignore[no-untyped-def]
    """The endpoint takes no CSRF token: a page elsewhere could make an official's browser post
    to it, so the official's session must lend the request nothing."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user("handler"))
    response = post(browser, "json")
    assert response.status_code == 200, response.content
    record = AuditRecord.objects.get(action="feedback.feedback_submit")
    assert record.actor_id is None and record.actor_label == "open311"


def test_without_a_title_the_first_words_of_the_description_are_used(
    client: Client, world: World, rules
) -> None:  # type: ignore[no-untyped-def]
    post(client, "json", description="Rác " * 60)
    assert Feedback.objects.get().title.startswith("Rác Rác")
    assert len(Feedback.objects.get().title) <= 101


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("fields", "needle"),
    [
        ({"service_code": None}, "service_code"),
        ({"service_code": "pothole"}, "pothole"),
        ({"address_id": None}, "lat và long"),
        ({"address_id": "99999"}, "99999"),
        ({"address_id": None, "lat": "abc", "long": "106.3"}, "lat, long"),
        ({"description": "ngắn"}, "quá ngắn"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"service_code": "regulation"}, "Nghị định 20/2008"),
        ({"phone": "123"}, "Số điện thoại"),
    ],
)
def test_the_same_rules_as_the_form_answer_400(
    client: Client, world: World, rules, fmt: str, fields: dict, needle: str
) -> None:  # type: ignore[no-untyped-def]
    response = post(client, fmt, **fields)
    assert response.status_code == 400
    [err] = errors_of(response, fmt)
    assert err["code"] == 400 and needle in err["description"]
    assert Feedback.objects.count() == 0


def test_a_regulation_with_name_phone_and_address_is_accepted(
    client: Client, world: World, rules
) -> None:  # type: ignore[no-untyped-def]
    response = post(
        client,
        "json",
        service_code="regulation",
        **{"attribute[sender_address]": "Ấp 2, xã An Hòa"},
    )
    assert response.status_code == 200
    assert Feedback.objects.get().agency == world.agencies["justice"]


def test_a_location_by_coordinates_or_address_is_enough(
    client: Client, world: World, rules
) -> None:  # type: ignore[no-untyped-def]
    assert (
        post(
            client, "json", service_code="initiative", address_id=None, lat="10.24", long="106.37"
        ).status_code
        == 200
    )
    assert (
        post(
            client, "json", service_code="initiative", address_id=None, address_string="Chợ Bến Tre"
        ).status_code
        == 200
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_abuse_limit_answers_429(
    client: Client, settings, world: World, rules, fmt: str
) -> None:  # type: ignore[no-untyped-def]
    settings.FEEDBACK_RATE_LIMITS = {"ip": [(600, 1)]}
    assert post(client, fmt).status_code == 200
    response = post(client, fmt, phone="0903999888")
    assert response.status_code == 429
    assert response["Retry-After"]
    [err] = errors_of(response, fmt)
    assert err["code"] == 429


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_api_key_is_required_once_the_operator_issues_one(
    client: Client, world: World, rules, fmt: str
) -> None:  # type: ignore[no-untyped-def]
    Open311Key.objects.create(
        name="Ứng dụng Bến Tre Smart",
        key_hash=hashlib.sha256(b"khoa-bi-mat").hexdigest(),
        prefix="khoa",
    )
    for key in (None, "sai"):
        response = post(client, fmt, api_key=key)
        assert response.status_code == 403
        [err] = errors_of(response, fmt)
        assert err["code"] == 403 and "api_key" in err["description"]
    assert post(client, fmt, api_key="khoa-bi-mat").status_code == 200
    assert (
        AuditRecord.objects.get(action="feedback.feedback_submit").actor_label
        == "open311:Ứng dụng Bến Tre Smart"
    )


def test_other_methods_are_405(client: Client, db: Any) -> None:
    response = client.delete(f"{ROOT}/requests.json")
    assert response.status_code == 405
    assert json.loads(response.content)[0]["code"] == 405
    assert client.post(f"{ROOT}/services.json").status_code == 405


# --- GET requests --------------------------------------------------------------------------------
@pytest.fixture
def history(world: World, submit: Submit) -> dict[str, Feedback]:
    """Three items: open (February), answered (March, published), a duplicate (March)."""
    with time_machine.travel(datetime(2026, 2, 10, 9, 0, tzinfo=TZ), tick=False):
        old = item_in(
            submit, world.agencies["pc_a"], category=Category.CONDUCT, title="Cán bộ vắng mặt"
        )
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False):
        answered = item_in(
            submit,
            world.agencies["pc_a"],
            category=Category.LOCAL,
            unit=world.units["a1"],
            address="Ấp An Thạnh",
            title="Cột điện nghiêng",
            publish_consent=True,
            latitude=None,
            longitude=None,
        )
        dup = item_in(
            submit,
            world.agencies["pc_a"],
            category=Category.LOCAL,
            unit=world.units["a1"],
            title="Cột điện sắp đổ",
        )
        head, handler = fresh(world.user("head")), fresh(world.user("handler"))
        services.feedback_merge(actor=handler, item=dup, into=answered)
        services.feedback_answer(actor=handler, item=answered, text="Điện lực đã dựng lại cột.")
        services.feedback_approve(actor=head, item=answered)
    for item in (old, answered, dup):
        item.refresh_from_db()
    return {"old": old, "answered": answered, "dup": dup}


def _ids(response: Any, fmt: str) -> list[str]:
    data = parse(response, fmt)
    rows = data if fmt == "json" else xml_items(data, "request")
    return [r["service_request_id"] for r in rows]


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_shows_every_field_of_the_standard(client: Client, history, fmt: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        f"{ROOT}/requests.{fmt}",
        {"start_date": "2026-03-01T00:00:00+07:00", "end_date": "2026-03-31T00:00:00+07:00"},
    )
    assert response.status_code == 200
    data = parse(response, fmt)
    rows = data if fmt == "json" else xml_items(data, "request")
    assert {r["service_request_id"] for r in rows} == {
        history["answered"].code,
        history["dup"].code,
    }
    row = next(r for r in rows if r["service_request_id"] == history["answered"].code)
    assert list(row) == REQUEST_FIELDS
    assert row["status"] == "closed"
    assert row["status_notes"] == "Điện lực đã dựng lại cột."
    assert row["service_code"] == "local"
    assert row["agency_responsible"] == "Ủy ban nhân dân huyện An Phú"
    assert row["requested_datetime"] == "2026-03-02T09:00:00+07:00"
    assert row["expected_datetime"] == "2026-03-16T09:00:00+07:00"
    assert row["address_id"] == "80101"
    assert row["description"] == history["answered"].public_content  # published, with consent
    assert row["description"].startswith("Bộ phận một cửa")
    dup = next(r for r in rows if r["service_request_id"] == history["dup"].code)
    assert dup["status"] == "closed" and history["answered"].code in dup["status_notes"]
    assert dup["description"] == ""  # never published: nothing of its content


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_filters(client: Client, history, fmt: str) -> None:  # type: ignore[no-untyped-def]
    march = {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-03-31T00:00:00Z"}
    url = f"{ROOT}/requests.{fmt}"
    assert set(_ids(client.get(url, {**march, "status": "open"}), fmt)) == {history["old"].code}
    assert set(_ids(client.get(url, {**march, "status": "closed"}), fmt)) == {
        history["answered"].code,
        history["dup"].code,
    }
    assert set(_ids(client.get(url, {**march, "service_code": "conduct,initiative"}), fmt)) == {
        history["old"].code
    }
    ids = f"{history['old'].code},{history['dup'].code}"
    assert set(_ids(client.get(url, {"service_request_id": ids, "status": "closed"}), fmt)) == {
        history["old"].code,
        history["dup"].code,
    }


def test_get_requests_defaults_to_the_last_90_days(client: Client, history) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 5, 20, 9, 0, tzinfo=TZ), tick=False):
        ids = _ids(client.get(f"{ROOT}/requests.json"), "json")
    assert history["old"].code not in ids and history["answered"].code in ids


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"start_date": "hôm qua"}, "start_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90 ngày"),
        ({"status": "pending"}, "status"),
        ({"service_code": "pothole"}, "pothole"),
    ],
)
def test_bad_filters_are_400(client: Client, db: Any, fmt: str, params: dict, needle: str) -> None:
    response = client.get(f"{ROOT}/requests.{fmt}", params)
    assert response.status_code == 400
    [err] = errors_of(response, fmt)
    assert needle in err["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_one_request(client: Client, history, fmt: str) -> None:  # type: ignore[no-untyped-def]
    code = history["old"].code
    response = client.get(f"{ROOT}/requests/{code}.{fmt}")
    assert response.status_code == 200
    assert _ids(response, fmt) == [code]
    data = parse(response, fmt)
    row = data[0] if fmt == "json" else xml_items(data, "request")[0]
    assert row["status"] == "open" and row["status_notes"] == "Đã tiếp nhận"
    assert client.get(f"{ROOT}/requests/{code.lower()}.{fmt}").status_code == 200
    missing = client.get(f"{ROOT}/requests/PA-0000-0000.{fmt}")
    assert missing.status_code == 404
    assert errors_of(missing, fmt)[0]["code"] == 404


def test_coordinates_and_address_only_with_consent(
    client: Client, world: World, submit: Submit
) -> None:
    from decimal import Decimal

    shown = item_in(
        submit,
        world.agencies["pc_a"],
        latitude=Decimal("10.24"),
        longitude=Decimal("106.37"),
        address="Số 5 hẻm 3",
        publish_consent=True,
    )
    hidden = item_in(
        submit,
        world.agencies["pc_a"],
        latitude=Decimal("10.25"),
        longitude=Decimal("106.38"),
        address="Nhà riêng số 7",
        publish_consent=False,
        unit=world.units["a1"],
    )
    rows = {
        r["service_request_id"]: r for r in json.loads(client.get(f"{ROOT}/requests.json").content)
    }
    assert rows[shown.code]["lat"] == 10.24 and rows[shown.code]["address"] == "Số 5 hẻm 3"
    assert rows[hidden.code]["lat"] is None and rows[hidden.code]["address"] == "Xã An Hòa"


def test_the_operator_issues_and_revokes_keys(client: Client, world: World, rules) -> None:  # type: ignore[no-untyped-def]
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("open311_key", "add", "Ứng dụng Zalo mini", stdout=out)
    raw = out.getvalue().strip()
    assert post(client, "json").status_code == 403
    assert post(client, "json", api_key=raw).status_code == 200
    listing = io.StringIO()
    call_command("open311_key", "list", stdout=listing)
    assert "Ứng dụng Zalo mini" in listing.getvalue() and raw not in listing.getvalue()
    call_command("open311_key", "revoke", raw[:8], stdout=io.StringIO())
    assert post(client, "json", phone="0903555666").status_code == 200  # no active key: open again


def test_a_keyed_application_is_not_limited_by_its_servers_address(
    client: Client, settings, world: World, rules
) -> None:  # type: ignore[no-untyped-def]
    settings.FEEDBACK_RATE_LIMITS = {"ip": [(600, 1)], "phone": [(3600, 1)]}
    Open311Key.objects.create(name="App", key_hash=hashlib.sha256(b"k").hexdigest(), prefix="k")
    assert post(client, "json", api_key="k", phone="0903000001").status_code == 200
    assert post(client, "json", api_key="k", phone="0903000002").status_code == 200
    assert post(client, "json", api_key="k", phone="0903000002").status_code == 429  # the phone
