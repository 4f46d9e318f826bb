from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "danvan.core"
    label = "core"
    verbose_name = "Nền tảng (Core)"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from danvan.core import checks, db  # noqa: F401  (system checks, lookups)

        # Tasks register their periodic jobs when their module is imported.
        autodiscover_modules("tasks")
