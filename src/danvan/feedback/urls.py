"""Back-office URLs of the feedback app (mounted under /office/feedback/)."""

from django.urls import path

app_name = "feedback"
urlpatterns: list = []
_ = path
