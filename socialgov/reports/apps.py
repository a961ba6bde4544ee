from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "socialgov.reports"
    label = "reports"
    verbose_name = "Governors' reports"

    def ready(self) -> None:
        from socialgov.audit.registry import register_gateway
        from socialgov.navigation import MENU, NavItem
        from socialgov.reports.access import (
            REPORT_ROLES,
            generated_report_visible_to,
            sees_a_trust_rollup,
        )
        from socialgov.reports.models import GeneratedReport

        MENU.register(
            NavItem(
                "governors_report",
                "Governors' report",
                "governors_report_current",
                "clipboard-data",
                roles=REPORT_ROLES,
                order=900,
            )
        )
        MENU.register(
            NavItem(
                "trust_rollup",
                "Trust roll-up",
                "trust_rollup_current",
                "grid-3x3-gap",
                order=910,
                show=sees_a_trust_rollup,
            )
        )
        # Downloads of kept reports are access-logged; the log shows those entries to whoever
        # may see the kept report.
        register_gateway(GeneratedReport, generated_report_visible_to)
