"""Public URLs of the onestop app (mounted at the site root)."""

from django.urls import path

from danvan.onestop.views import public

app_name = "onestop-public"
urlpatterns = [
    path("thu-tuc-hanh-chinh/", public.catalogue, name="catalogue"),
    path("thu-tuc-hanh-chinh/<str:code>/", public.procedure_detail, name="procedure"),
    path(
        "thu-tuc-hanh-chinh/<str:code>/mau/<int:pk>/",
        public.procedure_form_download,
        name="procedure-form",
    ),
    path("tra-cuu-ho-so/", public.lookup, name="lookup"),
    path("tra-cuu-ho-so/<str:code>/", public.lookup_code, name="lookup-code"),
    path("tra-cuu-ho-so/<str:code>/danh-gia/", public.rate, name="rate"),
]
