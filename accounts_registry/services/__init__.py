"""Writes to the official accounts registry, split by sub-domain; import from here
(`from accounts_registry import services`):

- requests.py: account_request_submit, account_request_brand_decide, account_request_decide
- accounts.py: account_update, account_member_add, account_member_remove,
  account_member_clear_flag, account_review_record, on_membership_change (leaver listener)
- posts.py: post_create, post_update, post_image_add, post_transition (TRANSITIONS)
- takedowns.py: on_withdrawal (consent's listener), takedowns_sweep, takedown_close
- logs.py: comment_log_record, follower_vetting_record
- notify.py: who is told what (called by the others)
"""

from accounts_registry.services.accounts import (
    account_member_add,
    account_member_clear_flag,
    account_member_remove,
    account_review_record,
    account_update,
    on_membership_change,
)
from accounts_registry.services.common import looks_like_password
from accounts_registry.services.logs import comment_log_record, follower_vetting_record
from accounts_registry.services.posts import (
    TRANSITIONS,
    post_create,
    post_image_add,
    post_transition,
    post_update,
    pupils_named_in,
)
from accounts_registry.services.requests import (
    account_request_brand_decide,
    account_request_decide,
    account_request_submit,
)
from accounts_registry.services.takedowns import (
    on_withdrawal,
    takedown_close,
    takedowns_sweep,
)

__all__ = [
    "TRANSITIONS",
    "account_member_add",
    "account_member_clear_flag",
    "account_member_remove",
    "account_request_brand_decide",
    "account_request_decide",
    "account_request_submit",
    "account_review_record",
    "account_update",
    "comment_log_record",
    "follower_vetting_record",
    "looks_like_password",
    "on_membership_change",
    "on_withdrawal",
    "post_create",
    "post_image_add",
    "post_transition",
    "post_update",
    "pupils_named_in",
    "takedown_close",
    "takedowns_sweep",
]
