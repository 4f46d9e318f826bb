"""Public URLs of the dialogues app (mounted at the site root)."""

from django.urls import path

app_name = "dialogues-public"
urlpatterns: list = []
_ = path
