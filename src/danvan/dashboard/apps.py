from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "danvan.dashboard"
    label = "dashboard"
    verbose_name = "Bảng điều hành"
