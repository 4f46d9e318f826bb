from django.apps import AppConfig


class DialoguesConfig(AppConfig):
    name = "danvan.dialogues"
    label = "dialogues"
    verbose_name = "Đối thoại và cam kết"
