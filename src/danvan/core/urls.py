from django.urls import path

from danvan.core import views

app_name = "core"
urlpatterns = [
    path("calendar/", views.calculator, name="calculator"),
    path("calendar/exceptions/", views.calendar_exception_add, name="calendar-exception-add"),
    path(
        "calendar/exceptions/<int:pk>/delete/",
        views.calendar_exception_delete,
        name="calendar-exception-delete",
    ),
    path("rules/", views.rules, name="rules"),
    path("audit/", views.audit_trail, name="audit"),
    path("outbox/", views.outbox, name="outbox"),
]
