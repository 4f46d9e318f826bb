from django.urls import path

from danvan.org.views import public as org_public
from danvan.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("co-quan/", org_public.directory, name="directory"),
]
