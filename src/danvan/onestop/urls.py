"""Back-office URLs of the onestop app (mounted under /office/onestop/)."""

from django.urls import path

from danvan.onestop.views import office

app_name = "onestop"
urlpatterns = [
    path("", office.dossier_list, name="dossier-list"),
    path("receive/", office.dossier_receive, name="dossier-receive"),
    path("late/", office.late_list, name="late-list"),
    path("register/", office.register, name="register"),
    path("statistics/", office.statistics, name="statistics"),
    path("statistics.xlsx", office.statistics_xlsx, name="statistics-xlsx"),
    path("procedures/", office.procedure_list, name="procedure-list"),
    path("procedures/import/", office.procedure_import, name="procedure-import"),
    path("procedures/export.<str:fmt>", office.procedure_export, name="procedure-export"),
    path("procedures/<str:code>/review/", office.procedure_review, name="procedure-review"),
    path("reviews/", office.review_list, name="review-list"),
    path("dossiers/<str:code>/", office.dossier_detail, name="dossier-detail"),
    path("dossiers/<str:code>/tablet/", office.tablet_rating, name="tablet-rating"),
    path("dossiers/<str:code>/forms/<str:form>/", office.form_print, name="form-print"),
    path(
        "dossiers/<str:code>/forms/<str:form>.<str:fmt>",
        office.form_download,
        name="form-download",
    ),
    path("dossiers/<str:code>/<str:action>/", office.dossier_action, name="dossier-action"),
]
