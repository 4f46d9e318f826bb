from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "danvan.org"
    label = "org"
    verbose_name = "Tổ chức (đơn vị hành chính, cơ quan, cán bộ)"

    def ready(self) -> None:
        from danvan.core.calendar import set_hours_provider
        from danvan.org.hours import AgencyHours

        set_hours_provider(AgencyHours())
