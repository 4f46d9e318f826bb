"""Public URLs of the feedback app (mounted at the site root): the citizens' pages and the
Open311 GeoReport v2 endpoint."""

from django.urls import path, re_path

from danvan.feedback import open311
from danvan.feedback.views import public

app_name = "feedback-public"
FMT = r"(?P<fmt>json|xml)"
urlpatterns = [
    path("phan-anh/", public.public_list, name="list"),
    path("phan-anh/gui/", public.submit, name="submit"),
    path("phan-anh/tra-cuu/", public.track_lookup, name="track-lookup"),
    path("phan-anh/tra-cuu/<str:code>/", public.track, name="track"),
    path("phan-anh/<int:pk>/", public.public_detail, name="detail"),
    re_path(rf"^open311/v2/discovery\.{FMT}$", open311.discovery, name="open311-discovery"),
    re_path(rf"^open311/v2/services\.{FMT}$", open311.service_list, name="open311-services"),
    re_path(
        rf"^open311/v2/services/(?P<code>[\w-]+)\.{FMT}$",
        open311.service_definition,
        name="open311-service",
    ),
    re_path(rf"^open311/v2/requests\.{FMT}$", open311.requests, name="open311-requests"),
    re_path(
        rf"^open311/v2/requests/(?P<request_id>[\w-]+)\.{FMT}$",
        open311.request_detail,
        name="open311-request",
    ),
]
