"""Back-office URLs of the surveys app (mounted under /office/surveys/)."""

from django.urls import path

from danvan.surveys.views import office

app_name = "surveys"
urlpatterns = [
    path("", office.home, name="home"),
    path("questionnaires/", office.questionnaire_list, name="questionnaire-list"),
    path("questionnaires/new/", office.questionnaire_create, name="questionnaire-create"),
    path("questionnaires/sipas/", office.questionnaire_create_sipas, name="questionnaire-sipas"),
    path("questionnaires/<int:pk>/", office.questionnaire_detail, name="questionnaire-detail"),
    path("questionnaires/<int:pk>/edit/", office.questionnaire_edit, name="questionnaire-edit"),
    path(
        "questionnaires/<int:pk>/preview/",
        office.questionnaire_preview,
        name="questionnaire-preview",
    ),
    path("questionnaires/<int:pk>/sections/", office.section_add, name="section-add"),
    path("questionnaires/<int:pk>/questions/", office.question_add, name="question-add"),
    path(
        "questionnaires/<int:pk>/<str:action>/",
        office.questionnaire_action,
        name="questionnaire-action",
    ),
    path("sections/<int:pk>/delete/", office.section_delete, name="section-delete"),
    path("questions/<int:pk>/", office.question_edit, name="question-edit"),
    path("questions/<int:pk>/delete/", office.question_delete, name="question-delete"),
    path("export.xlsx", office.export_latest, name="export"),
    path("campaigns/new/", office.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", office.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", office.campaign_edit, name="campaign-edit"),
    path("campaigns/<int:pk>/participants/", office.participant_set, name="participant-set"),
    path("campaigns/<int:pk>/results/", office.campaign_results, name="campaign-results"),
    path("campaigns/<int:pk>/export.xlsx", office.campaign_export, name="campaign-export"),
    path("campaigns/<int:pk>/paper/", office.paper_entry, name="paper-entry"),
    path("campaigns/<int:pk>/<str:action>/", office.campaign_action, name="campaign-action"),
    path("participants/<int:pk>/remove/", office.participant_remove, name="participant-remove"),
    path("responses/<int:pk>/void/", office.response_void, name="response-void"),
    path("kiosks/", office.kiosk_list, name="kiosk-list"),
    path("kiosks/<int:pk>/toggle/", office.kiosk_toggle, name="kiosk-toggle"),
    path("invitations/new/", office.invitation_create, name="invitation-create"),
]
