"""One response per one-time token, even when the same link is submitted at the same moment from
several places (a double tap, a resent form, two phones): real threads, each with its own
database connection, on a transactional test database."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from typing import Any

import pytest
from django.db import OperationalError, close_old_connections, connection

from danvan.core.errors import ApplicationError
from danvan.surveys import services
from danvan.surveys.models import Answer, Invitation, Response
from tests.surveys.conftest import GOOD, build_questionnaire, open_campaign
from tests.world import World

THREADS = 6

pytestmark = pytest.mark.django_db(transaction=True)


def _race(target: Any) -> list[str]:
    """Run ``target`` in THREADS threads released together; collect each outcome."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            for _attempt in range(50):
                try:
                    target()
                    outcome = "created"
                    break
                except OperationalError:
                    # SQLite's shared in-memory test database answers "locked" instead of
                    # waiting for the writer; a client would simply send again.
                    time.sleep(0.02)
            else:
                outcome = "locked"
        except ApplicationError as exc:
            outcome = exc.code
        finally:
            close_old_connections()
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def test_concurrent_submissions_of_one_token_give_exactly_one_response(world: World) -> None:
    questionnaire = build_questionnaire(world.user("home_affairs"))
    open_campaign(world, questionnaire)
    issued = services.invitation_create(actor=None, agency=world.agencies["pc_a"])
    assert issued is not None

    outcomes = _race(lambda: services.response_submit_by_token(token=issued.token, answers=GOOD))

    assert Counter(outcomes) == {"created": 1, "already_answered": THREADS - 1}
    assert Response.objects.filter(invitation=issued.invitation).count() == 1
    assert Answer.objects.count() == 3  # the losers left no stray answers
    assert Invitation.objects.get().used_at is not None


def test_concurrent_resends_of_one_kiosk_submission_are_counted_once(world: World) -> None:
    questionnaire = build_questionnaire(world.user("home_affairs"))
    open_campaign(world, questionnaire)
    kiosk = services.kiosk_create(
        actor=world.user("front_desk"), agency=world.agencies["pc_a"], name="Quầy 1"
    )
    client_id = uuid.uuid4()

    outcomes = _race(
        lambda: services.response_submit_kiosk(key=kiosk.key, answers=GOOD, client_id=client_id)
    )

    assert Counter(outcomes) == {"created": THREADS}  # every resend is answered "recorded"
    assert Response.objects.filter(kiosk=kiosk).count() == 1
