from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "danvan.consultations"
    label = "consultations"
    verbose_name = "Lấy ý kiến dự thảo"
