"""Back-office URLs of the feedback app (mounted under /office/feedback/)."""

from django.urls import path

from danvan.feedback.views import office

app_name = "feedback"
urlpatterns = [
    path("", office.inbox, name="inbox"),
    path("new/", office.new, name="new"),
    path("overdue/", office.overdue, name="overdue"),
    path("<int:pk>/", office.detail, name="detail"),
    path("<int:pk>/assign/", office.assign, name="assign"),
    path("<int:pk>/transfer/", office.transfer, name="transfer"),
    path("<int:pk>/merge/", office.merge, name="merge"),
    path("<int:pk>/answer/", office.answer, name="answer"),
    path("<int:pk>/approve/", office.approve, name="approve"),
    path("<int:pk>/return/", office.return_answer, name="return"),
    path("<int:pk>/publish/", office.publish, name="publish"),
    path("routing/", office.routing, name="routing"),
    path("routing/<int:pk>/delete/", office.routing_delete, name="routing-delete"),
    path("templates/", office.templates, name="templates"),
    path("templates/new/", office.template_edit, name="template-add"),
    path("templates/<int:pk>/", office.template_edit, name="template-edit"),
    path("templates/<int:pk>/delete/", office.template_delete, name="template-delete"),
    path("statistics/", office.statistics, name="stats"),
]
