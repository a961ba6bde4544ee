"""The two-factor reset gateway (socialgov.twofactor.access), tested directly: the headteacher
resets people of their own school, nobody resets a headteacher but a superuser."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from socialgov.twofactor.access import (
    reset_allowed,
    reset_membership_get_for_user,
    reset_membership_visible_to,
)


def membership_of(user):
    return user.memberships.get()


def test_memberships_to_reset_are_those_of_the_persons_schools(
    school, headteacher, colleague, outsider, sister_head, dsl, admin_user
):
    target = membership_of(dsl)
    assert target in reset_membership_visible_to(headteacher)
    assert target in reset_membership_visible_to(colleague)  # visible; writing is refused below
    for stranger in (outsider, sister_head):
        assert target not in reset_membership_visible_to(stranger)
        with pytest.raises(Http404):
            reset_membership_get_for_user(stranger, target.pk, write=True)
    assert target in reset_membership_visible_to(admin_user)


def test_only_the_headteacher_or_a_superuser_resets(
    school, headteacher, deputy_head, dsl, colleague, admin_user
):
    target = membership_of(dsl)
    assert reset_membership_get_for_user(headteacher, target.pk, write=True) == target
    assert reset_membership_get_for_user(admin_user, target.pk, write=True) == target
    for other in (deputy_head, colleague):
        assert not reset_allowed(other, target)
        with pytest.raises(PermissionDenied):
            reset_membership_get_for_user(other, target.pk, write=True)


def test_a_headteachers_two_factor_is_reset_by_a_superuser_only(school, headteacher, admin_user):
    own = membership_of(headteacher)
    with pytest.raises(PermissionDenied):
        reset_membership_get_for_user(headteacher, own.pk, write=True)
    assert reset_allowed(admin_user, own)
