"""Public URLs of the dialogues app (mounted at the site root)."""

from django.urls import path

from danvan.dialogues.views import public

app_name = "dialogues-public"
urlpatterns = [
    path("doi-thoai/", public.dialogue_list, name="list"),
    path("doi-thoai/lich.ics", public.calendar_feed, name="feed"),
    path("doi-thoai/cam-ket/", public.commitments, name="commitments"),
    path("doi-thoai/<int:pk>/", public.dialogue_detail, name="detail"),
    path("doi-thoai/<int:pk>/lich.ics", public.dialogue_ics, name="ics"),
    path("doi-thoai/<int:pk>/bien-ban.<str:fmt>", public.minutes, name="minutes"),
]
