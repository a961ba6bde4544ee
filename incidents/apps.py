from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"

    def ready(self) -> None:
        from incidents.filtering.registration import register as register_filtering
        from incidents.reports.registration import register as register_reports

        register_reports()
        register_filtering()
