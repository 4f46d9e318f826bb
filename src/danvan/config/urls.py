"""URL map: the public site at /, the back office at /office/, the API at /api/v1/."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from danvan.config.api import api
from danvan.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("files/<str:token>/", core_views.attachment_download, name="attachment-download"),
    path("office/", include("danvan.shell.urls")),
    path("office/", include("danvan.core.urls")),
    path("office/", include("danvan.org.urls")),
    path("office/onestop/", include("danvan.onestop.urls")),
    path("office/petitions/", include("danvan.petitions.urls")),
    path("", include("danvan.onestop.public_urls")),
    path("", include("danvan.petitions.public_urls")),
    path("office/feedback/", include("danvan.feedback.urls")),
    path("office/surveys/", include("danvan.surveys.urls")),
    path("office/consultations/", include("danvan.consultations.urls")),
    path("office/dialogues/", include("danvan.dialogues.urls")),
    path("", include("danvan.feedback.public_urls")),
    path("", include("danvan.surveys.public_urls")),
    path("", include("danvan.consultations.public_urls")),
    path("", include("danvan.dialogues.public_urls")),
    path("office/plans/", include("danvan.plans.urls")),
    path("office/dashboard/", include("danvan.dashboard.urls")),
    path("", include("danvan.plans.public_urls")),
    path("admin/", admin.site.urls),
    path("", include("danvan.portal.urls")),
]

handler404 = "danvan.shell.errors.not_found"
handler403 = "danvan.shell.errors.forbidden"
handler500 = "danvan.shell.errors.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
