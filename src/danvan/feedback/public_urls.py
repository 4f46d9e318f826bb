"""Public URLs of the feedback app (mounted at the site root)."""

from django.urls import path

app_name = "feedback-public"
urlpatterns: list = []
_ = path
