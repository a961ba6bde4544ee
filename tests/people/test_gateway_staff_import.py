"""The staff-import gateway (socialgov.people.access), tested directly: the school's people
managers (headteacher, office) see its imports; a colleague without the role is refused (403),
another school's headteacher and a leaver get 404."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from socialgov.people.access import staff_import_get_for_user, staff_import_visible_to
from socialgov.people.models import StaffImport


@pytest.fixture
def job(school, office):
    return StaffImport.objects.create(school=school, created_by=office, digest="0" * 64)


def test_the_schools_people_managers_see_its_imports(job, headteacher, office):
    assert list(staff_import_visible_to(headteacher)) == [job]
    assert list(staff_import_visible_to(office)) == [job]
    assert staff_import_get_for_user(headteacher, job.pk) == job
    assert staff_import_get_for_user(office, job.pk) == job


@pytest.mark.parametrize("name", ["colleague", "dsl", "deputy_head", "governor"])
def test_a_member_without_the_people_role_sees_none_and_is_refused(request, job, name):
    person = request.getfixturevalue(name)
    assert list(staff_import_visible_to(person)) == []
    with pytest.raises(PermissionDenied):
        staff_import_get_for_user(person, job.pk)


@pytest.mark.parametrize("name", ["outsider", "sister_head", "trust_executive"])
def test_another_school_or_the_trust_gets_nothing_and_a_404(request, job, name):
    person = request.getfixturevalue(name)
    assert list(staff_import_visible_to(person)) == []
    with pytest.raises(Http404):
        staff_import_get_for_user(person, job.pk)


def test_an_anonymous_visitor_sees_none(job):
    from django.contrib.auth.models import AnonymousUser

    assert list(staff_import_visible_to(AnonymousUser())) == []


def test_a_people_manager_who_has_left_sees_none_and_gets_a_404(job, office):
    membership = office.memberships.get()
    membership.start_date = dt.date.today() - dt.timedelta(days=30)
    membership.leaving_date = dt.date.today() - dt.timedelta(days=1)
    membership.save()
    assert list(staff_import_visible_to(office)) == []
    with pytest.raises(Http404):
        staff_import_get_for_user(office, job.pk)
