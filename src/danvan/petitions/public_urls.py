"""Public URLs of the petitions app (mounted at the site root)."""

from django.urls import path

from danvan.petitions.views import public

app_name = "petitions-public"
urlpatterns = [
    path("don-thu/gui/", public.submit, name="submit"),
    path("don-thu/tra-cuu/", public.track, name="track"),
    path("lich-tiep-cong-dan/", public.schedule, name="schedule"),
]
