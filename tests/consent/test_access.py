"""The consent gateway's rules, tested directly (not only through pages): for each, an outsider is
excluded, a person of the same school without the role is excluded, and the right people are in."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from consent import access, services
from tests.consent.factories import pupil_for, record, social_media

pytestmark = pytest.mark.django_db

READERS = ["office", "dpo", "headteacher", "deputy_head", "dsl", "deputy_dsl", "slt"]
NOT_READERS = ["staff", "governor", "chair", "clerk", "network_manager", "marketing_officer"]


@pytest.fixture
def pupil(school, office):
    return pupil_for(school, office)


@pytest.fixture
def decision(pupil, school, office):
    return record(pupil, social_media(school), office)


@pytest.fixture
def restriction(pupil, dsl):
    return services.photo_restriction_set(pupil=pupil, actor=dsl, reason="Court order")


@pytest.mark.parametrize("who", READERS)
def test_register_readers_see_the_pupil_and_its_decisions(request, pupil, decision, who):
    person = request.getfixturevalue(who)
    assert pupil in access.pupil_visible_to(person)
    assert access.pupil_get_for_user(person, pupil.pk) == pupil
    assert decision in access.decision_visible_to(person)
    assert access.decision_get_for_user(person, decision.pk) == decision


@pytest.mark.parametrize("who", NOT_READERS)
def test_others_in_the_school_do_not_see_the_register(request, pupil, decision, who):
    person = request.getfixturevalue(who)
    assert pupil not in access.pupil_visible_to(person)
    assert decision not in access.decision_visible_to(person)
    with pytest.raises(PermissionDenied):
        access.pupil_get_for_user(person, pupil.pk)
    with pytest.raises(PermissionDenied):
        access.decision_get_for_user(person, decision.pk)


@pytest.mark.parametrize("who", ["outsider", "sister_head", "trust_executive"])
def test_people_of_other_schools_get_404_for_everything(request, pupil, decision, restriction, who):
    person = request.getfixturevalue(who)
    purpose = decision.purpose
    assert not access.pupil_visible_to(person).exists()
    assert not access.pupil_lookup_visible_to(person).exists()
    assert not access.decision_visible_to(person).exists()
    assert not access.restriction_visible_to(person).exists()
    assert not access.purpose_visible_to(person).exists()
    for gateway, pk in (
        (access.pupil_get_for_user, pupil.pk),
        (access.pupil_get_for_restriction, pupil.pk),
        (access.pupil_get_for_competence, pupil.pk),
        (access.decision_get_for_user, decision.pk),
        (access.restriction_get_for_user, restriction.pk),
        (access.purpose_get_for_user, purpose.pk),
    ):
        with pytest.raises(Http404):
            gateway(person, pk)


def test_a_malformed_key_is_a_404(headteacher):
    with pytest.raises(Http404):
        access.pupil_get_for_user(headteacher, "not-a-number")


@pytest.mark.parametrize("who", ["office", "dpo"])
def test_the_office_and_dpo_write_the_register(request, pupil, who):
    person = request.getfixturevalue(who)
    assert access.pupil_get_for_user(person, pupil.pk, write=True) == pupil
    assert access.can_write_register(person, pupil.school)


@pytest.mark.parametrize("who", ["headteacher", "dsl", "slt", "deputy_head"])
def test_readers_who_do_not_write_get_403_for_writes(request, pupil, who):
    with pytest.raises(PermissionDenied):
        access.pupil_get_for_user(request.getfixturevalue(who), pupil.pk, write=True)


@pytest.mark.parametrize("who", ["dsl", "deputy_dsl", "headteacher"])
def test_the_dsl_team_and_headteacher_set_restrictions_and_see_why(
    request, pupil, restriction, who
):
    person = request.getfixturevalue(who)
    assert access.pupil_get_for_restriction(person, pupil.pk) == pupil
    assert access.restriction_get_for_user(person, restriction.pk) == restriction
    assert restriction in access.restriction_visible_to(person)
    assert access.can_see_restriction_reason(person, pupil.school)


@pytest.mark.parametrize("who", ["office", "dpo", "slt", "deputy_head", "staff", "governor"])
def test_nobody_else_sets_a_restriction_or_sees_its_reason(request, pupil, restriction, who):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        access.pupil_get_for_restriction(person, pupil.pk)
    with pytest.raises(PermissionDenied):
        access.restriction_get_for_user(person, restriction.pk)
    assert restriction not in access.restriction_visible_to(person)
    assert not access.can_see_restriction_reason(person, pupil.school)


def test_the_office_cannot_set_a_restriction_through_the_service(pupil, office):
    with pytest.raises(PermissionDenied):
        services.photo_restriction_set(pupil=pupil, actor=office, reason="Adoption")


@pytest.mark.parametrize("who", ["staff", "colleague", "network_manager", "office", "dsl"])
def test_every_member_of_staff_may_look_up(request, pupil, who):
    person = request.getfixturevalue(who)
    assert access.can_look_up(person, pupil.school)
    assert pupil in access.pupil_lookup_visible_to(person)


@pytest.mark.parametrize("who", ["governor", "chair", "safeguarding_governor", "clerk"])
def test_governors_may_not_look_up_but_see_counts(request, pupil, who):
    person = request.getfixturevalue(who)
    assert not access.can_look_up(person, pupil.school)
    assert pupil not in access.pupil_lookup_visible_to(person)
    assert access.can_see_counts(person, pupil.school)


def test_plain_staff_do_not_see_counts(pupil, staff):
    assert not access.can_see_counts(staff, pupil.school)


@pytest.mark.parametrize("who", ["headteacher", "dpo"])
def test_the_headteacher_and_dpo_change_purposes(request, school, who):
    purpose = social_media(school)
    person = request.getfixturevalue(who)
    assert access.purpose_get_for_user(person, purpose.pk, write=True) == purpose


@pytest.mark.parametrize("who", ["office", "dsl", "staff"])
def test_others_read_purposes_but_do_not_change_them(request, school, who):
    purpose = social_media(school)
    person = request.getfixturevalue(who)
    assert access.purpose_get_for_user(person, purpose.pk) == purpose
    with pytest.raises(PermissionDenied):
        access.purpose_get_for_user(person, purpose.pk, write=True)


@pytest.mark.parametrize("who", ["office", "dpo", "headteacher", "dsl", "deputy_dsl"])
def test_competence_is_recorded_by_the_office_dpo_dsl_team_and_headteacher(request, pupil, who):
    assert access.pupil_get_for_competence(request.getfixturevalue(who), pupil.pk) == pupil


@pytest.mark.parametrize("who", ["slt", "staff", "governor"])
def test_competence_is_not_recorded_by_others(request, pupil, who):
    with pytest.raises(PermissionDenied):
        access.pupil_get_for_competence(request.getfixturevalue(who), pupil.pk)


def test_a_member_of_staff_who_has_left_sees_nothing(school, pupil, office):
    from socialgov.dates import today
    from socialgov.people.models import Membership

    Membership.objects.filter(user=office).update(leaving_date=today())
    left = type(office).objects.get(pk=office.pk)  # no cached memberships
    assert not access.pupil_visible_to(left).exists()
    with pytest.raises(Http404):
        access.pupil_get_for_user(left, pupil.pk)
