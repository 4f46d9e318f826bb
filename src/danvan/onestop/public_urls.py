"""Public URLs of the onestop app (mounted at the site root)."""

from django.urls import path

app_name = "onestop-public"
urlpatterns: list = []
_ = path
