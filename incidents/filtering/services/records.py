"""The filtering and monitoring record: the named roles, the check log and the reviews."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from incidents.filtering import access as filtering_access
from incidents.filtering.models import (
    REVIEW_POINTS,
    CheckResult,
    Device,
    FilteringCheck,
    FilteringReview,
    FilteringRoles,
    Place,
    ReviewAction,
    ReviewKind,
    ReviewTrigger,
    UserGroup,
)
from incidents.filtering.services.common import (
    clean_text,
    is_current_member,
    one_line,
    require,
    save,
)
from socialgov import access
from socialgov.dates import today
from socialgov.people.models import School
from socialgov.people.roles import GOVERNANCE, StaffGroup
from socialgov.terms.selectors import academic_year_of

if TYPE_CHECKING:
    from socialgov.people.models import User


@transaction.atomic
def filtering_roles_save(
    *, school: School, actor, slt_lead=None, governor=None, it_provider=None, it_contractor=""
) -> FilteringRoles:
    """Name (or change) the SLT lead, the governor and the IT provider of a school."""
    require(filtering_access.can_edit_roles(actor, school), "Only the headteacher names these.")
    errors: dict[str, list[str]] = {}
    for name, person in (
        ("slt_lead", slt_lead),
        ("governor", governor),
        ("it_provider", it_provider),
    ):
        if person is not None and not is_current_member(person, school):
            errors[name] = ["Choose someone who works at the school now."]
    if governor is not None and "governor" not in errors:
        membership = access.membership_in(governor, school)
        roles = membership.role_names if membership else frozenset()
        group = membership.staff_group if membership else ""
        if not (roles & GOVERNANCE) and group != StaffGroup.GOVERNOR:
            errors["governor"] = ["Choose one of the school's governors."]
    contractor = one_line(it_contractor)
    if it_provider is not None and contractor:
        errors["it_contractor"] = ["Name either a member of staff or a contractor, not both."]
    if errors:
        raise ValidationError(errors)
    named, _ = FilteringRoles.objects.select_for_update().get_or_create(school=school)
    named.slt_lead = slt_lead
    named.governor = governor
    named.it_provider = it_provider
    named.it_contractor = contractor
    named.updated_by = actor
    named.updated_at = timezone.now()
    save(named, actor)
    return named


@transaction.atomic
def filtering_check_record(
    *,
    school: School,
    actor,
    submission_key: uuid.UUID,
    checked_on: dt.date | None,
    device: str,
    place: str,
    user_group: str,
    tested: str,
    result: str,
    actions: str = "",
) -> tuple[FilteringCheck, bool]:
    """One check of the filtering, by the person recording it; the check and whether it is new."""
    require(
        filtering_access.can_record_check(actor, school),
        "Only the network manager, the IT provider and leaders record checks.",
    )
    errors: dict[str, list[str]] = {}
    if checked_on is None:
        errors["checked_on"] = ["Give the date of the check."]
    elif checked_on > today():
        errors["checked_on"] = ["A check cannot be in the future."]
    for name, value, choices, message in (
        ("device", device, Device.values, "Choose the type of device."),
        ("place", place, Place.values, "Choose where on site it was tested."),
        ("user_group", user_group, UserGroup.values, "Choose the user group."),
        ("result", result, CheckResult.values, "Choose the result."),
    ):
        if value not in choices:
            errors[name] = [message]
    if not clean_text(tested):
        errors["tested"] = ["Say what was tested (for example the test sites used)."]
    if result == CheckResult.NOT_BLOCKED and not clean_text(actions):
        errors["actions"] = ["Something was not blocked: say what was done about it."]
    if errors:
        raise ValidationError(errors)
    assert checked_on is not None
    School.objects.select_for_update().get(pk=school.pk)
    existing = FilteringCheck.objects.filter(
        checked_by=actor, submission_key=submission_key
    ).first()
    if existing is not None:
        return existing, False
    check = FilteringCheck(
        school=school,
        submission_key=submission_key,
        checked_on=checked_on,
        checked_by=actor,
        device=device,
        place=place,
        user_group=user_group,
        tested=clean_text(tested),
        result=result,
        actions=clean_text(actions),
    )
    save(check, actor)
    return check, True


@dataclass(frozen=True)
class ActionPlanned:
    action: str
    owner: User
    due_on: dt.date


def review_url(review: FilteringReview) -> str:
    return reverse("filtering_review_detail", args=[review.pk])


@transaction.atomic
def filtering_review_record(
    *,
    school: School,
    actor,
    submission_key: uuid.UUID,
    kind: str,
    held_on: dt.date | None,
    slt_lead,
    dsl,
    governor,
    findings: str,
    it_provider=None,
    it_contractor: str = "",
    trigger: str = "",
    trigger_detail: str = "",
    points: dict[str, str] | None = None,
    actions: list[ActionPlanned] = (),  # type: ignore[assignment]
) -> tuple[FilteringReview, bool]:
    """A yearly or out-of-cycle review with all four participants (the SLT lead, the DSL, the IT
    provider and the governor); the review and whether it is new. One yearly review per academic
    year; an out-of-cycle review records its trigger."""
    require(
        filtering_access.can_record_review(actor, school),
        "Only the headteacher, senior leaders and the DSL record a review.",
    )
    points = points or {}
    actions = list(actions)
    errors: dict[str, list[str]] = {}
    if kind not in ReviewKind.values:
        errors["kind"] = ["Choose a yearly or an out-of-cycle review."]
    if kind == ReviewKind.OUT_OF_CYCLE:
        if trigger not in ReviewTrigger.values or not trigger:
            errors["trigger"] = ["Say what prompted this review."]
    else:
        trigger, trigger_detail = "", ""
    if held_on is None:
        errors["held_on"] = ["Give the date of the review."]
    elif held_on > today():
        errors["held_on"] = ["Record a review once it has taken place."]
    for name, person, message in (
        ("slt_lead", slt_lead, "The SLT lead must take part."),
        ("dsl", dsl, "The DSL must take part."),
        ("governor", governor, "The responsible governor must take part."),
    ):
        if person is None:
            errors[name] = [message]
        elif not is_current_member(person, school):
            errors[name] = ["Choose someone who works at the school now."]
    contractor = one_line(it_contractor)
    if it_provider is None and not contractor:
        errors["it_provider"] = [
            "The IT provider must take part: a member of staff or a contractor."
        ]
    elif it_provider is not None and contractor:
        errors["it_provider"] = ["Name either a member of staff or a contractor, not both."]
    elif it_provider is not None and not is_current_member(it_provider, school):
        errors["it_provider"] = ["Choose someone who works at the school now."]
    if not clean_text(findings):
        errors["findings"] = ["Write the review's findings."]
    for action in actions:
        if not clean_text(action.action) or action.owner is None or action.due_on is None:
            errors["actions"] = ["Give every action an owner and a date."]
        elif not is_current_member(action.owner, school):
            errors["actions"] = ["An action's owner must work at the school."]
    if errors:
        raise ValidationError(errors)
    assert held_on is not None
    School.objects.select_for_update().get(pk=school.pk)
    existing = FilteringReview.objects.filter(
        recorded_by=actor, submission_key=submission_key
    ).first()
    if existing is not None:
        return existing, False
    year = academic_year_of(held_on)
    if (
        kind == ReviewKind.YEARLY
        and FilteringReview.objects.filter(
            school=school, academic_year=year, kind=ReviewKind.YEARLY
        ).exists()
    ):
        raise ValidationError(
            {"held_on": "This academic year's yearly review is already recorded."}
        )
    review = FilteringReview(
        school=school,
        submission_key=submission_key,
        kind=kind,
        trigger=trigger,
        trigger_detail=clean_text(trigger_detail),
        academic_year=year,
        held_on=held_on,
        slt_lead=slt_lead,
        dsl=dsl,
        it_provider=it_provider,
        it_contractor=contractor,
        governor=governor,
        findings=clean_text(findings),
        recorded_by=actor,
        **{name: clean_text(points.get(name)) for name, _label in REVIEW_POINTS},
    )
    save(review, actor)
    for action in actions:
        save(
            ReviewAction(
                review=review,
                action=clean_text(action.action),
                owner=action.owner,
                due_on=action.due_on,
            ),
            actor,
        )
    return review, True


@transaction.atomic
def review_action_mark_done(*, action: ReviewAction, actor) -> tuple[ReviewAction, bool]:
    """Mark a review's action done (who and when); the action and whether this call marked it
    (a second click, or two at once, keeps the first marker)."""
    action = ReviewAction.objects.select_for_update().select_related("review").get(pk=action.pk)
    require(
        filtering_access.can_mark_action_done(actor, action, action.review.school_id),
        "Only the action's owner or those who record reviews mark it done.",
    )
    if action.done_at is not None:
        return action, False
    action.done_by = actor
    action.done_at = timezone.now()
    save(action, actor)
    return action, True


def filtering_roles_after_leaving(change) -> None:
    """Leaver listener: a person who leaves a school is no longer its named SLT lead, governor or
    IT provider (the headteacher's dashboard then warns that the role is unassigned)."""
    if change.leaving_date is None or change.leaving_date > today():
        return  # still here until then (a role change keeps the named person)
    membership = change.membership
    named = (
        FilteringRoles.objects.select_for_update().filter(school_id=membership.school_id).first()
    )
    if named is None:
        return
    changed = False
    for field in ("slt_lead", "governor", "it_provider"):
        if getattr(named, f"{field}_id") == membership.user_id:
            setattr(named, field, None)
            changed = True
    if changed:
        named.updated_by = change.actor
        named.updated_at = timezone.now()
        save(named, change.actor)
