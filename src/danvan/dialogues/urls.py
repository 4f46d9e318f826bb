"""Back-office URLs of the dialogues app (mounted under /office/dialogues/)."""

from django.urls import path

app_name = "dialogues"
urlpatterns: list = []
_ = path
