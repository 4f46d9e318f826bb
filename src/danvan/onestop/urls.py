"""Back-office URLs of the onestop app (mounted under /office/onestop/)."""

from django.urls import path

app_name = "onestop"
urlpatterns: list = []
_ = path
