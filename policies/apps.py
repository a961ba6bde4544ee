from django.apps import AppConfig


def _writes_templates(request) -> bool:
    """The trust templates menu entry: trust executives (a function, not a lambda, so that
    registering it again when ready() runs twice is harmless)."""
    from policies.access import can_write_templates

    return can_write_templates(request.user)


class PoliciesConfig(AppConfig):
    name = "policies"

    def ready(self) -> None:
        from socialgov.navigation import MENU, NavItem

        MENU.register(
            NavItem("policies", "Policies", "policy_list", "file-earmark-text", order=200)
        )
        MENU.register(NavItem("to_sign", "To sign", "to_sign_list", "pen", order=210))
        MENU.register(
            NavItem(
                "policy_templates",
                "Trust templates",
                "policy_template_list",
                "files",
                order=220,  # trust executives only, also when they belong to no school
                show=_writes_templates,
            )
        )

        # Exports of a version's coverage and signed PDFs are logged against the version
        # (socialgov.audit): the log shows them to those who may see the version.
        from policies.access import version_visible_to
        from policies.models import PolicyVersion
        from socialgov.audit.registry import register_gateway

        register_gateway(PolicyVersion, version_visible_to)

        from policies.demo import seed_policies_line
        from policies.needs_me import PANELS as POLICY_PANELS
        from socialgov.demo import DEMO_SEEDERS, DemoSeeder
        from socialgov.needs_me import PANELS

        for panel in POLICY_PANELS:
            PANELS.register(panel)
        DEMO_SEEDERS.register(DemoSeeder("policies", seed_policies_line, order=100))

        # The governors' report and the trust roll-up (policies.governors).
        from policies.governors import POLICIES_SECTION, SUMMARY_FIGURES
        from socialgov.needs_me import SUMMARY
        from socialgov.reports.registry import REPORT_SECTIONS

        REPORT_SECTIONS.register(POLICIES_SECTION)
        for figure in SUMMARY_FIGURES:
            SUMMARY.register(figure)
        # Declarations and recorded exceptions (policies/declarations/)
        from policies.declarations.registration import register as register_declarations

        register_declarations()

        from policies.review_reminders import REVIEW_DUE, REVIEW_OVERDUE
        from socialgov.reminders import registry

        # Reviews
        registry.register(REVIEW_DUE)
        registry.register(REVIEW_OVERDUE)

        # Signing
        from policies.signing_reminders import POLICY_COVERAGE_WEEKLY, POLICY_UNSIGNED

        registry.register(POLICY_UNSIGNED)
        registry.register(POLICY_COVERAGE_WEEKLY)

        # The signed-PDF sweep (also `manage.py render_signature_pdfs`)
        from socialgov.reminders.schedule import SCHEDULED_JOBS, ScheduledJob

        SCHEDULED_JOBS.register(
            ScheduledJob(
                name="Signed PDFs",
                task="policies.tasks.signature_pdfs_sweep_task",
                at={"minute": "*/10", "hour": "*"},
                description=(
                    "Renders the archival PDFs of signatures that the task after signing did not "
                    "(a worker or the storage was down), so signed-PDF zips are complete."
                ),
            )
        )
