"""Back-office URLs of the consultations app (mounted under /office/consultations/)."""

from django.urls import path

from danvan.consultations.views import office

app_name = "consultations"
urlpatterns = [
    path("", office.consultation_list, name="list"),
    path("new/", office.consultation_create, name="create"),
    path("comments/", office.moderation, name="moderation"),
    path("comments/<int:pk>/moderate/", office.moderate, name="moderate"),
    path("comments/<int:pk>/respond/", office.respond, name="respond"),
    path("<int:pk>/", office.consultation_detail, name="detail"),
    path("<int:pk>/edit/", office.consultation_edit, name="edit"),
    path("<int:pk>/import/", office.sections_import, name="import"),
    path("<int:pk>/sections/", office.sections_text, name="sections"),
    path("<int:pk>/attach/", office.attach, name="attach"),
    path("<int:pk>/files/<int:att>/", office.attachment, name="attachment"),
    path("<int:pk>/open/", office.open_, name="open"),
    path("<int:pk>/close/", office.close, name="close"),
    path("<int:pk>/report/", office.issue_report, name="issue-report"),
    path("<int:pk>/report.<str:fmt>", office.report, name="report"),
    path("<int:pk>/publish/", office.publish, name="publish"),
]
