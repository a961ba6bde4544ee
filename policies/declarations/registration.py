"""Everything declarations and exceptions add to the core, registered from
PoliciesConfig.ready(): the menu, the dashboard panels, reminder kinds, the demo, and the
gateways the access log and notifications use to hide what a person may not see."""

from __future__ import annotations


def register() -> None:
    from policies.declarations.access import declaration_visible_to, exception_visible_to
    from policies.declarations.demo import seed_declarations_line
    from policies.declarations.models import Declaration, PolicyException
    from policies.declarations.needs_me import PANELS as DECLARATION_PANELS
    from policies.declarations.reminders import KINDS
    from policies.declarations.services.exceptions import exceptions_end_for_leaver
    from socialgov.audit import registry as audit_registry
    from socialgov.demo import DEMO_SEEDERS, DemoSeeder
    from socialgov.navigation import MENU, NavItem
    from socialgov.needs_me import PANELS
    from socialgov.notifications import registry as notifications_registry
    from socialgov.people.leavers import LEAVER_LISTENERS, LeaverListener
    from socialgov.reminders import registry as reminders_registry

    MENU.register(
        NavItem("declarations", "Declarations", "declaration_list", "person-raised-hand", order=230)
    )
    MENU.register(
        NavItem("policy_exceptions", "Exceptions", "exception_list", "sign-turn-right", order=240)
    )
    for panel in DECLARATION_PANELS:
        PANELS.register(panel)
    for kind in KINDS:
        reminders_registry.register(kind)
    # After consent's pupils (order 200): a declaration about a pupil links to the record.
    DEMO_SEEDERS.register(DemoSeeder("declarations", seed_declarations_line, order=250))
    LEAVER_LISTENERS.register(
        LeaverListener("policies.exceptions_end_for_leaver", exceptions_end_for_leaver, order=250)
    )
    audit_registry.register_gateway(Declaration, declaration_visible_to)
    audit_registry.register_gateway(PolicyException, exception_visible_to)
    notifications_registry.register_gateway(Declaration, declaration_visible_to)
    notifications_registry.register_gateway(PolicyException, exception_visible_to)
