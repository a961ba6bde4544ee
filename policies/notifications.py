"""Who is told what when a policy version moves on (issue 9: every waiting step reaches its person).

Called by the version services inside their transaction: the in-app rows are written with the
change (and roll back with it), the e-mails go after commit (socialgov.notifications). Each
person is told once per event and never about their own action; only current members of the
policy's school are told.

- sent for approval → the approvers (policy_version_submitted)
- sent back with a reason, approved, published → the author and the owner
  (policy_version_returned, policy_version_approved, policy_version_published)
- published → everyone who must sign it, one notification each, e-mails in batches
  (policy_to_sign; for a minor version, those whose signature still counts are told what changed
  instead, with a link to the redline: policy_minor_update)
- ratification recorded → the owner (policy_ratified)
"""

from __future__ import annotations

from django.urls import reverse

from policies import access as policy_access
from policies.models import ChangeSize, PolicyVersion, Ratification
from policies.selectors.coverage import required_members, valid_signers_of
from socialgov.notifications.rendering import absolute_url
from socialgov.notifications.services import notification_send, notification_send_many
from socialgov.people.models import Membership

__all__ = [
    "notify_ratified",
    "notify_version_approved",
    "notify_version_published",
    "notify_version_returned",
    "notify_version_submitted",
]


def _context(version: PolicyVersion, **extra) -> dict:
    """Plain values only: the policy's title and version, never anyone else's name."""
    return {
        "policy_title": version.policy.title,
        "version_number": str(version.number),
        "school_name": version.policy.school.name,
        **extra,
    }


def _current_members_among(school_id: int, people) -> list:
    """Those of `people` who are current, active members of the school (one query)."""
    people = {person.pk: person for person in people if person is not None}
    if not people:
        return []
    member_ids = set(
        Membership.objects.current()
        .filter(school_id=school_id, user_id__in=list(people), user__is_active=True)
        .values_list("user_id", flat=True)
    )
    return [person for pk, person in sorted(people.items()) if pk in member_ids]


def _author_and_owner(version: PolicyVersion, actor) -> list:
    people = [version.created_by, version.policy.owner]
    return [
        person
        for person in _current_members_among(version.policy.school_id, people)
        if person.pk != actor.pk
    ]


def _send_each(recipients, *, kind: str, version: PolicyVersion, url, context: dict) -> None:
    """One notification to each recipient; `url` is a path, or a function of the recipient."""
    for recipient in recipients:
        notification_send(
            recipient=recipient,
            kind=kind,
            url=url(recipient) if callable(url) else url,
            school=version.policy.school,
            context=context,
        )


def _version_url(version: PolicyVersion):
    """The version's page for those who may read it; the policy's page for an owner who may not
    read a version that is not yet published (they are not an editor)."""

    def url_for(person) -> str:
        readable = version.status in policy_access.READABLE_STATUSES or policy_access.can_edit(
            person, version.policy.school
        )
        if readable:
            return reverse("version_detail", args=[version.pk])
        return reverse("policy_detail", args=[version.policy_id])

    return url_for


def notify_version_submitted(*, version: PolicyVersion, actor) -> None:
    """The people who may approve the version (policies.access.version_approvers) are asked to."""
    approvers = [
        person for person in policy_access.version_approvers(version) if person.pk != actor.pk
    ]
    _send_each(
        approvers,
        kind="policy_version_submitted",
        version=version,
        url=_version_url(version),
        context=_context(version),
    )


def notify_version_returned(*, version: PolicyVersion, actor) -> None:
    _send_each(
        _author_and_owner(version, actor),
        kind="policy_version_returned",
        version=version,
        url=_version_url(version),
        context=_context(version, reason=version.return_reason),
    )


def notify_version_approved(*, version: PolicyVersion, actor) -> None:
    _send_each(
        _author_and_owner(version, actor),
        kind="policy_version_approved",
        version=version,
        url=_version_url(version),
        context=_context(version),
    )


def redline_url(version: PolicyVersion, previous: PolicyVersion) -> str:
    return reverse("policy_redline", args=[version.policy_id]) + (
        f"?from={previous.pk}&to={version.pk}"
    )


def notify_version_published(
    *, version: PolicyVersion, actor, previous: PolicyVersion | None
) -> None:
    """The author and owner hear it is published; everyone who must sign it is asked to sign,
    except, for a minor version, those whose signature still counts: they are told what changed.
    A person is told once: a signer who is also the author gets the signer's notification."""
    school = version.policy.school
    signers = [membership.user for membership in required_members(version.policy)]
    signer_ids = {person.pk for person in signers}
    changes_url = redline_url(version, previous) if previous is not None else ""
    context = _context(
        version,
        minor=version.change == ChangeSize.MINOR and previous is not None,
        change_summary=version.change_summary,
        redline_link=absolute_url(changes_url) if changes_url else "",
    )
    _send_each(
        [person for person in _author_and_owner(version, actor) if person.pk not in signer_ids],
        kind="policy_version_published",
        version=version,
        url=_version_url(version),
        context=context,
    )
    still_valid = set(valid_signers_of(version)) if context["minor"] else set()
    notification_send_many(
        recipients=[person for person in signers if person.pk not in still_valid],
        kind="policy_to_sign",
        url=reverse("version_sign", args=[version.pk]),
        school=school,
        context=context,
    )
    if still_valid:
        notification_send_many(
            recipients=[person for person in signers if person.pk in still_valid],
            kind="policy_minor_update",
            url=changes_url,
            school=school,
            context=context,
        )


def notify_ratified(*, ratification: Ratification, actor) -> None:
    version = ratification.version
    owners = [
        person
        for person in _current_members_among(version.policy.school_id, [version.policy.owner])
        if person.pk != actor.pk
    ]
    _send_each(
        owners,
        kind="policy_ratified",
        version=version,
        url=_version_url(version),
        context=_context(
            version,
            meeting_date=ratification.meeting_date.strftime("%d/%m/%Y"),
            corrected=ratification.corrects_id is not None,
        ),
    )
