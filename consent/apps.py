from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = "Image consent"

    def ready(self) -> None:
        from consent import access
        from consent.models import ConsentDecision, PhotoRestriction
        from socialgov.audit import registry as audit_registry
        from socialgov.navigation import MENU, NavItem

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
        # Reads of restriction reasons and evidence are access-logged; the log shows an entry
        # only to those the consent gateway lets see the record.
        audit_registry.register_gateway(PhotoRestriction, access.restriction_visible_to)
        audit_registry.register_gateway(ConsentDecision, access.decision_visible_to)
