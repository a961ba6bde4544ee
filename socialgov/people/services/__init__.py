"""Writes to schools and people. Keyword-only, acting person explicit, validated, atomic.

Split by sub-domain; import from here (`from socialgov.people import services`):
- schools.py: a school's own details
- rules.py: who may change which roles; a school always keeps a headteacher
- memberships.py: joining, role changes, leaving
- invitations.py: invitation links
- sessions.py: ending a person's sessions
"""

from socialgov.people.services.invitations import (
    invitation_accept,
    invitation_emails_queue,
    invitation_for_token,
    invitation_message,
    invitation_problem,
    invitation_resend,
    invitation_token_hash,
    invitations_email,
)
from socialgov.people.services.joins import (
    join_invitation_accept,
    join_invitation_create,
    join_invitation_decline,
)
from socialgov.people.services.memberships import (
    membership_add,
    membership_blocker,
    membership_end,
    membership_invite,
    membership_update,
)
from socialgov.people.services.rules import (
    manager_roles,
    role_change_problem,
    role_labels,
)
from socialgov.people.services.schools import school_update
from socialgov.people.services.sessions import user_sessions_end

__all__ = [
    "invitation_accept",
    "invitation_emails_queue",
    "invitation_for_token",
    "invitation_message",
    "invitation_problem",
    "invitation_resend",
    "invitation_token_hash",
    "invitations_email",
    "join_invitation_accept",
    "join_invitation_create",
    "join_invitation_decline",
    "manager_roles",
    "membership_add",
    "membership_blocker",
    "membership_end",
    "membership_invite",
    "membership_update",
    "role_change_problem",
    "role_labels",
    "school_update",
    "user_sessions_end",
]
