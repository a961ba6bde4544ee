from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "policies"

    def ready(self) -> None:
        from policies.review_reminders import REVIEW_DUE, REVIEW_OVERDUE
        from socialgov.reminders import registry

        # Reviews
        registry.register(REVIEW_DUE)
        registry.register(REVIEW_OVERDUE)

        # Signing
        from policies.signing_reminders import POLICY_COVERAGE_WEEKLY, POLICY_UNSIGNED

        registry.register(POLICY_UNSIGNED)
        registry.register(POLICY_COVERAGE_WEEKLY)
