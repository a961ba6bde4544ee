"""The filtering record through the services: the named roles, the check log with its coverage,
and the reviews (four participants, one yearly review a year, out-of-cycle triggers, overdue)."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from incidents.filtering import selectors, services
from incidents.filtering.models import FilteringCheck, FilteringReview, ReviewAction
from socialgov.dates import today
from tests.incidents.filtering.helpers import check_for, request_for, review_for, unblocked

pytestmark = pytest.mark.django_db


def test_roles_are_named_by_the_headteacher_and_missing_ones_listed(
    school, headteacher, slt, governor, network_manager, dsl
):
    assert selectors.filtering_roles_of(school).unassigned() == [
        "the SLT lead",
        "the responsible governor",
        "the IT provider",
    ]
    with pytest.raises(PermissionDenied):
        services.filtering_roles_save(school=school, actor=dsl, slt_lead=slt)
    services.filtering_roles_save(
        school=school, actor=headteacher, slt_lead=slt, governor=governor, it_contractor="Fen IT"
    )
    roles = selectors.filtering_roles_of(school)
    assert roles.unassigned() == []
    assert roles.it_provider_name == "Fen IT"


def test_the_governor_must_be_a_governor_and_everyone_a_member(
    school, headteacher, staff, outsider, network_manager
):
    with pytest.raises(ValidationError) as caught:
        services.filtering_roles_save(
            school=school,
            actor=headteacher,
            governor=staff,
            slt_lead=outsider,
            it_provider=network_manager,
            it_contractor="Also a firm",
        )
    assert set(caught.value.message_dict) == {"governor", "slt_lead", "it_contractor"}


def test_a_check_not_blocked_needs_its_actions(school, network_manager):
    with pytest.raises(ValidationError) as caught:
        check_for(school, network_manager, result="not_blocked", actions="")
    assert "actions" in caught.value.message_dict
    check = check_for(school, network_manager, result="not_blocked", actions="Category added.")
    assert check.checked_by == network_manager


def test_a_check_refuses_bad_choices_and_future_dates(school, network_manager):
    with pytest.raises(ValidationError) as caught:
        check_for(
            school,
            network_manager,
            device="toaster",
            place="moon",
            user_group="robots",
            result="maybe",
            tested="",
            checked_on=today() + dt.timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {
        "device",
        "place",
        "user_group",
        "result",
        "tested",
        "checked_on",
    }
    assert not FilteringCheck.objects.exists()


def test_the_same_check_submitted_twice_is_logged_once(school, network_manager):
    key = uuid.uuid4()
    check_for(school, network_manager, submission_key=key)
    _check, created = services.filtering_check_record(
        school=school,
        actor=network_manager,
        submission_key=key,
        checked_on=today(),
        device="laptop",
        place="classroom",
        user_group="pupil",
        tested="x",
        result="blocked",
    )
    assert not created and FilteringCheck.objects.count() == 1


def test_coverage_shows_the_combinations_not_checked_this_year(school, network_manager):
    from socialgov.terms.selectors import academic_year_of

    year = academic_year_of(today())
    coverage = selectors.check_coverage(school, year)
    assert len(coverage) == 45 and not any(cell.checked for cell in coverage)
    check_for(school, network_manager, device="tablet", place="shared", user_group="staff")
    check_for(school, network_manager, device="laptop", place="classroom", result="not_tested")
    checked = [c for c in selectors.check_coverage(school, year) if c.checked]
    assert [(c.device, c.place, c.user_group) for c in checked] == [
        ("School tablet", "Library or shared area", "Staff")
    ]


def test_a_review_without_all_four_participants_is_refused(school, headteacher, slt, dsl):
    with pytest.raises(ValidationError) as caught:
        services.filtering_review_record(
            school=school,
            actor=headteacher,
            submission_key=uuid.uuid4(),
            kind="yearly",
            held_on=today(),
            slt_lead=slt,
            dsl=None,
            governor=None,
            it_provider=None,
            it_contractor="",
            findings="All fine.",
        )
    assert {"dsl", "governor", "it_provider"} <= set(caught.value.message_dict)
    assert not FilteringReview.objects.exists()


def test_only_leaders_record_a_review(school, network_manager, slt, dsl, governor):
    with pytest.raises(PermissionDenied):
        review_for(school, network_manager, slt_lead=slt, dsl=dsl, governor=governor)


def test_one_yearly_review_per_academic_year_with_its_actions(
    school, headteacher, slt, dsl, governor, network_manager
):
    review = review_for(
        school,
        headteacher,
        slt_lead=slt,
        dsl=dsl,
        governor=governor,
        it_provider=network_manager,
        actions=[
            services.ActionPlanned("Check the guest Wi-Fi", network_manager, today()),
        ],
    )
    assert ReviewAction.objects.get(review=review).owner == network_manager
    with pytest.raises(ValidationError) as caught:
        review_for(school, headteacher, slt_lead=slt, dsl=dsl, governor=governor)
    assert "held_on" in caught.value.message_dict


def test_an_out_of_cycle_review_records_its_trigger(school, headteacher, slt, dsl, governor):
    review_for(school, headteacher, slt_lead=slt, dsl=dsl, governor=governor)
    with pytest.raises(ValidationError) as caught:
        review_for(
            school, headteacher, slt_lead=slt, dsl=dsl, governor=governor, kind="out_of_cycle"
        )
    assert "trigger" in caught.value.message_dict
    review = review_for(
        school,
        headteacher,
        slt_lead=slt,
        dsl=dsl,
        governor=governor,
        kind="out_of_cycle",
        trigger="generative_ai",
        trigger_detail="Pupils started using a new chatbot at home.",
    )
    assert review.get_trigger_display() == "A new generative-AI tool"


def test_the_next_academic_year_with_no_review_shows_overdue(
    school, headteacher, slt, dsl, governor
):
    held = dt.date(2025, 10, 1)
    review = review_for(school, headteacher, slt_lead=slt, dsl=dsl, governor=governor, held_on=held)
    assert selectors.review_status(school, dt.date(2026, 3, 1)).this_year == review
    status = selectors.review_status(school, dt.date(2026, 10, 1))
    assert status.this_year is None and not status.overdue
    assert status.due_by == dt.date(2027, 8, 31)
    assert selectors.review_status(school, dt.date(2027, 9, 1)).overdue


def test_a_school_with_no_review_at_all_is_overdue(school):
    assert selectors.review_status(school, today()).overdue


def test_the_review_evidence_comes_from_the_record(
    school, headteacher, slt, dsl, governor, staff, network_manager
):
    unblocked(request_for(school, staff), network_manager, headteacher)
    check_for(school, network_manager)
    review = review_for(
        school,
        headteacher,
        slt_lead=slt,
        dsl=dsl,
        governor=governor,
        points={"teaching_needs": "Video sites for science."},
    )
    evidence = selectors.review_evidence(review)
    assert len(evidence.decisions) == 1 and len(evidence.checks) == 1
    marks = {p.name: p.evidence for p in evidence.points}
    assert marks["blocked_allowed"] == "evidenced"
    assert marks["checks"] == "evidenced"
    assert marks["teaching_needs"] == "stated"
    assert marks["risk_profile"] == "missing"


def test_a_named_person_who_leaves_is_no_longer_named(school, headteacher, slt, governor):
    from socialgov.people.services import membership_end

    services.filtering_roles_save(
        school=school, actor=headteacher, slt_lead=slt, governor=governor, it_contractor="Fen IT"
    )
    membership_end(membership=slt.memberships.get(), actor=headteacher, leaving_date=today())
    assert selectors.filtering_roles_of(school).unassigned() == ["the SLT lead"]
