"""The declarations and exceptions gateway, rule by rule (policies/declarations/access.py)."""

import pytest
from django.http import Http404

from policies.declarations import access
from policies.declarations.models import Declaration
from socialgov.dates import today
from socialgov.people.roles import Role
from tests.factories import person_in
from tests.policies.declarations.factories import declaration_for, exception_for

pytestmark = pytest.mark.django_db


def test_a_declaration_is_visible_to_its_declarer_the_headteacher_and_the_dsl_team_only(
    school, staff, headteacher, dsl, deputy_dsl, deputy_head, slt, governor, colleague, outsider
):
    declaration = declaration_for(staff)
    for person in (staff, headteacher, dsl, deputy_dsl):
        assert access.declaration_visible_to(person).filter(pk=declaration.pk).exists()
    for person in (deputy_head, slt, governor, colleague, outsider):
        assert not access.declaration_visible_to(person).filter(pk=declaration.pk).exists()
        with pytest.raises(Http404):
            access.declaration_get_for_user(person, declaration.pk)


def test_a_declarer_who_left_the_school_no_longer_sees_it(school, staff, headteacher):
    import datetime as dt

    declaration = declaration_for(staff)
    membership = staff.memberships.get()
    membership.start_date = today() - dt.timedelta(days=100)
    membership.leaving_date = today()
    membership.save()
    fresh = type(staff).objects.get(pk=staff.pk)
    assert not access.declaration_visible_to(fresh).exists()
    assert Declaration.objects.filter(pk=declaration.pk).exists()


def test_nobody_decides_on_their_own_declaration(school, headteacher, dsl, staff):
    own = declaration_for(dsl)
    assert access.can_decide_declaration(headteacher, own)
    assert not access.can_decide_declaration(dsl, own)
    assert access.can_decide_declaration(dsl, declaration_for(staff))
    assert not access.can_decide_declaration(staff, declaration_for(staff))


def test_anonymous_people_see_no_declarations_or_exceptions(school, staff):
    from django.contrib.auth.models import AnonymousUser

    declaration_for(staff)
    assert not access.declaration_visible_to(AnonymousUser()).exists()
    assert not access.exception_visible_to(AnonymousUser()).exists()


def test_the_exception_register_is_for_leadership_and_the_dsl_team(
    school, dsl, headteacher, deputy_head, slt, deputy_dsl, colleague, governor, outsider
):
    exception = exception_for(dsl)
    for person in (dsl, headteacher, deputy_head, slt, deputy_dsl):
        assert access.exception_visible_to(person).filter(pk=exception.pk).exists()
    for person in (colleague, governor, outsider):
        assert not access.exception_visible_to(person).filter(pk=exception.pk).exists()


def test_staff_see_the_exceptions_they_asked_for_and_those_made_for_them(
    school, staff, colleague, headteacher
):
    asked = exception_for(colleague)
    for_staff = exception_for(headteacher, for_kind="staff", for_name="", staff_member=staff)
    visible = set(access.exception_visible_to(staff).values_list("pk", flat=True))
    assert visible == {for_staff.pk}
    assert set(access.exception_visible_to(colleague).values_list("pk", flat=True)) == {asked.pk}


def test_an_exception_is_not_decided_by_its_requester(school, headteacher, dsl, deputy_head):
    by_dsl = exception_for(dsl)
    assert access.can_decide_exception(headteacher, by_dsl)
    assert not access.can_decide_exception(dsl, by_dsl)
    assert not access.can_decide_exception(deputy_head, by_dsl)
    by_head = exception_for(headteacher)
    assert not access.can_decide_exception(headteacher, by_head)
    # The deputy headteacher stands in when the headteacher asked.
    assert access.can_decide_exception(deputy_head, by_head)


def test_another_headteacher_of_the_school_approves_the_headteachers_request(school, headteacher):
    other_head = person_in(school, Role.HEADTEACHER, full_name="Co Head")
    by_head = exception_for(headteacher)
    assert access.can_decide_exception(other_head, by_head)


def test_write_access_to_a_declaration_is_403_for_its_declarer(school, staff, headteacher):
    from django.core.exceptions import PermissionDenied

    declaration = declaration_for(staff)
    assert access.declaration_get_for_user(staff, declaration.pk) == declaration
    with pytest.raises(PermissionDenied):
        access.declaration_get_for_user(staff, declaration.pk, write=True)
    assert access.declaration_get_for_user(headteacher, declaration.pk, write=True)


def test_one_exception_is_a_404_outside_the_register_and_a_403_to_decide_without_the_right(
    school, dsl, headteacher, colleague, outsider, other_school
):
    from django.core.exceptions import PermissionDenied

    exception = exception_for(dsl)
    assert access.exception_get_for_user(headteacher, exception.pk, write=True) == exception
    # The requester reads it but may not decide on it.
    assert access.exception_get_for_user(dsl, exception.pk) == exception
    with pytest.raises(PermissionDenied):
        access.exception_get_for_user(dsl, exception.pk, write=True)
    # Not in the register and not theirs, or another school's: as if it did not exist.
    elsewhere = person_in(other_school, Role.HEADTEACHER, full_name="Else Where")
    for person in (colleague, outsider, elsewhere):
        with pytest.raises(Http404):
            access.exception_get_for_user(person, exception.pk)
    for bad in ("9" * 25, "x", -1):
        with pytest.raises(Http404):
            access.exception_get_for_user(headteacher, bad)
