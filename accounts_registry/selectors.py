"""Reads of official accounts: querysets with what their pages need already loaded (STYLE), and
the official-accounts AUP signatures (through policies' selectors)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from accounts_registry import access as accounts_access
from accounts_registry.models import (
    AccountMember,
    AccountRequest,
    MemberRole,
    OfficialAccount,
    Post,
    PostEvent,
    PostStatus,
    RequestStatus,
    TakedownTask,
)
from policies import selectors as policy_selectors
from socialgov import access
from socialgov.people.roles import Role

# policies.models.PolicyKind.OFFICIAL_ACCOUNTS_AUP (read through policies' selectors only).
OFFICIAL_ACCOUNTS_AUP = "official_accounts_aup"

__all__ = [
    "AupStatus",
    "account_people_q",
    "accounts_for_registry",
    "accounts_short_of_administrators",
    "aup_status",
    "aup_to_sign",
    "open_takedowns_for",
    "post_events",
    "post_pupils",
    "posts_for_account",
    "posts_waiting_for",
    "post_waiting_counts",
    "requests_for_list",
    "requests_waiting_count",
    "requests_waiting_for",
]


@dataclass(frozen=True)
class AupStatus:
    """Who has signed the school's current official-accounts AUP (every published one)."""

    published: bool  # the school has a published official-accounts AUP
    signer_ids: frozenset[int]

    def has_signed(self, user) -> bool:
        return self.published and getattr(user, "pk", user) in self.signer_ids


def account_people_q(school_id) -> Q:
    """The school's members who run one of its official accounts (a current administrator or
    authorised poster), as a filter on `Membership`. Registered with policies as people who must
    sign the official-accounts AUP whatever their staff group (policies.rules.SIGNERS_BESIDES), so
    "To sign", its reminders, coverage, signing itself and the dashboard item below agree."""
    return Q(
        user_id__in=AccountMember.objects.filter(
            account__school_id=school_id, ended_at__isnull=True
        ).values("user_id")
    )


def account_people_of_own_school_q() -> Q:
    """`account_people_q` for memberships of any school, each judged by its own school's
    accounts (one correlated condition: the trust roll-up asks about every school at once)."""
    return Q(
        Exists(
            AccountMember.objects.filter(
                account__school_id=OuterRef("school_id"),
                user_id=OuterRef("user_id"),
                ended_at__isnull=True,
            )
        )
    )


def aup_status(school) -> AupStatus:
    """Signers valid for every published official-accounts AUP of the school (one query for the
    versions, one per published version: a school has one or two)."""
    versions = [
        version
        for version in policy_selectors.signable_published_versions(school)
        if version.policy.kind == OFFICIAL_ACCOUNTS_AUP
    ]
    if not versions:
        return AupStatus(published=False, signer_ids=frozenset())
    signers: set[int] | None = None
    for version in versions:
        ids = set(policy_selectors.valid_signers_of(version))
        signers = ids if signers is None else signers & ids
    return AupStatus(published=True, signer_ids=frozenset(signers or ()))


def aup_to_sign(user, school) -> list:
    """The official-accounts AUP versions in the person's "To sign" list (policies' own rule,
    which counts the people running an account: `account_people_q`), so the dashboard item and
    the notification say exactly what that list shows."""
    return [
        version
        for version in policy_selectors.to_sign_for(user, school)
        if version.policy.kind == OFFICIAL_ACCOUNTS_AUP
    ]


def runs_an_account(user, school) -> bool:
    """A current administrator or authorised poster of one of the school's accounts."""
    return AccountMember.objects.filter(
        user=user, account__school=school, ended_at__isnull=True
    ).exists()


def _current_members() -> Prefetch:
    return Prefetch(
        "members",
        queryset=AccountMember.objects.filter(ended_at__isnull=True).select_related("user"),
    )


def accounts_for_registry(user, school) -> QuerySet[OfficialAccount]:
    """The school's accounts with their current people (three queries whatever the number)."""
    return (
        accounts_access.account_visible_to(user)
        .filter(school=school)
        .select_related("moderator", "consent_purpose")
        .prefetch_related(_current_members())
        .annotate(
            open_takedowns=Count(
                "posts__takedowns", filter=Q(posts__takedowns__closed_at__isnull=True)
            )
        )
        .order_by("name", "pk")
    )


def account_with_members(account: OfficialAccount) -> OfficialAccount:
    return (
        OfficialAccount.objects.select_related("school", "consent_purpose", "moderator")
        .prefetch_related(_current_members())
        .get(pk=account.pk)
    )


def accounts_short_of_administrators(school) -> list[OfficialAccount]:
    """Open accounts with fewer than two current, unflagged administrators (an alert for the
    headteacher)."""
    return list(
        OfficialAccount.objects.filter(school=school)
        .exclude(status="closed")
        .annotate(
            admins=Count(
                "members",
                filter=Q(
                    members__role=MemberRole.ADMINISTRATOR,
                    members__ended_at__isnull=True,
                    members__flagged_at__isnull=True,
                ),
            )
        )
        .filter(admins__lt=2)
        .order_by("name")
    )


def accounts_review_due(school, on: dt.date) -> QuerySet[OfficialAccount]:
    return OfficialAccount.objects.filter(school=school, review_due_on__lte=on).exclude(
        status="closed"
    )


def requests_for_list(user, school) -> QuerySet[AccountRequest]:
    return (
        accounts_access.request_visible_to(user)
        .filter(school=school)
        .select_related("requested_by", "consent_purpose")
        .order_by("-requested_at", "-pk")
    )


def requests_waiting_for(user, school) -> list[AccountRequest]:
    """Open requests of the school this person may decide now (brand step or final)."""
    return _requests_waiting(
        user, school, _open_requests(user, school).select_related("requested_by", "school")
    )


def requests_waiting_count(user, school) -> int:
    """How many requests `requests_waiting_for` returns, reading only what decides it (the
    dashboard's panel: no request's text or people loaded)."""
    requests = _open_requests(user, school).only("pk", "status", "requested_by_id")
    return len(_requests_waiting(user, school, requests))


def _open_requests(user, school) -> QuerySet[AccountRequest]:
    return AccountRequest.objects.filter(
        school=school, status__in=[RequestStatus.SUBMITTED, RequestStatus.BRAND_APPROVED]
    ).exclude(requested_by=user)


def _requests_waiting(user, school, open_requests) -> list[AccountRequest]:
    roles = access.roles_in(user, school)
    if not roles & {Role.MARKETING_OFFICER, Role.HEADTEACHER, Role.DEPUTY_HEADTEACHER}:
        return []
    requests = list(open_requests)
    if not requests:
        return []
    # Who has the brand step: loaded once for the school.
    from socialgov.people.models import Membership

    marketing = set(
        Membership.objects.current()
        .filter(school=school, roles__role=Role.MARKETING_OFFICER)
        .values_list("user_id", flat=True)
    )
    heads = set(
        Membership.objects.current()
        .filter(school=school, roles__role=Role.HEADTEACHER)
        .values_list("user_id", flat=True)
    )
    waiting = []
    for request in requests:
        brand_needed = bool(marketing - {request.requested_by_id})
        at_brand = request.status == RequestStatus.SUBMITTED and brand_needed
        if at_brand:
            if Role.MARKETING_OFFICER in roles:
                waiting.append(request)
            continue
        decider = Role.DEPUTY_HEADTEACHER if request.requested_by_id in heads else Role.HEADTEACHER
        if decider in roles:
            waiting.append(request)
    return waiting


def posts_for_account(user, account: OfficialAccount) -> QuerySet[Post]:
    return (
        accounts_access.post_visible_to(user)
        .filter(account=account)
        .select_related("author")
        .order_by("-planned_on", "-pk")
    )


def _waiting_q(user, school) -> tuple[Q, Q]:
    """Which of the school's submitted or agreed posts wait for this person to agree, and which
    to approve: a second colleague (one of the account's current people, or a leader) agrees a
    submitted post; a leader approves an agreed post they did not agree, and only the deputy
    headteacher one written by a headteacher. Never the author's own (filtered by the caller)."""
    from socialgov.people.models import Membership

    roles = access.roles_in(user, school)
    leader = bool(roles & accounts_access.POST_APPROVERS)
    deputy = Role.DEPUTY_HEADTEACHER in roles
    member = Exists(
        AccountMember.objects.filter(
            account_id=OuterRef("account_id"), user_id=user.pk, ended_at__isnull=True
        )
    )
    head_author = Exists(
        Membership.objects.current().filter(
            school=school, roles__role=Role.HEADTEACHER, user_id=OuterRef("author_id")
        )
    )
    agree = Q(status=PostStatus.SUBMITTED) if leader else Q(status=PostStatus.SUBMITTED) & Q(member)
    approvers = Q(pk__in=[])
    if deputy:
        approvers |= Q(head_author)
    if leader:
        approvers |= ~Q(head_author)
    approve = Q(status=PostStatus.AGREED) & ~Q(agreed_by_id=user.pk) & approvers
    return agree, approve


def _open_posts_of(user, school) -> QuerySet[Post]:
    return (
        accounts_access.post_visible_to(user)
        .filter(school=school, status__in=[PostStatus.SUBMITTED, PostStatus.AGREED])
        .exclude(author_id=user.pk)
    )


def posts_waiting_for(user, school) -> QuerySet[Post]:
    """The approval queue: posts of the school this person may agree or approve now, soonest
    planned first (decided in the database, so a page of it loads only its own rows)."""
    agree, approve = _waiting_q(user, school)
    return (
        _open_posts_of(user, school)
        .filter(agree | approve)
        .select_related("account", "author")
        .order_by("planned_on", "pk")
    )


def post_waiting_counts(user, school) -> tuple[int, int]:
    """How many posts of `posts_waiting_for` wait for this person to agree, and how many to
    approve, counted in the database (one query, however many posts: the dashboard's panels)."""
    agree, approve = _waiting_q(user, school)
    counts = _open_posts_of(user, school).aggregate(
        agree=Count("pk", distinct=True, filter=agree),
        approve=Count("pk", distinct=True, filter=approve),
    )
    return counts["agree"], counts["approve"]


def post_pupils(post: Post):
    from consent.models import Pupil

    return Pupil.objects.filter(pk__in=post.shown.values("pupil_id")).order_by(
        "legal_surname", "legal_forename", "pk"
    )


def post_events(post: Post) -> QuerySet[PostEvent]:
    return post.events.select_related("actor").order_by("at", "pk")


def open_takedowns_for(user, school) -> QuerySet[TakedownTask]:
    return (
        accounts_access.takedown_visible_to(user)
        .filter(school=school, closed_at__isnull=True)
        .select_related("post", "post__account", "pupil")
        .order_by("due_on", "pk")
    )


def takedowns_for_list(user, school) -> QuerySet[TakedownTask]:
    return (
        accounts_access.takedown_visible_to(user)
        .filter(school=school)
        .select_related("post", "post__account", "pupil", "closed_by")
        .order_by("closed_at", "due_on", "pk")
    )
