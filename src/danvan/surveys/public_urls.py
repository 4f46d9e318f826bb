"""Public URLs of the surveys app (mounted at the site root)."""

from django.urls import path

from danvan.surveys.views import public

app_name = "surveys-public"
urlpatterns = [
    path("khao-sat/", public.home, name="home"),
    path("khao-sat/phieu/<str:token>/", public.invitation, name="invitation"),
    path("khao-sat/co-quan/<str:code>/", public.agency_form, name="agency"),
    path("khao-sat/cam-on/", public.thanks, name="thanks"),
    path("khao-sat/quay/<str:key>/", public.kiosk, name="kiosk"),
    path("khao-sat/quay/<str:key>/gui/", public.kiosk_submit, name="kiosk-submit"),
    path("khao-sat/ket-qua/", public.results_list, name="results"),
    path("khao-sat/ket-qua/<int:pk>/", public.results_detail, name="results-detail"),
    path("khao-sat/ket-qua/<int:pk>/<str:code>/", public.results_agency, name="results-agency"),
]
