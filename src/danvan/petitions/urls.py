"""Back-office URLs of the petitions app (mounted under /office/petitions/)."""

from django.urls import path

app_name = "petitions"
urlpatterns: list = []
_ = path
