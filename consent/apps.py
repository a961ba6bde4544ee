from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = "Image consent"

    def ready(self) -> None:
        from consent import access
        from consent.demo import seed_consent_line
        from consent.models import ConsentDecision, PhotoRestriction
        from consent.needs_me import PANELS as CONSENT_PANELS
        from consent.reminders import EXPIRING, YEAR_START
        from socialgov.audit import registry as audit_registry
        from socialgov.demo import DEMO_SEEDERS, DemoSeeder
        from socialgov.navigation import MENU, NavItem
        from socialgov.needs_me import PANELS
        from socialgov.reminders import registry as reminders

        MENU.register(
            NavItem(
                "consent",
                "Image consent",
                "consent_home",
                "camera",
                roles=access.LOOKUP_ROLES | access.COUNT_READERS,
                order=300,
            )
        )
        for panel in CONSENT_PANELS:
            PANELS.register(panel)
        reminders.register(YEAR_START)
        reminders.register(EXPIRING)
        DEMO_SEEDERS.register(DemoSeeder("consent", seed_consent_line, order=200))
        # Reads of restriction reasons and evidence are access-logged; the log shows an entry
        # only to those the consent gateway lets see the record.
        audit_registry.register_gateway(PhotoRestriction, access.restriction_visible_to)
        audit_registry.register_gateway(ConsentDecision, access.decision_visible_to)
        # The governors' report (consent.governors): counts only.
        from consent.governors import CONSENT_SECTION, SUMMARY_FIGURE
        from socialgov.needs_me import SUMMARY
        from socialgov.reports.registry import REPORT_SECTIONS

        REPORT_SECTIONS.register(CONSENT_SECTION)
        # The leaders' summary strip on the dashboard: pupils missing image consent.
        SUMMARY.register(SUMMARY_FIGURE)
