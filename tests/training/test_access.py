"""The training log's gateway, rule by rule (socialgov/training/access.py)."""

import pytest
from django.http import Http404

from socialgov.training import access
from tests.training.factories import attended, session_in

pytestmark = pytest.mark.django_db


def test_keepers_see_the_sessions_of_their_school(
    school, headteacher, dsl, office, slt, deputy_head, staff, governor, outsider
):
    session = session_in(school)
    for person in (headteacher, dsl, office, slt, deputy_head):
        assert access.session_visible_to(person).filter(pk=session.pk).exists()
        assert access.session_get_for_user(person, session.pk) == session
    for person in (staff, governor, outsider):
        assert not access.session_visible_to(person).exists()
        with pytest.raises(Http404):
            access.session_get_for_user(person, session.pk)


def test_people_see_their_own_attendance_only(school, office, staff, colleague, outsider):
    session = session_in(school)
    attended(session, staff, colleague)
    assert set(access.attendance_visible_to(staff).values_list("person", flat=True)) == {staff.pk}
    assert access.attendance_visible_to(office).count() == 2
    assert not access.attendance_visible_to(outsider).exists()


def test_anonymous_people_see_nothing(school):
    from django.contrib.auth.models import AnonymousUser

    session_in(school)
    assert not access.session_visible_to(AnonymousUser()).exists()
    assert not access.attendance_visible_to(AnonymousUser()).exists()


def test_can_keep_is_for_the_keeping_roles(school, office, staff, governor):
    assert access.can_keep(office, school)
    assert not access.can_keep(staff, school)
    assert not access.can_keep(governor, school)
