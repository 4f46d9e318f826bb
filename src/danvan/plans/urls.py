from django.urls import path

from danvan.plans.views import office

app_name = "plans"
urlpatterns = [
    path("", office.plan_list, name="plan-list"),
    path("<int:pk>/", office.plan_detail, name="plan-detail"),
    path("<int:pk>/require/", office.plan_require, name="plan-require"),
    path("<int:pk>/assign/", office.plan_assign, name="plan-assign"),
    path("requirements/<int:pk>/submit/", office.subplan_submit, name="subplan-submit"),
    path("assignments/", office.assignment_list, name="assignment-list"),
    path("assignments/<int:pk>/", office.assignment_detail, name="assignment-detail"),
    path("reports/", office.report_list, name="report-list"),
    path("reports/open/", office.report_open, name="report-open"),
    path("reports/<int:pk>/", office.report_detail, name="report-detail"),
    path("submissions/<int:template_pk>/<str:period_key>/", office.submissions, name="submissions"),
    path(
        "submissions/<int:template_pk>/<str:period_key>/consolidate/",
        office.consolidate,
        name="consolidate",
    ),
    path("consolidations/<int:pk>/", office.consolidation_detail, name="consolidation"),
    path(
        "consolidations/<int:pk>/download.<str:fmt>",
        office.consolidation_download,
        name="consolidation-download",
    ),
]
