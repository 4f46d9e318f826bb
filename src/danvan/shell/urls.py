from django.urls import path

from danvan.shell import views

app_name = "shell"
urlpatterns = [
    path("", views.office_home, name="office-home"),
]
