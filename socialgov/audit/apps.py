from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "socialgov.audit"
    label = "audit"

    def ready(self) -> None:
        from socialgov.audit.access import ACCESS_LOG_ROLES
        from socialgov.navigation import MENU, NavItem

        MENU.register(
            NavItem(
                "access_log",
                "Access log",
                "access_log",
                "journal-text",
                ACCESS_LOG_ROLES,
                order=900,
            )
        )
