from django.urls import path

from danvan.org.views import auth, office

app_name = "org"
urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.auth_views.LogoutView.as_view(), name="logout"),
    path("otp/", auth.otp_setup, name="otp-setup"),
    path("membership/", auth.switch_membership, name="switch-membership"),
    path("agencies/", office.agency_list, name="agency-list"),
    path("agencies/<int:pk>/", office.agency_detail, name="agency-detail"),
    path("agencies/<int:pk>/lead/", office.agency_set_lead, name="agency-set-lead"),
    path("agencies/export.<str:fmt>", office.agency_export, name="agency-export"),
]
