"""Everything blocked-content requests and the filtering record add to the core, registered from
IncidentsConfig.ready(): the menu, the dashboard panels, reminder kinds, the nightly expiry job,
and the gateways notifications and the access log use."""

from __future__ import annotations


def register() -> None:
    from incidents.filtering.access import (
        filtering_check_visible_to,
        filtering_review_visible_to,
        unblock_request_visible_to,
    )
    from incidents.filtering.demo import seed_filtering_line
    from incidents.filtering.models import FilteringCheck, FilteringReview, UnblockRequest
    from incidents.filtering.needs_me import PANELS as FILTERING_PANELS
    from incidents.filtering.reminders import KINDS
    from incidents.filtering.services import filtering_roles_after_leaving
    from socialgov.audit import registry as audit_registry
    from socialgov.demo import DEMO_SEEDERS, DemoSeeder
    from socialgov.navigation import MENU, NavItem
    from socialgov.needs_me import PANELS
    from socialgov.notifications import registry as notifications_registry
    from socialgov.people.leavers import LEAVER_LISTENERS, LeaverListener
    from socialgov.reminders import registry as reminders_registry
    from socialgov.reminders.schedule import SCHEDULED_JOBS, ScheduledJob

    MENU.register(NavItem("filtering", "Blocked content", "filtering_home", "funnel", order=320))
    for panel in FILTERING_PANELS:
        PANELS.register(panel)
    for kind in KINDS:
        reminders_registry.register(kind)
    DEMO_SEEDERS.register(DemoSeeder("filtering", seed_filtering_line, order=310))
    SCHEDULED_JOBS.register(
        ScheduledJob(
            name="Expired unblocks",
            task="incidents.filtering.tasks.unblocks_expire_task",
            at={"minute": "5", "hour": "0"},
            description=(
                "Unblocks past their end date expire (each once) and the network manager is told "
                "to block the site again (also: manage.py expire_unblocks)."
            ),
        )
    )
    LEAVER_LISTENERS.register(
        LeaverListener("filtering.named_roles", filtering_roles_after_leaving, order=310)
    )
    # Notifications about a request: only while the person may still see it.
    notifications_registry.register_gateway(UnblockRequest, unblock_request_visible_to)
    # Downloads of a review's PDF are logged against it, seen by those who see the review.
    audit_registry.register_gateway(FilteringReview, filtering_review_visible_to)
    # A check log export is logged against each check, seen by those who see the check log.
    audit_registry.register_gateway(FilteringCheck, filtering_check_visible_to)
    # The governors' report and the trust roll-up (incidents.filtering.governors).
    from incidents.filtering.governors import FILTERING_SECTION
    from socialgov.reports.registry import REPORT_SECTIONS

    REPORT_SECTIONS.register(FILTERING_SECTION)
