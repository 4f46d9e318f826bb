"""Public URLs of the consultations app (mounted at the site root)."""

from django.urls import path

app_name = "consultations-public"
urlpatterns: list = []
_ = path
