"""Writes to blocked-content requests and the filtering record; import from here.

- requests.py: a request's steps, and the daily expiry
- records.py: the named roles, the check log and the reviews
"""

from incidents.filtering.services.common import normalise_url
from incidents.filtering.services.records import (
    ActionPlanned,
    filtering_check_record,
    filtering_review_record,
    filtering_roles_after_leaving,
    filtering_roles_save,
    review_action_mark_done,
)
from incidents.filtering.services.requests import (
    NEVER_UNBLOCK_MESSAGE,
    unblock_request_confirm_reblocked,
    unblock_request_confirm_unblocked,
    unblock_request_decide,
    unblock_request_review,
    unblock_request_submit,
    unblock_requests_expire,
)

__all__ = [
    "NEVER_UNBLOCK_MESSAGE",
    "ActionPlanned",
    "filtering_check_record",
    "filtering_review_record",
    "filtering_roles_after_leaving",
    "filtering_roles_save",
    "normalise_url",
    "review_action_mark_done",
    "unblock_request_confirm_reblocked",
    "unblock_request_confirm_unblocked",
    "unblock_request_decide",
    "unblock_request_review",
    "unblock_request_submit",
    "unblock_requests_expire",
]
