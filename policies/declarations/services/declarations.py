"""Declarations of pre-existing relationships: made by staff, decided by the headteacher and
the DSL team, confirmed once a year."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from policies.declarations import access as declaration_access
from policies.declarations.models import (
    Concerns,
    ConfirmationKind,
    Declaration,
    DeclarationConfirmation,
    DeclarationDecision,
    DeclarationStatus,
    Outcome,
)
from policies.declarations.services.common import holders, notify, one_line, save, text
from socialgov import access
from socialgov.dates import today
from socialgov.people.models import Membership, School
from socialgov.terms.selectors import academic_year_of

MAX_REVIEW_YEARS = 3


def _pupil_problem(school: School, concerns: str, pupil) -> str:
    if pupil is None:
        return ""
    if pupil.school_id != school.pk:
        return "Choose a pupil of this school."
    if concerns not in (Concerns.PUPIL, Concerns.FAMILY, Concerns.FORMER_PUPIL):
        return (
            "A pupil record goes with a declaration about a pupil, their family or a former pupil."
        )
    return ""


@transaction.atomic
def declaration_make(
    *,
    school: School,
    declarer,
    submission_key: uuid.UUID,
    concerns: str,
    concerns_name: str,
    nature: str,
    platforms: str,
    since: dt.date | None,
    pupil=None,
) -> tuple[Declaration, bool]:
    """A member of staff declares a relationship or situation; (declaration, created). The same
    form sent twice makes one declaration. The headteacher and the DSL team are told."""
    if access.membership_in(declarer, school) is None:
        raise PermissionDenied("Only members of the school make declarations there.")
    errors: dict[str, list[str]] = {}
    if concerns not in Concerns.values:
        errors["concerns"] = ["Choose who the declaration concerns."]
    if not one_line(concerns_name):
        errors["concerns_name"] = ["Write who it concerns (a name or a description)."]
    if not text(nature):
        errors["nature"] = ["Describe the contact: how you know them and how you are in touch."]
    if since is None:
        errors["since"] = ["Enter since when (an approximate date will do)."]
    elif since > today():
        errors["since"] = ["“Since when” cannot be in the future."]
    problem = _pupil_problem(school, concerns, pupil)
    if problem:
        errors["pupil"] = [problem]
    if errors:
        raise ValidationError(errors)
    assert since is not None

    # The declarer's membership is the lock: a second identical submit waits, then finds it.
    Membership.objects.select_for_update().get(school=school, user=declarer)
    existing = Declaration.objects.filter(declarer=declarer, submission_key=submission_key).first()
    if existing is not None:
        return existing, False
    declaration = Declaration(
        school=school,
        declarer=declarer,
        submission_key=submission_key,
        concerns=concerns,
        concerns_name=one_line(concerns_name)[:200],
        pupil=pupil,
        nature=text(nature),
        platforms=one_line(platforms)[:300],
        since=since,
    )
    save(declaration, declarer)
    notify(
        holders(school.pk, declaration_access.DECIDERS),
        kind="declaration_new",
        url=reverse("declaration_detail", args=[declaration.pk]),
        school=school,
        about=declaration,
        besides=declarer,
    )
    return declaration, True


@transaction.atomic
def declaration_decide(
    *,
    declaration: Declaration,
    actor,
    outcome: str,
    advice: str,
    conditions: str = "",
    discussed_with: str = "",
    review_on: dt.date | None,
    decisions_seen: int,
) -> DeclarationDecision:
    """Record the decision and advice (the headteacher or the DSL team, not the declarer).
    `decisions_seen` is how many decisions the person saw on the page: if someone else recorded
    one meanwhile, nothing is written and they are asked to look again."""
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if not declaration_access.can_decide_declaration(actor, declaration):
        raise PermissionDenied("The headteacher or the DSL team records the decision.")
    if declaration.decisions_made != decisions_seen:
        raise ValidationError(
            "Someone else recorded a decision on this declaration while you were writing yours. "
            "Read it, then record yours if it is still needed."
        )
    if declaration.status == DeclarationStatus.ENDED:
        raise ValidationError("This declaration no longer applies: there is nothing to decide.")
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = ["Choose the decision."]
    if not text(advice):
        errors["advice"] = ["Write the advice given: the decision is recorded with it."]
    if outcome == Outcome.ALLOWED and not text(conditions):
        errors["conditions"] = ["Write the conditions the contact is allowed under."]
    on = today()
    if review_on is None:
        errors["review_on"] = ["Enter a review date."]
    elif review_on <= on:
        errors["review_on"] = ["The review date must be after today."]
    elif review_on > on.replace(year=on.year + MAX_REVIEW_YEARS, day=min(on.day, 28)):
        errors["review_on"] = [f"Review it within {MAX_REVIEW_YEARS} years."]
    if errors:
        raise ValidationError(errors)
    assert review_on is not None
    decision = DeclarationDecision(
        declaration=declaration,
        sequence=declaration.decisions_made + 1,
        outcome=outcome,
        advice=text(advice),
        conditions=text(conditions),
        discussed_with=one_line(discussed_with)[:300],
        review_on=review_on,
        decided_by=actor,
    )
    save(decision, actor)
    declaration.decisions_made = decision.sequence
    declaration.status = DeclarationStatus.DECIDED
    declaration.outcome = outcome
    declaration.review_on = review_on
    save(declaration, actor)
    notify(
        [declaration.declarer],
        kind="declaration_decided",
        url=reverse("declaration_detail", args=[declaration.pk]),
        school=declaration.school,
        about=declaration,
        besides=actor,
    )
    return decision


@transaction.atomic
def declaration_end(*, declaration: Declaration, actor) -> Declaration:
    """The relationship or situation no longer applies (its declarer, or a decider)."""
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    allowed = declaration.declarer_id == actor.pk or declaration_access.can_decide_declaration(
        actor, declaration
    )
    if not allowed:
        raise PermissionDenied
    if declaration.status == DeclarationStatus.ENDED:
        return declaration
    declaration.status = DeclarationStatus.ENDED
    save(declaration, actor)
    return declaration


@transaction.atomic
def declaration_confirm(
    *, school: School, person, kind: str
) -> tuple[DeclarationConfirmation, bool]:
    """This academic year's answer: still accurate, or nothing to declare; (answer, created).
    Once a year: a second answer (or a double submit) keeps the first."""
    if access.membership_in(person, school) is None:
        raise PermissionDenied
    if kind not in ConfirmationKind.values:
        raise ValidationError({"kind": ["Choose your answer."]})
    Membership.objects.select_for_update().get(school=school, user=person)
    year = academic_year_of(today())
    existing = DeclarationConfirmation.objects.filter(
        school=school, person=person, academic_year=year
    ).first()
    if existing is not None:
        return existing, False
    current = Declaration.objects.filter(school=school, declarer=person).exclude(
        status=DeclarationStatus.ENDED
    )
    if kind == ConfirmationKind.NOTHING and current.exists():
        raise ValidationError(
            {
                "kind": [
                    "You have declarations that still apply. Confirm they are accurate, or mark "
                    "the ones that no longer apply first."
                ]
            }
        )
    if kind == ConfirmationKind.STILL_ACCURATE and not current.exists():
        raise ValidationError({"kind": ["You have no declarations: choose “nothing to declare”."]})
    confirmation = DeclarationConfirmation(
        school=school, person=person, academic_year=year, kind=kind
    )
    try:
        with transaction.atomic():
            save(confirmation, person)
    except IntegrityError:
        return DeclarationConfirmation.objects.get(
            school=school, person=person, academic_year=year
        ), False
    return confirmation, True
