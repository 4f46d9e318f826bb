"""Back-office URLs of the consultations app (mounted under /office/consultations/)."""

from django.urls import path

app_name = "consultations"
urlpatterns: list = []
_ = path
