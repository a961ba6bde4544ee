"""Who sees and does what with official accounts (DESIGN §3; issue 12). The one gateway: every
list, page, count, panel, notification and history view goes through these functions.

- Requests: any member of staff requests. A request is seen by its requester, its named
  administrators, the headteacher, the deputy headteacher, the SLT and the marketing officer.
  The marketing officer approves the brand (when the school has one); the headteacher decides
  (the deputy headteacher when the headteacher made the request). Nobody decides their own.
- The registry: every member of staff of the school sees the accounts (what the school runs is
  no secret to its staff). The headteacher and deputy manage an account's people; its
  administrators (and the headteacher and deputy) edit its details and record its review.
- Posts: seen by the account's administrators and posters, the post's author and the leadership
  (headteacher, deputy, SLT). Drafted by the account's administrators and posters. A second
  colleague (another of the account's people, or a leader; never the author) agrees. The
  headteacher, deputy or SLT approve (never the author nor the colleague who agreed; a post by
  the headteacher is approved by the deputy headteacher). The account's people publish.
- Takedown tasks: seen and closed by the account's administrators and the headteacher and deputy;
  seen by the SLT.
- The comments log and follower vetting: the headteacher, the deputy and the SLT. An entry
  reported as an incident shows the incident through the incidents gateway: its reference and
  link to a reader who may open it, to anyone else only that an incident was raised.
Outside the person's schools everything is a 404; inside, a page their role does not open is 403.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts_registry.models import (
    AccountMember,
    AccountRequest,
    CommentLogEntry,
    FollowerVetting,
    MemberRole,
    OfficialAccount,
    Post,
    PostStatus,
    RequestStatus,
    TakedownTask,
)
from incidents.reports import access as incident_access
from socialgov import access
from socialgov.people.roles import GOVERNANCE, LEADERSHIP, Role

STAFF_ROLES = frozenset(set(Role) - GOVERNANCE)
HEADS = frozenset({Role.HEADTEACHER, Role.DEPUTY_HEADTEACHER})
REQUEST_READERS = LEADERSHIP | frozenset({Role.MARKETING_OFFICER})
POST_APPROVERS = LEADERSHIP
LOG_KEEPERS = LEADERSHIP

__all__ = [
    "HEADS",
    "LOG_KEEPERS",
    "POST_APPROVERS",
    "REQUEST_READERS",
    "STAFF_ROLES",
    "account_get_for_user",
    "account_member_ids",
    "account_visible_to",
    "can_agree_post",
    "can_approve_post",
    "can_brand_decide",
    "can_close_takedown",
    "can_decide_request",
    "can_draft_on",
    "can_edit_post",
    "can_keep_logs",
    "can_manage_account",
    "can_manage_members",
    "can_publish_post",
    "can_request",
    "comment_log_incident_links",
    "can_return_post",
    "deciding_role",
    "school_has_marketing_officer",
    "comment_log_visible_to",
    "follower_vetting_visible_to",
    "is_account_member",
    "post_get_for_user",
    "post_visible_to",
    "request_get_for_user",
    "request_visible_to",
    "takedown_get_for_user",
    "takedown_visible_to",
]


def _schools_where(user, roles) -> list[int]:
    return [m.school_id for m in access.current_memberships(user) if m.role_names & roles]


def _current_members(user):
    return AccountMember.objects.filter(user=user, ended_at__isnull=True)


def account_member_ids(account: OfficialAccount, role: str | None = None) -> set[int]:
    """Ids of the account's current people (one query unless `members` was prefetched)."""
    cache = getattr(account, "_prefetched_objects_cache", {})
    if "members" in cache:
        members = [m for m in cache["members"] if m.ended_at is None]
        return {m.user_id for m in members if role is None or m.role == role}
    rows = AccountMember.objects.filter(account=account, ended_at__isnull=True)
    if role is not None:
        rows = rows.filter(role=role)
    return set(rows.values_list("user_id", flat=True))


def is_account_member(user, account: OfficialAccount, role: str | None = None) -> bool:
    """A current administrator or poster of the account (and still staff of its school)."""
    if not access.has_role(user, account.school_id, *STAFF_ROLES):
        return False
    return user.pk in account_member_ids(account, role)


# --- Requests --------------------------------------------------------------------------------


def can_request(user, school) -> bool:
    return access.has_role(user, school, *STAFF_ROLES)


def request_visible_to(user) -> QuerySet[AccountRequest]:
    """Requests the person made or is named on, and every request of the schools where they
    read requests (leadership, marketing officer)."""
    if not getattr(user, "is_authenticated", False):
        return AccountRequest.objects.none()
    schools = access.member_school_ids(user)
    readers = _schools_where(user, REQUEST_READERS)
    return AccountRequest.objects.filter(
        Q(school_id__in=readers)
        | Q(school_id__in=schools, requested_by=user)
        | Q(school_id__in=schools, administrators=user)
    ).distinct()


def request_get_for_user(user, pk) -> AccountRequest:
    return access.get_visible_or_404(
        request_visible_to(user).select_related(
            "school",
            "requested_by",
            "moderator",
            "consent_purpose",
            "brand_decided_by",
            "decided_by",
        ),
        pk,
    )


def school_has_marketing_officer(request: AccountRequest) -> bool:
    """The brand step applies when the school has a marketing officer other than the requester."""
    from socialgov.people.models import Membership

    return (
        Membership.objects.current()
        .filter(school_id=request.school_id, roles__role=Role.MARKETING_OFFICER)
        .exclude(user_id=request.requested_by_id)
        .exists()
    )


def can_brand_decide(user, request: AccountRequest) -> bool:
    return (
        request.status == RequestStatus.SUBMITTED
        and request.requested_by_id != user.pk
        and access.has_role(user, request.school_id, Role.MARKETING_OFFICER)
    )


def deciding_role(request: AccountRequest) -> str:
    """The headteacher decides; the deputy headteacher decides the headteacher's own request."""
    if access.has_role(request.requested_by, request.school_id, Role.HEADTEACHER):
        return Role.DEPUTY_HEADTEACHER
    return Role.HEADTEACHER


def can_decide_request(user, request: AccountRequest) -> bool:
    """The final decision, once the marketing officer has approved the brand (when the school
    has one)."""
    if not request.is_open or request.requested_by_id == user.pk:
        return False
    if not access.has_role(user, request.school_id, deciding_role(request)):
        return False
    return request.status == RequestStatus.BRAND_APPROVED or not school_has_marketing_officer(
        request
    )


# --- The registry ----------------------------------------------------------------------------


def account_visible_to(user) -> QuerySet[OfficialAccount]:
    """Accounts of the schools where the person is staff."""
    return OfficialAccount.objects.filter(school_id__in=_schools_where(user, STAFF_ROLES))


def account_get_for_user(user, pk, *, write: bool = False) -> OfficialAccount:
    account = access.get_visible_or_404(
        OfficialAccount.objects.filter(school_id__in=access.member_school_ids(user)).select_related(
            "school", "consent_purpose", "moderator"
        ),
        pk,
    )
    access.require_write(access.has_role(user, account.school_id, *STAFF_ROLES))
    if write:
        access.require_write(can_manage_account(user, account))
    return account


def can_manage_account(user, account: OfficialAccount) -> bool:
    """Edit details and record the review: its administrators, the headteacher and deputy."""
    if access.has_role(user, account.school_id, *HEADS):
        return True
    return is_account_member(user, account, MemberRole.ADMINISTRATOR)


def can_manage_members(user, account: OfficialAccount) -> bool:
    return access.has_role(user, account.school_id, *HEADS)


def can_draft_on(user, account: OfficialAccount) -> bool:
    """Drafting needs a role on the account (signing the AUP is checked by the service)."""
    return account.takes_posts and is_account_member(user, account)


# --- Posts -----------------------------------------------------------------------------------


def post_visible_to(user) -> QuerySet[Post]:
    """Posts on accounts where the person has a role, their own posts, and every post of the
    schools they lead."""
    if not getattr(user, "is_authenticated", False):
        return Post.objects.none()
    staff_schools = _schools_where(user, STAFF_ROLES)
    leads = _schools_where(user, POST_APPROVERS)
    return Post.objects.filter(
        Q(school_id__in=leads)
        | Q(school_id__in=staff_schools, author=user)
        | Q(school_id__in=staff_schools, account_id__in=_current_members(user).values("account_id"))
    )


def post_get_for_user(user, pk) -> Post:
    return access.get_visible_or_404(
        post_visible_to(user).select_related(
            "school",
            "account",
            "account__consent_purpose",
            "author",
            "agreed_by",
            "approved_by",
            "published_by",
        ),
        pk,
    )


def can_edit_post(user, post: Post) -> bool:
    return post.is_editable and post.author_id == user.pk


def can_agree_post(user, post: Post) -> bool:
    """A second colleague: another of the account's people, or a leader — never the author."""
    if post.status != PostStatus.SUBMITTED or post.author_id == user.pk:
        return False
    return is_account_member(user, post.account) or access.has_role(
        user, post.school_id, *POST_APPROVERS
    )


def can_approve_post(user, post: Post) -> bool:
    """The headteacher, deputy or SLT; never the author or the colleague who agreed; the
    headteacher's own post only by the deputy headteacher."""
    if post.status != PostStatus.AGREED or user.pk in (post.author_id, post.agreed_by_id):
        return False
    if access.has_role(post.author, post.school_id, Role.HEADTEACHER):
        return access.has_role(user, post.school_id, Role.DEPUTY_HEADTEACHER)
    return access.has_role(user, post.school_id, *POST_APPROVERS)


def can_return_post(user, post: Post) -> bool:
    """Ask for changes or reject: whoever may agree or approve it at its step."""
    return can_agree_post(user, post) or can_approve_post(user, post)


def can_publish_post(user, post: Post) -> bool:
    return post.status == PostStatus.APPROVED and (
        post.author_id == user.pk or is_account_member(user, post.account)
    )


# --- Takedowns -------------------------------------------------------------------------------


def takedown_visible_to(user) -> QuerySet[TakedownTask]:
    """Tasks on accounts the person administers, and every task of the schools they lead."""
    if not getattr(user, "is_authenticated", False):
        return TakedownTask.objects.none()
    staff_schools = _schools_where(user, STAFF_ROLES)
    administers = _current_members(user).filter(role=MemberRole.ADMINISTRATOR).values("account_id")
    return TakedownTask.objects.filter(
        Q(school_id__in=_schools_where(user, LEADERSHIP))
        | Q(school_id__in=staff_schools, post__account_id__in=administers)
    )


def takedown_get_for_user(user, pk) -> TakedownTask:
    return access.get_visible_or_404(
        takedown_visible_to(user).select_related(
            "school", "post", "post__account", "pupil", "closed_by"
        ),
        pk,
    )


def can_close_takedown(user, task: TakedownTask) -> bool:
    if not task.is_open:
        return False
    if access.has_role(user, task.school_id, *HEADS):
        return True
    return is_account_member(user, task.post.account, MemberRole.ADMINISTRATOR)


# --- Logs ------------------------------------------------------------------------------------


def can_keep_logs(user, school) -> bool:
    return access.has_role(user, school, *LOG_KEEPERS)


def comment_log_visible_to(user) -> QuerySet[CommentLogEntry]:
    return CommentLogEntry.objects.filter(school_id__in=_schools_where(user, LOG_KEEPERS))


def comment_log_incident_links(user, entries) -> dict[int, incident_access.IncidentLink]:
    """entry id → what `user` may see of the incident it was reported as (entries without one are
    left out): the incidents gateway decides, in one query for the whole log."""
    entries = [entry for entry in entries if entry.incident_id]
    links = incident_access.incident_links_for(user, (entry.incident_id for entry in entries))
    return {entry.pk: links[entry.incident_id] for entry in entries}


def follower_vetting_visible_to(user) -> QuerySet[FollowerVetting]:
    return FollowerVetting.objects.filter(account__school_id__in=_schools_where(user, LOG_KEEPERS))
