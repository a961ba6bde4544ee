"""Everything incident reports add to the core, registered from IncidentsConfig.ready(): the
menu, the dashboard panels, reminder kinds, the demo, the leaver listener, and the gateways the
access log and notifications use to hide what a person may not see."""

from __future__ import annotations


def register() -> None:
    from incidents.reports.access import incident_handling_visible_to, incident_visible_to
    from incidents.reports.demo import seed_incidents_line
    from incidents.reports.models import Incident
    from incidents.reports.needs_me import PANELS as INCIDENT_PANELS
    from incidents.reports.reminders import KINDS
    from incidents.reports.routing import ROUTABLE_ROLES
    from incidents.reports.services import incidents_reroute_after_leaving
    from socialgov.audit import registry as audit_registry
    from socialgov.demo import DEMO_SEEDERS, DemoSeeder
    from socialgov.navigation import MENU, NavItem
    from socialgov.needs_me import PANELS
    from socialgov.notifications import registry as notifications_registry
    from socialgov.people.leavers import LEAVER_LISTENERS, LeaverListener
    from socialgov.reminders import registry as reminders_registry

    MENU.register(
        NavItem("incident_report", "Report a concern", "incident_report", "flag", order=300)
    )
    MENU.register(
        NavItem(
            "incidents",
            "Incidents",
            "incident_list",
            "shield-exclamation",
            roles=ROUTABLE_ROLES,
            order=310,
        )
    )
    for panel in INCIDENT_PANELS:
        PANELS.register(panel)
    for kind in KINDS:
        reminders_registry.register(kind)
    DEMO_SEEDERS.register(DemoSeeder("incidents", seed_incidents_line, order=300))
    LEAVER_LISTENERS.register(
        LeaverListener("incidents.reroute", incidents_reroute_after_leaving, order=300)
    )
    # Reads of an incident are logged against it: only its handlers see those entries.
    audit_registry.register_gateway(Incident, incident_handling_visible_to)
    # Notifications about an incident: its handlers, and its reporter (status updates).
    notifications_registry.register_gateway(Incident, incident_visible_to)
    # The governors' report and the trust roll-up: counts only (incidents.reports.governors).
    from incidents.reports.governors import INCIDENTS_SECTION, SUMMARY_FIGURE
    from socialgov.needs_me import SUMMARY
    from socialgov.reports.registry import REPORT_SECTIONS

    REPORT_SECTIONS.register(INCIDENTS_SECTION)
    SUMMARY.register(SUMMARY_FIGURE)
