"""Demo data: the ready SIPAS questionnaire, two campaigns with realistic answers, kiosks, the
organiser's account; loading twice changes nothing. Also the shell entries (menu, dashboard)."""

from __future__ import annotations

from django.urls import reverse

from danvan.org.models import User
from danvan.shell import registry
from danvan.surveys.demo import load_surveys_demo
from danvan.surveys.models import Campaign, Kiosk, Question, Questionnaire, Response
from danvan.surveys.selectors import satisfaction_indices
from danvan.surveys.sipas import SIPAS_ELEMENTS
from tests.permissions import client_for
from tests.surveys.conftest import Survey
from tests.world import World


def test_demo_data_loads_once_with_a_ready_sipas_questionnaire(world: World) -> None:
    load_surveys_demo()
    sipas = Questionnaire.objects.get(code="sipas")
    assert sipas.status == "published" and sipas.title_en
    elements = set(sipas.sections.values_list("element", flat=True))
    assert {e.value for e in SIPAS_ELEMENTS} <= elements
    assert Question.objects.filter(questionnaire=sipas, kind="scale").count() == 20
    assert not Question.objects.filter(questionnaire=sipas, text_en="").exists()
    last, current = Campaign.objects.order_by("starts_on")
    assert (last.status, last.results_published, current.status) == ("closed", True, "open")
    rows = satisfaction_indices(campaign_id=last.pk)
    justice = next(r for r in rows if r.agency_code == "STP")
    # in this small world the department is the last participant: the one that fell short
    assert justice.below_target and justice.responses > 50 and 80 < justice.overall < 100
    assert set(Response.objects.values_list("channel", flat=True)) == {
        "kiosk",
        "public",
        "paper",
        "invitation",
    }
    assert Kiosk.objects.filter(key="demo-quay-so-tu-phap").exists()
    count = Response.objects.count()
    load_surveys_demo()
    assert Response.objects.count() == count


def test_the_organiser_account_is_listed(world: World) -> None:
    load_surveys_demo()
    accounts = registry.demo_loaders.get("surveys").accounts()
    assert accounts == [
        {
            "username": "khaosat.snv",
            "password": "DanVan@2026",
            "role": "home_affairs",
            "agency": "Sở Nội vụ",
            "unit": "Tỉnh Thử Nghiệm",
        }
    ]
    assert User.objects.get(username="khaosat.snv").check_password("DanVan@2026")


def test_menu_and_dashboard_widget(survey: Survey) -> None:
    home = (
        client_for(survey.world, "home_affairs").get(reverse("shell:office-home")).content.decode()
    )
    assert "Khảo sát sự hài lòng đang mở" in home and "Khảo sát năm 2026" in home
    public = client_for(survey.world, "anonymous").get("/").content.decode()
    assert reverse("surveys-public:home") in public
