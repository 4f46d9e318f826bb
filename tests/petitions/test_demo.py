"""The demo data loads through the services, twice without duplicates, with the demo accounts."""

from __future__ import annotations

import pytest

from danvan.org.demo import load_org_demo
from danvan.petitions.demo import demo_accounts, load_petitions_demo
from danvan.petitions.models import Petition, ReceptionDay, ReceptionEntry

pytestmark = pytest.mark.django_db


def test_demo_data_covers_every_state_and_is_idempotent() -> None:
    load_org_demo()
    load_petitions_demo()
    counts = (
        Petition.objects.count(),
        ReceptionEntry.objects.count(),
        ReceptionDay.objects.count(),
    )
    load_petitions_demo()
    assert (
        Petition.objects.count(),
        ReceptionEntry.objects.count(),
        ReceptionDay.objects.count(),
    ) == counts
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert statuses >= {
        "received",
        "accepted",
        "guided",
        "transferred",
        "stored",
        "information",
        "resolved",
    }
    assert (
        Petition.objects.filter(protected=True, is_anonymous=False)
        .exclude(identity_sealed="")
        .exists()
    )
    assert Petition.objects.mass_cases().exists()
    assert Petition.objects.filter(round=2, first_round__isnull=False).exists()
    assert Petition.objects.filter(reopen_count__gte=2).exists()
    assert len({p.agency_id for p in Petition.objects.all()}) >= 3
    accounts = {a["username"]: a for a in demo_accounts()}
    assert {"tiepdan.huyen", "thuly.huyen", "thutruong.huyen"} <= set(accounts)
    assert accounts["thuly.huyen"]["role"] == "handler"
