"""Back-office URLs of the petitions app (mounted under /office/petitions/)."""

from django.urls import path

from danvan.petitions.views import office

app_name = "petitions"
urlpatterns = [
    path("", office.petition_list, name="list"),
    path("new/", office.petition_new, name="new"),
    path("export.xlsx", office.petition_export, name="export"),
    path("overdue/", office.overdue, name="overdue"),
    path("long-running/", office.long_running, name="long-running"),
    path("statistics/", office.statistics, name="statistics"),
    path("settings/", office.settings_page, name="settings"),
    path("reception/", office.reception_list, name="reception"),
    path("reception/new/", office.reception_new, name="reception-new"),
    path("reception/<int:pk>/", office.reception_detail, name="reception-detail"),
    path("reception/<int:pk>/reveal/", office.reception_reveal, name="reception-reveal"),
    path("schedule/", office.schedule, name="schedule"),
    path("schedule/<int:pk>/remove/", office.schedule_remove, name="schedule-remove"),
    path("<int:pk>/", office.petition_detail, name="detail"),
    path("<int:pk>/reveal/", office.petition_reveal, name="reveal"),
    path("<int:pk>/redacted.<str:fmt>", office.petition_redacted, name="redacted"),
    path("<int:pk>/documents/<int:doc_id>.<str:fmt>", office.petition_document, name="document"),
    path("<int:pk>/<slug:action>/", office.petition_action, name="action"),
]
