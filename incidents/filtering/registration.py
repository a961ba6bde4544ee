"""Everything blocked-content requests and the filtering record add to the core, registered from
IncidentsConfig.ready(): the gateways notifications and the access log use."""

from __future__ import annotations


def register() -> None:
    from incidents.filtering.access import (
        filtering_review_visible_to,
        unblock_request_visible_to,
    )
    from incidents.filtering.models import FilteringReview, UnblockRequest
    from socialgov.audit import registry as audit_registry
    from socialgov.notifications import registry as notifications_registry

    # Notifications about a request: only while the person may still see it.
    notifications_registry.register_gateway(UnblockRequest, unblock_request_visible_to)
    # Downloads of a review's PDF are logged against it, seen by those who see the review.
    audit_registry.register_gateway(FilteringReview, filtering_review_visible_to)
    # The governors' report and the trust roll-up (incidents.filtering.governors).
    from incidents.filtering.governors import FILTERING_SECTION
    from socialgov.reports.registry import REPORT_SECTIONS

    REPORT_SECTIONS.register(FILTERING_SECTION)
