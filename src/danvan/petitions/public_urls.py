"""Public URLs of the petitions app (mounted at the site root)."""

from django.urls import path

app_name = "petitions-public"
urlpatterns: list = []
_ = path
