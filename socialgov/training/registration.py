"""What the training log adds to the core, registered from TrainingConfig.ready(): the menu,
the dashboard panels, the reminder kinds and the access-log gateway."""

from __future__ import annotations


def register() -> None:
    from socialgov.audit import registry as audit_registry
    from socialgov.demo import DEMO_SEEDERS, DemoSeeder
    from socialgov.navigation import MENU, NavItem
    from socialgov.needs_me import PANELS
    from socialgov.reminders import registry as reminders_registry
    from socialgov.training.access import session_visible_to
    from socialgov.training.demo import seed_training_line
    from socialgov.training.models import TrainingSession
    from socialgov.training.needs_me import PANELS as TRAINING_PANELS
    from socialgov.training.reminders import KINDS

    MENU.register(NavItem("training", "Training", "training_mine", "mortarboard", order=40))
    for panel in TRAINING_PANELS:
        PANELS.register(panel)
    for kind in KINDS:
        reminders_registry.register(kind)
    DEMO_SEEDERS.register(DemoSeeder("training", seed_training_line, order=260))
    audit_registry.register_gateway(TrainingSession, session_visible_to)
    # The governors' report and the trust roll-up (socialgov.training.governors).
    from socialgov.reports.registry import REPORT_SECTIONS
    from socialgov.training.governors import TRAINING_SECTION

    REPORT_SECTIONS.register(TRAINING_SECTION)
