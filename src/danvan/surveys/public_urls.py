"""Public URLs of the surveys app (mounted at the site root)."""

from django.urls import path

app_name = "surveys-public"
urlpatterns: list = []
_ = path
