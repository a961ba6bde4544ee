"""Official accounts' 'needs me now' panels (registered in registration.py; socialgov.needs_me).
Each reads through the accounts gateway and selectors, in a fixed number of queries whatever the
size of the school (tests/accounts_registry/test_needs_me.py):

- decisions on account requests (the marketing officer, then the headteacher or deputy);
- posts to read and agree (the account's other people, leaders) and to approve (leaders);
- the author's own posts approved and waiting to be published, or sent back for changes;
- open takedown tasks (an alert: the account's administrators, the headteacher and deputy);
- accounts with fewer than two administrators (an alert for the headteacher);
- yearly reviews due (the account's administrators, the headteacher and deputy);
- the official-accounts AUP still to sign, for people running an account.
Links go through `accounts_in_school`, which switches to the panel's school first.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accounts_registry import access as accounts_access
from accounts_registry import selectors
from accounts_registry.models import AccountMember, MemberRole, Post, PostStatus
from socialgov.needs_me import NeedsMe, Panel
from socialgov.people.roles import Role


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def in_school(school, page: str) -> str:
    return reverse("accounts_in_school", args=[school.pk, page])


def _staff(membership) -> bool:
    return bool(membership.role_names & accounts_access.STAFF_ROLES)


def _decisions(membership) -> list[NeedsMe]:
    user, school = membership.user, membership.school
    if not membership.role_names & {
        Role.MARKETING_OFFICER,
        Role.HEADTEACHER,
        Role.DEPUTY_HEADTEACHER,
    }:
        return []
    requests = selectors.requests_waiting_count(user, school)
    posts = selectors.post_waiting_counts(user, school)
    items = []
    if requests:
        items.append(
            NeedsMe(
                requests,
                f"{requests} official account {_plural(requests, 'request waits', 'requests wait')}"
                " for your decision",
                in_school(school, "approvals"),
            )
        )
    return items + _post_items(school, posts)


def _post_items(school, counts: tuple[int, int]) -> list[NeedsMe]:
    agree, approve = counts
    items = []
    if agree:
        items.append(
            NeedsMe(
                agree,
                f"{agree} {_plural(agree, 'post', 'posts')} on official accounts to read and agree",
                in_school(school, "approvals"),
            )
        )
    if approve:
        items.append(
            NeedsMe(
                approve,
                f"{approve} {_plural(approve, 'post', 'posts')} on official accounts to approve",
                in_school(school, "approvals"),
            )
        )
    return items


def _posts(membership) -> list[NeedsMe]:
    """Posts waiting for people who are not heads or the marketing officer (heads get them in
    _decisions, with requests)."""
    user, school = membership.user, membership.school
    if not _staff(membership) or membership.role_names & {
        Role.MARKETING_OFFICER,
        Role.HEADTEACHER,
        Role.DEPUTY_HEADTEACHER,
    }:
        return []
    return _post_items(school, selectors.post_waiting_counts(user, school))


def _own_posts(membership) -> list[NeedsMe]:
    user, school = membership.user, membership.school
    if not _staff(membership):
        return []
    counts = {PostStatus.APPROVED: 0, PostStatus.CHANGES_NEEDED: 0}
    for status in Post.objects.filter(
        school=school, author=user, status__in=list(counts)
    ).values_list("status", flat=True):
        counts[status] += 1
    items = []
    if counts[PostStatus.APPROVED]:
        n = counts[PostStatus.APPROVED]
        items.append(
            NeedsMe(
                n,
                f"{n} approved {_plural(n, 'post', 'posts')} of yours to publish",
                in_school(school, "approvals"),
            )
        )
    if counts[PostStatus.CHANGES_NEEDED]:
        n = counts[PostStatus.CHANGES_NEEDED]
        items.append(
            NeedsMe(
                n,
                f"{n} {_plural(n, 'post', 'posts')} of yours sent back for changes",
                in_school(school, "approvals"),
            )
        )
    return items


def _takedowns(membership) -> list[NeedsMe]:
    user, school = membership.user, membership.school
    if not _staff(membership):
        return []
    tasks = selectors.open_takedowns_for(user, school)
    if not membership.role_names & accounts_access.HEADS:
        tasks = tasks.filter(post__account_id__in=_administered_accounts(user, school))
    n = tasks.count()  # counted in the database: no task, post or pupil loaded
    if not n:
        return []
    return [
        NeedsMe(
            n,
            f"{n} published {_plural(n, 'post shows', 'posts show')} a pupil who may no longer "
            "appear: take down",
            in_school(school, "takedowns"),
            "alert",
        )
    ]


def _administered_accounts(user, school):
    """The ids of the school's accounts the person administers now (a subquery)."""
    return AccountMember.objects.filter(
        user=user,
        account__school=school,
        role=MemberRole.ADMINISTRATOR,
        ended_at__isnull=True,
    ).values("account_id")


def _administered(user, school) -> set[int]:
    cache = f"_accounts_administered_{school.pk}"
    found = getattr(user, cache, None)
    if found is None:
        found = set(_administered_accounts(user, school).values_list("account_id", flat=True))
        setattr(user, cache, found)
    return found


def _registry(membership) -> list[NeedsMe]:
    """Accounts short of administrators (headteacher) and yearly reviews due."""
    user, school = membership.user, membership.school
    if not _staff(membership):
        return []
    items = []
    if Role.HEADTEACHER in membership.role_names:
        short = len(selectors.accounts_short_of_administrators(school))
        if short:
            items.append(
                NeedsMe(
                    short,
                    f"{short} official {_plural(short, 'account has', 'accounts have')} fewer "
                    "than two administrators",
                    in_school(school, "registry"),
                    "alert",
                )
            )
    due = selectors.accounts_review_due(school, timezone.localdate())
    if not membership.role_names & accounts_access.HEADS:
        due = due.filter(pk__in=_administered(user, school))
    count = due.count()
    if count:
        items.append(
            NeedsMe(
                count,
                f"{count} official {_plural(count, 'account is', 'accounts are')} due for the "
                "yearly review",
                in_school(school, "registry"),
            )
        )
    return items


def _aup(membership) -> list[NeedsMe]:
    """The AUP for the people running an account, when it is in their "To sign" list (the one
    rule: selectors.aup_to_sign)."""
    user, school = membership.user, membership.school
    if not _staff(membership) or not selectors.runs_an_account(user, school):
        return []
    if not selectors.aup_to_sign(user, school):
        return []
    return [
        NeedsMe(
            1,
            "Sign the official-accounts acceptable use policy before you post",
            reverse("to_sign_list"),
        )
    ]


PANELS = [
    Panel("accounts.decisions", _decisions, order=400),
    Panel("accounts.posts", _posts, order=410),
    Panel("accounts.own_posts", _own_posts, order=420),
    Panel("accounts.takedowns", _takedowns, order=405),
    Panel("accounts.registry", _registry, order=430),
    Panel("accounts.aup", _aup, order=440),
]
