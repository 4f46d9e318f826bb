"""Public URLs of the consultations app (mounted at the site root)."""

from django.urls import path

from danvan.consultations.views import public

app_name = "consultations-public"
urlpatterns = [
    path("gop-y-du-thao/", public.consultation_list, name="list"),
    path("gop-y-du-thao/<int:pk>/", public.consultation_detail, name="detail"),
    path("gop-y-du-thao/<int:pk>/gop-y/", public.comment, name="comment"),
    path("gop-y-du-thao/<int:pk>/xac-minh/", public.phone_check, name="phone"),
    path("gop-y-du-thao/<int:pk>/theo-doi/", public.follow, name="follow"),
    path("gop-y-du-thao/<int:pk>/bao-cao.<str:fmt>", public.report, name="report"),
    path("gop-y-du-thao/<int:pk>/tep/<int:att>/", public.attachment, name="attachment"),
]
