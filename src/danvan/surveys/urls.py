"""Back-office URLs of the surveys app (mounted under /office/surveys/)."""

from django.urls import path

app_name = "surveys"
urlpatterns: list = []
_ = path
