"""Who needs two-factor sign-in: one rule (twofactor.access.two_factor_required)."""

import datetime as dt

import pytest

from socialgov.people.models import User
from socialgov.people.roles import Role
from socialgov.twofactor.access import two_factor_required
from socialgov.twofactor.selectors import people_needing_two_factor
from tests.factories import MembershipFactory, TrustMembershipFactory, UserFactory, person_in


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("name", ["headteacher", "dsl", "office", "chair", "network_manager"])
def test_privileged_roles_need_two_factor(request, name):
    assert two_factor_required(fresh(request.getfixturevalue(name)))


@pytest.mark.parametrize("name", ["staff", "governor"])
def test_plain_staff_and_governors_do_not(request, name):
    assert not two_factor_required(fresh(request.getfixturevalue(name)))


def test_a_school_can_require_it_for_everyone(school, staff, governor):
    school.require_two_factor_for_all = True
    school.save()
    assert two_factor_required(fresh(staff))
    assert two_factor_required(fresh(governor))


def test_superuser_and_trust_executive_need_it(db, trust):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    executive = TrustMembershipFactory(trust=trust).user
    assert two_factor_required(fresh(superuser))
    assert two_factor_required(fresh(executive))


def test_a_role_in_another_school_counts(school, other_school, staff):
    MembershipFactory(user=staff, school=other_school, roles=[Role.DSL])
    assert two_factor_required(fresh(staff))


def test_a_privileged_membership_that_has_ended_does_not_count(school, other_school):
    person = person_in(school, Role.STAFF)
    MembershipFactory(
        user=person,
        school=other_school,
        roles=[Role.HEADTEACHER],
        start_date=dt.date(2020, 9, 1),
        leaving_date=dt.date(2021, 9, 1),
    )
    assert not two_factor_required(fresh(person))


def test_anonymous_visitors_need_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not two_factor_required(AnonymousUser())


def test_the_queryset_form_agrees_with_the_rule(everyone, school, trust, other_school):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    executive = TrustMembershipFactory(trust=trust).user
    all_school = person_in(other_school, Role.STAFF)
    other_school.require_two_factor_for_all = True
    other_school.save()
    people = [*everyone.values(), superuser, executive, all_school]
    by_rule = {p.pk for p in people if two_factor_required(fresh(p))}
    by_query = set(people_needing_two_factor().values_list("pk", flat=True))
    assert by_rule == by_query
    assert everyone["staff"].pk not in by_query and all_school.pk in by_query
