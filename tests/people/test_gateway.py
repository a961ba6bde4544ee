"""The people app's gateway (socialgov.people.access), tested directly: a broken rule fails here
even where a page's use_school() would hide it. Each rule: the outsider (another school's
headteacher) excluded, a colleague of the same school without the role excluded, the right
person included."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from socialgov.people.access import (
    may_grant_privileged_roles,
    may_manage,
    membership_get_for_user,
    membership_may_manage,
    membership_visible_to,
    school_get_for_user,
    school_may_edit,
    school_visible_to,
)
from socialgov.people.roles import Role
from tests.factories import MembershipFactory


def membership_of(user):
    return user.memberships.get()


# Schools -----------------------------------------------------------------------------------------


def test_a_school_is_visible_to_its_members_and_its_trusts_executives_only(
    school, other_school, sister_school, colleague, outsider, sister_head, trust_executive
):
    assert list(school_visible_to(colleague)) == [school]
    assert set(school_visible_to(trust_executive)) == {school, sister_school}
    assert school not in school_visible_to(outsider)
    assert school not in school_visible_to(sister_head)  # same trust is not enough


def test_nobody_signed_out_sees_a_school(school):
    from django.contrib.auth.models import AnonymousUser

    assert not school_visible_to(AnonymousUser()).exists()


def test_reading_one_school_is_404_outside_the_persons_schools(
    school, colleague, outsider, sister_head
):
    assert school_get_for_user(colleague, school.pk) == school
    for stranger in (outsider, sister_head):
        with pytest.raises(Http404):
            school_get_for_user(stranger, school.pk)
    with pytest.raises(Http404):
        school_get_for_user(colleague, "not-a-number")


def test_only_the_headteacher_may_change_the_school(
    school, headteacher, office, colleague, trust_executive, outsider
):
    assert school_get_for_user(headteacher, school.pk, write=True) == school
    assert school_may_edit(headteacher, school)
    for reader in (office, colleague, trust_executive):
        assert not school_may_edit(reader, school)
        with pytest.raises(PermissionDenied):
            school_get_for_user(reader, school.pk, write=True)
    with pytest.raises(Http404):
        school_get_for_user(outsider, school.pk, write=True)


def test_a_headteacher_who_has_left_may_no_longer_change_the_school(school, headteacher):
    membership = membership_of(headteacher)
    membership.leaving_date = dt.date.today()
    membership.save()
    headteacher = type(headteacher).objects.get(pk=headteacher.pk)
    with pytest.raises(Http404):
        school_get_for_user(headteacher, school.pk, write=True)


# Memberships -----------------------------------------------------------------------------------


def test_the_people_list_is_visible_to_the_headteacher_and_office_of_the_school(
    school, headteacher, office, dsl, colleague, outsider, sister_head, trust_executive, staff
):
    staff_membership = membership_of(staff)
    for keeper in (headteacher, office):
        assert staff_membership in membership_visible_to(keeper)
    for other in (dsl, colleague, outsider, sister_head, trust_executive):
        assert staff_membership not in membership_visible_to(other)


def test_the_people_list_gateway_reads_roles_per_school(school, sister_school, staff):
    """Office in one school keeps only that school's list, even when staff in another."""
    keeper = MembershipFactory(school=sister_school, roles=[Role.OFFICE]).user
    MembershipFactory(user=keeper, school=school, roles=[Role.STAFF])
    assert membership_of(staff) not in membership_visible_to(keeper)
    assert set(membership_visible_to(keeper).values_list("school", flat=True)) == {sister_school.pk}


def test_reading_a_membership_is_404_outside_and_403_without_the_people_list(
    school, headteacher, office, colleague, dsl, outsider, sister_head, staff
):
    pk = membership_of(staff).pk
    for keeper in (headteacher, office):
        assert membership_get_for_user(keeper, pk).pk == pk
    for same_school in (colleague, dsl):
        with pytest.raises(PermissionDenied):
            membership_get_for_user(same_school, pk)
    for stranger in (outsider, sister_head):
        with pytest.raises(Http404):
            membership_get_for_user(stranger, pk)


def test_writing_a_membership_needs_may_manage(school, headteacher, office, dsl, staff):
    """Office staff change people without privileged roles; only the headteacher changes the DSL
    (or the office themselves)."""
    assert membership_get_for_user(office, membership_of(staff).pk, write=True)
    assert membership_get_for_user(headteacher, membership_of(dsl).pk, write=True)
    for privileged in (dsl, office):
        with pytest.raises(PermissionDenied):
            membership_get_for_user(office, membership_of(privileged).pk, write=True)
    # Reading the same records is allowed: the write rule is what refuses.
    assert membership_get_for_user(office, membership_of(dsl).pk)


def test_writing_a_membership_is_refused_to_colleagues_and_404_to_outsiders(
    colleague, outsider, staff
):
    pk = membership_of(staff).pk
    with pytest.raises(PermissionDenied):
        membership_get_for_user(colleague, pk, write=True)
    with pytest.raises(Http404):
        membership_get_for_user(outsider, pk, write=True)


def test_membership_may_manage_reads_the_persons_roles_in_that_school(
    school, sister_school, headteacher, office, staff, dsl
):
    assert membership_may_manage(headteacher, membership_of(dsl))
    assert membership_may_manage(office, membership_of(staff))
    assert not membership_may_manage(office, membership_of(dsl))
    # A headteacher of another school who is plain staff here manages nobody here.
    elsewhere = MembershipFactory(school=sister_school, roles=[Role.HEADTEACHER]).user
    MembershipFactory(user=elsewhere, school=school, roles=[Role.STAFF])
    assert not membership_may_manage(elsewhere, membership_of(staff))


@pytest.mark.parametrize(
    "actor,target,allowed",
    [
        ({Role.HEADTEACHER}, {Role.DSL}, True),
        ({Role.HEADTEACHER}, {Role.HEADTEACHER}, True),
        ({Role.OFFICE}, {Role.STAFF}, True),
        ({Role.OFFICE}, {Role.GOVERNOR, Role.STAFF}, True),
        ({Role.OFFICE}, {Role.STAFF, Role.SLT}, False),
        ({Role.OFFICE}, {Role.OFFICE}, False),
        ({Role.DSL}, {Role.STAFF}, False),
        ({Role.STAFF}, {Role.STAFF}, False),
        (set(), {Role.STAFF}, False),
    ],
)
def test_may_manage(actor, target, allowed):
    assert may_manage(actor_roles=frozenset(actor), membership_roles=frozenset(target)) is allowed


def test_only_the_headteacher_may_grant_privileged_roles(
    school, headteacher, office, colleague, outsider
):
    assert may_grant_privileged_roles(headteacher, school)
    for other in (office, colleague, outsider):
        assert not may_grant_privileged_roles(other, school)
