"""Who is told what about official accounts (in-app, and by e-mail after commit). Called by the
services inside their transactions; the e-mails say what to look at, with a link, never which
pupil."""

from __future__ import annotations

from django.urls import reverse

from accounts_registry.models import (
    AccountRequest,
    MemberRole,
    OfficialAccount,
    Post,
    PostAction,
    PostStatus,
    RequestStatus,
    TakedownTask,
)
from socialgov.notifications.services import notification_send
from socialgov.people.models import Membership, User
from socialgov.people.roles import Role


def _holders(school_id, *roles) -> list[User]:
    ids = (
        Membership.objects.current()
        .filter(school_id=school_id, roles__role__in=roles)
        .values("user_id")
    )
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def _send(recipients, *, kind: str, url: str, school, about, context: dict, exclude=()) -> None:
    seen = set(exclude)
    for recipient in recipients:
        if recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        notification_send(
            recipient=recipient, kind=kind, url=url, school=school, context=context, about=about
        )


def request_waiting(request: AccountRequest) -> None:
    from accounts_registry import access as accounts_access

    if request.status == RequestStatus.SUBMITTED and accounts_access.school_has_marketing_officer(
        request
    ):
        roles: list[str] = [Role.MARKETING_OFFICER]
    else:
        roles = [accounts_access.deciding_role(request)]
    _send(
        _holders(request.school_id, *roles),
        kind="account_request_waiting",
        url=reverse("accounts_request_detail", args=[request.pk]),
        school=request.school,
        about=request,
        context={"name": request.proposed_name, "requester": request.requested_by.full_name},
        exclude=[request.requested_by_id],
    )


def aup_to_sign(account: OfficialAccount, people) -> None:
    """People who now run an account and still have the official-accounts AUP to sign are asked
    to sign it (what their "To sign" list and dashboard show: selectors.aup_to_sign)."""
    from accounts_registry import selectors

    _send(
        [person for person in people if selectors.aup_to_sign(person, account.school)],
        kind="account_aup_to_sign",
        url=reverse("to_sign_list"),
        school=account.school,
        about=account,
        context={"account": account.name},
    )


def request_decided(request: AccountRequest) -> None:
    outcome = "approved" if request.status == RequestStatus.APPROVED else "rejected"
    _send(
        [request.requested_by],
        kind="account_request_decided",
        url=reverse("accounts_request_detail", args=[request.pk]),
        school=request.school,
        about=request,
        context={"name": request.proposed_name, "outcome": outcome},
    )


def account_flagged(account: OfficialAccount) -> None:
    """Tell the headteacher when an account is left with fewer than two administrators."""
    admins = account.members.filter(
        role=MemberRole.ADMINISTRATOR, ended_at__isnull=True, flagged_at__isnull=True
    ).count()
    if admins >= 2:
        return
    _send(
        _holders(account.school_id, Role.HEADTEACHER),
        kind="account_short_of_admins",
        url=reverse("accounts_account_detail", args=[account.pk]),
        school=account.school,
        about=account,
        context={"name": account.name},
    )


def post_moved(post: Post, *, action: str, actor) -> None:
    url = reverse("accounts_post_detail", args=[post.pk])
    context = {"account": post.account.name}
    if post.status == PostStatus.SUBMITTED:
        members = list(
            User.objects.filter(
                account_roles__account=post.account, account_roles__ended_at__isnull=True
            ).distinct()
        )
        _send(
            members,
            kind="post_waiting",
            url=url,
            school=post.school,
            about=post,
            context={**context, "step": "read and agree"},
            exclude=[post.author_id, actor.pk],
        )
    elif post.status == PostStatus.AGREED:
        heads = {user.pk for user in _holders(post.school_id, Role.HEADTEACHER)}
        if post.author_id in heads:
            approvers = _holders(post.school_id, Role.DEPUTY_HEADTEACHER)
        else:
            approvers = _holders(
                post.school_id, Role.HEADTEACHER, Role.DEPUTY_HEADTEACHER, Role.SLT
            )
        _send(
            approvers,
            kind="post_waiting",
            url=url,
            school=post.school,
            about=post,
            context={**context, "step": "approve"},
            exclude=[post.author_id, actor.pk],
        )
    elif action in (PostAction.REQUEST_CHANGES, PostAction.REJECT):
        outcome = "sent back for changes" if action == PostAction.REQUEST_CHANGES else "rejected"
        _send(
            [post.author],
            kind="post_returned",
            url=url,
            school=post.school,
            about=post,
            context={**context, "outcome": outcome},
        )
    elif post.status == PostStatus.APPROVED:
        _send(
            [post.author],
            kind="post_approved",
            url=url,
            school=post.school,
            about=post,
            context=context,
        )


def takedowns_created(tasks: list[TakedownTask], account: OfficialAccount) -> None:
    """The account's administrators: a link to the task (or to the list, for several)."""
    task = tasks[0]
    if len(tasks) == 1:
        url = reverse("accounts_takedown_detail", args=[task.pk])
    else:
        url = reverse("accounts_in_school", args=[account.school_id, "takedowns"])
    administrators = User.objects.filter(
        account_roles__account=account,
        account_roles__role=MemberRole.ADMINISTRATOR,
        account_roles__ended_at__isnull=True,
    ).distinct()
    _send(
        list(administrators),
        kind="takedown_new",
        url=url,
        school=account.school,
        about=task,
        context={"account": account.name, "count": len(tasks)},
    )
