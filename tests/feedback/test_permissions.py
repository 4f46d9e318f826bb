"""Permission matrix of the feedback app: every role × every action × an item of the role's own
agency / of another unit's agency — in the rules, through the back-office views and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from danvan.feedback.models import Category, Feedback, ReplyTemplate, RoutingRule, Status
from danvan.org.models import Agency, Official
from tests.feedback.conftest import Submit, item_in
from tests.permissions import (
    Matrix,
    assert_perm_matrix,
    client_for,
    expected,
    http_allowed,
    http_refused,
)
from tests.world import ROLES, World

OFFICIALS = [
    "front_desk",
    "handler",
    "head",
    "committee_leader",
    "home_affairs",
    "inspector",
    "sysadmin",
]
ALL = dict.fromkeys(OFFICIALS, (True, True))
OWN = (True, False)
LEADERS = dict.fromkeys(
    ["head", "committee_leader", "inspector", "home_affairs", "sysadmin"], (True, True)
)

RULES: Matrix = {
    "feedback.view_feedback": {
        "front_desk": OWN,
        "handler": OWN,
        "head": OWN,
        "committee_leader": OWN,
        "home_affairs": (True, True),
        "inspector": (True, True),
        "sysadmin": (True, True),
    },
    "feedback.add_feedback": {"front_desk": OWN, "handler": OWN, "head": OWN},
    "feedback.assign_feedback": {"front_desk": OWN, "head": OWN},
    "feedback.transfer_feedback": {"front_desk": OWN, "handler": OWN, "head": OWN},
    "feedback.merge_feedback": {"handler": OWN, "head": OWN},
    "feedback.answer_feedback": {"handler": OWN, "head": OWN},
    "feedback.approve_feedback": {"head": OWN},
    "feedback.publish_feedback": {"head": OWN},
    "feedback.change_routingrule": {"committee_leader": OWN, "sysadmin": (True, True)},
    "feedback.change_replytemplate": {"head": OWN, "sysadmin": (True, True)},
}
GLOBAL: Matrix = {
    "feedback.view_inbox": ALL,
    "feedback.view_overdue": LEADERS,
    "feedback.view_stats": LEADERS,
    "feedback.view_routingrule": {"committee_leader": (True, True), "sysadmin": (True, True)},
    "feedback.view_replytemplate": ALL,
}


@pytest.fixture
def make(submit: Submit):  # type: ignore[no-untyped-def]
    def _make(action: str):  # type: ignore[no-untyped-def]
        if action == "feedback.change_routingrule":
            return lambda agency: RoutingRule(
                category=Category.LOCAL, unit=agency.unit, agency=agency
            )
        if action == "feedback.add_feedback":
            return lambda agency: agency
        if action == "feedback.change_replytemplate":
            return lambda agency: ReplyTemplate(
                agency=agency, category=Category.LOCAL, title="M", body="B"
            )
        return lambda agency: item_in(submit, agency)

    return _make


# One test per action (all roles in it): the test province is built once per action.
@pytest.mark.parametrize("action", list(RULES))
def test_object_permissions(world: World, make, action: str) -> None:  # type: ignore[no-untyped-def]
    for role in ROLES:
        assert_perm_matrix(world, RULES, action, role, make(action))


@pytest.mark.parametrize("action", list(GLOBAL))
def test_global_permissions(world: World, action: str) -> None:
    for role in ROLES:
        assert_perm_matrix(world, GLOBAL, action, role, None)


def test_a_province_wide_template_is_the_administrators(world: World) -> None:
    from tests.permissions import fresh

    shared = ReplyTemplate(agency=None, category=Category.LOCAL, title="M", body="B")
    assert fresh(world.user("sysadmin")).has_perm("feedback.change_replytemplate", shared)
    assert not fresh(world.user("head")).has_perm("feedback.change_replytemplate", shared)


# --- the same rules through the views and the API ------------------------------------------------
VIEWS: Matrix = {
    "detail": RULES["feedback.view_feedback"],
    "assign": RULES["feedback.assign_feedback"],
    "transfer": RULES["feedback.transfer_feedback"],
    "merge": RULES["feedback.merge_feedback"],
    "answer": RULES["feedback.answer_feedback"],
    "approve": RULES["feedback.approve_feedback"],
    "return": RULES["feedback.approve_feedback"],
    "publish": RULES["feedback.publish_feedback"],
    "inbox": ALL,
    "new": dict.fromkeys(["front_desk", "handler", "head"], (True, True)),
    "overdue": LEADERS,
    "stats": LEADERS,
    "routing": GLOBAL["feedback.view_routingrule"],
    "templates": ALL,
    "api_list": ALL,
    "api_show": RULES["feedback.view_feedback"],
    "api_assign": RULES["feedback.assign_feedback"],
    "api_transfer": RULES["feedback.transfer_feedback"],
    "api_merge": RULES["feedback.merge_feedback"],
    "api_answer": RULES["feedback.answer_feedback"],
    "api_approve": RULES["feedback.approve_feedback"],
    "api_publish": RULES["feedback.publish_feedback"],
}
POST_ACTIONS = {"assign", "transfer", "merge", "answer", "approve", "return", "publish"}
STATE_FOR = {
    "approve": Status.AWAITING_APPROVAL,
    "return": Status.AWAITING_APPROVAL,
    "publish": Status.ANSWERED,
    "api_approve": Status.AWAITING_APPROVAL,
    "api_publish": Status.ANSWERED,
}


def _item_for(
    submit: Submit, world: World, action: str, agency: Agency
) -> tuple[Feedback, Feedback]:
    item = item_in(submit, agency, title="Đèn đường hỏng ở ngã ba chợ")
    target = item_in(submit, agency, title="Đèn đường ngã ba chợ không sáng")
    status = STATE_FOR.get(action)
    if status is not None:
        Feedback.objects.filter(pk=item.pk).update(
            status=status, answer_text="Đã sửa đèn.", answered_at=item.received_at
        )
    return item, target


def _request(client: Client, world: World, action: str, item: Feedback, target: Feedback) -> Any:
    handler = Official.objects.filter(agency=item.agency).first()
    pk = item.pk
    data: dict[str, Any] = {
        "assign": {"handler": handler.pk if handler else 0},
        "transfer": {"agency": world.agencies["justice"].pk, "reason": "Không thuộc thẩm quyền."},
        "merge": {"into": target.code},
        "answer": {"text": "Đã sửa đèn.", "action": "submit"},
        "approve": {"text": "Đã sửa đèn.", "publish": "on"},
        "return": {"note": "Bổ sung thời gian sửa."},
        "publish": {"public_title": "Đèn đường", "public_answer": "Đã sửa đèn."},
    }.get(action, {})
    if action in POST_ACTIONS:
        return client.post(reverse(f"feedback:{action}", args=[pk]), data)
    if action == "detail":
        return client.get(reverse("feedback:detail", args=[pk]))
    if action in ("inbox", "new", "overdue", "routing", "templates"):
        return client.get(reverse(f"feedback:{action}"))
    if action == "stats":
        return client.get(reverse("feedback:stats"))
    api = "/api/v1/feedback"
    payloads: dict[str, tuple[str, dict[str, Any]]] = {
        "api_assign": ("assign", {"handler": handler.user.username if handler else "x"}),
        "api_transfer": ("transfer", {"agency": "STP", "reason": "Không thuộc thẩm quyền."}),
        "api_merge": ("merge", {"into": target.code}),
        "api_answer": ("answer", {"text": "Đã sửa đèn."}),
        "api_approve": ("approve", {}),
        "api_publish": ("publish", {}),
    }
    if action == "api_list":
        return client.get(api)
    if action == "api_show":
        return client.get(f"{api}/{pk}")
    verb, body = payloads[action]
    return client.post(f"{api}/{pk}/{verb}", body, content_type="application/json")


Pairs = dict[int, tuple[Feedback, Feedback]]


def _check(world: World, submit: Submit, action: str, role: str, pairs: Pairs) -> None:
    """``pairs`` keeps an agency's items while no request changed them (refusals change
    nothing), so that the matrix does not submit four items per role."""
    own_ok, other_ok = expected(VIEWS, action, role)
    for agency, ok in ((world.own(role), own_ok), (world.other, other_ok)):
        if agency.pk not in pairs:
            pairs[agency.pk] = _item_for(submit, world, action, agency)
        item, target = pairs[agency.pk]
        if ok and (
            action in POST_ACTIONS
            or (action.startswith("api_") and action not in ("api_list", "api_show"))
        ):
            del pairs[agency.pk]  # this request changes the item
        response = _request(client_for(world, role), world, action, item, target)
        status = response.status_code
        if ok and action in POST_ACTIONS:
            assert status == 302, (
                f"{role} {action} {agency.code}: {status} {response.content[:300]!r}"
            )
            assert response["Location"].endswith(f"/office/feedback/{item.pk}/")
        elif ok:
            assert http_allowed(status), (
                f"{role} {action} {agency.code}: {status} {response.content[:300]!r}"
            )
        else:
            assert http_refused(status), f"{role} {action} {agency.code}: {status}"
            if status == 302:
                assert "/login/" in response["Location"]


@pytest.mark.parametrize("action", list(VIEWS))
def test_views_and_api_follow_the_matrix(world: World, submit: Submit, action: str) -> None:
    pairs: Pairs = {}
    for role in ROLES:
        _check(world, submit, action, role, pairs)


def test_the_inbox_shows_only_the_scope(world: World, submit: Submit) -> None:
    own = item_in(submit, world.agencies["pc_a"], title="Của huyện A")
    other = item_in(submit, world.agencies["pc_b"], title="Của huyện B")
    body = client_for(world, "handler").get(reverse("feedback:inbox")).content.decode()
    assert own.code in body and other.code not in body
    body = client_for(world, "home_affairs").get(reverse("feedback:inbox")).content.decode()
    assert own.code in body and other.code in body
