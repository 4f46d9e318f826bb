from django.apps import AppConfig


class OnestopConfig(AppConfig):
    name = "danvan.onestop"
    label = "onestop"
    verbose_name = "Một cửa (thủ tục hành chính, hồ sơ)"
