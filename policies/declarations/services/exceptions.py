"""Policy exceptions: asked for by anyone in the school, approved or declined by the
headteacher (never by the person who asked), in force from the start date until the end date."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from policies.declarations import access as declaration_access
from policies.declarations.models import ExceptionFor, ExceptionStatus, PolicyException
from policies.declarations.services.common import holders, notify, one_line, save, text
from socialgov import access
from socialgov.dates import today
from socialgov.people.leavers import MembershipChange
from socialgov.people.models import Membership, School
from socialgov.uploads.services import stored_file_create

MAX_YEARS = 3


@transaction.atomic
def exception_request(
    *,
    school: School,
    actor,
    submission_key: uuid.UUID,
    for_kind: str,
    for_name: str,
    rule: str,
    reason: str,
    risk_assessment: str,
    conditions: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    policy=None,
    pupil=None,
    staff_member=None,
    agreement=None,
) -> tuple[PolicyException, bool]:
    """Ask for an exception to a policy rule; (exception, created). The headteacher is asked to
    approve it. The same form sent twice makes one request."""
    if access.membership_in(actor, school) is None:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}

    def problem(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if for_kind not in ExceptionFor.values:
        problem("for_kind", "Choose who the exception is for.")
    if pupil is not None and (pupil.school_id != school.pk or for_kind != ExceptionFor.PUPIL):
        problem("pupil", "Choose a pupil of this school, for an exception for a pupil.")
    if staff_member is not None and (
        for_kind != ExceptionFor.STAFF or access.membership_in(staff_member, school) is None
    ):
        problem("staff_member", "Choose a member of staff of this school.")
    if for_kind == ExceptionFor.STAFF and staff_member is None:
        problem("staff_member", "Choose the member of staff it is for.")
    name = one_line(for_name) or (staff_member.full_name if staff_member else "")
    if not name and pupil is not None:
        name = f"{pupil.legal_forename} {pupil.legal_surname}"
    if not name:
        problem("for_name", "Write the name of the person it is for.")
    if policy is not None and policy.school_id != school.pk:
        problem("policy", "Choose one of this school's policies.")
    for field, value, message in (
        ("rule", rule, "Write the rule it departs from."),
        ("reason", reason, "Write why the exception is needed."),
        ("risk_assessment", risk_assessment, "Write the risk assessment."),
        ("conditions", conditions, "Write the conditions it is allowed under."),
    ):
        if not text(value):
            problem(field, message)
    if starts_on is None:
        problem("starts_on", "Enter the start date.")
    if ends_on is None:
        problem("ends_on", "Enter the end date.")
    if starts_on and ends_on:
        if ends_on <= starts_on:
            problem("ends_on", "The end date must be after the start date.")
        elif (ends_on - starts_on).days > 366 * MAX_YEARS:
            problem("ends_on", f"An exception lasts at most {MAX_YEARS} years: review it then.")
    if errors:
        raise ValidationError(errors)
    assert starts_on is not None and ends_on is not None  # refused above when missing

    Membership.objects.select_for_update().get(school=school, user=actor)
    existing = PolicyException.objects.filter(
        requested_by=actor, submission_key=submission_key
    ).first()
    if existing is not None:
        return existing, False
    stored = None
    if agreement is not None:
        stored = stored_file_create(school=school, uploaded_by=actor, upload=agreement)
    exception = PolicyException(
        school=school,
        submission_key=submission_key,
        for_kind=for_kind,
        for_name=name[:200],
        pupil=pupil,
        staff_member=staff_member,
        policy=policy,
        rule=text(rule),
        reason=text(reason),
        risk_assessment=text(risk_assessment),
        conditions=text(conditions),
        agreement=stored,
        starts_on=starts_on,
        ends_on=ends_on,
        requested_by=actor,
    )
    save(exception, actor)
    approvers = [
        person
        for person in holders(school.pk, declaration_access.EXCEPTION_APPROVERS)
        if person.pk != actor.pk
    ]
    if not approvers:
        approvers = holders(school.pk, {"deputy_headteacher"})
    notify(
        approvers,
        kind="exception_requested",
        url=reverse("exception_detail", args=[exception.pk]),
        school=school,
        about=exception,
        besides=actor,
    )
    return exception, True


def _locked(exception: PolicyException) -> PolicyException:
    return (
        PolicyException.objects.select_for_update(of=("self",))
        .select_related("school", "requested_by")
        .get(pk=exception.pk)
    )


def _decide(exception: PolicyException, actor) -> PolicyException:
    exception = _locked(exception)
    if exception.requested_by_id == actor.pk:
        raise PermissionDenied("An exception is approved by someone other than who asked for it.")
    if not declaration_access.can_decide_exception(actor, exception):
        raise PermissionDenied("The headteacher approves exceptions.")
    if exception.status != ExceptionStatus.REQUESTED:
        raise ValidationError(
            f"This exception has already been decided ({exception.get_status_display().lower()})."
        )
    if exception.ended_early and exception.ends_on <= today():
        raise ValidationError(f"This exception has ended: {exception.ended_early_because}.")
    return exception


@transaction.atomic
def exception_approve(*, exception: PolicyException, actor) -> PolicyException:
    exception = _decide(exception, actor)
    exception.status = ExceptionStatus.APPROVED
    exception.decided_by = actor
    exception.decided_at = timezone.now()
    save(exception, actor)
    _tell_requester(exception, actor)
    return exception


@transaction.atomic
def exception_decline(*, exception: PolicyException, actor, reason: str) -> PolicyException:
    exception = _decide(exception, actor)
    if not text(reason):
        raise ValidationError({"decline_reason": ["Write why it is declined."]})
    exception.status = ExceptionStatus.DECLINED
    exception.decided_by = actor
    exception.decided_at = timezone.now()
    exception.decline_reason = text(reason)
    save(exception, actor)
    _tell_requester(exception, actor)
    return exception


def _tell_requester(exception: PolicyException, actor) -> None:
    notify(
        [exception.requested_by],
        kind="exception_decided",
        url=reverse("exception_detail", args=[exception.pk]),
        school=exception.school,
        about=exception,
        besides=actor,
        context={"approved": exception.status == ExceptionStatus.APPROVED},
    )


def exceptions_end_for_leaver(change: MembershipChange) -> None:
    """A leaver listener: every exception granted to (or asked for) a member of staff who leaves
    the school ends on their leaving date, and shows as ended (inside the leaving's transaction).
    """
    leaving_date = change.leaving_date
    if leaving_date is None:
        return  # roles taken away only: the person is still at the school
    membership = change.membership
    person = membership.user
    because = f"{person.full_name} left the school on {leaving_date:%-d %B %Y}"[:200]
    for exception in PolicyException.objects.select_for_update().filter(
        school_id=membership.school_id,
        staff_member_id=person.pk,
        status__in=[ExceptionStatus.REQUESTED, ExceptionStatus.APPROVED],
        ends_on__gt=leaving_date,
    ):
        exception.ends_on = leaving_date
        exception.ended_early_because = because
        exception._history_user = change.actor
        exception.save(update_fields=["ends_on", "ended_early_because"])
