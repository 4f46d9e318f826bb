from django.apps import AppConfig


class ShellConfig(AppConfig):
    name = "danvan.shell"
    label = "shell"
    verbose_name = "Khung giao diện (Shell)"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app plugs into the shell from its own shell.py (menus, widgets, indicators, exports).
        autodiscover_modules("shell")
