"""'Needs me now': each step waiting for someone is an item on their dashboard, in each school
they belong to; and the warning while a filtering role is unassigned."""

import pytest

from incidents.filtering.needs_me import PANELS
from incidents.filtering.services import filtering_roles_save
from socialgov import access
from tests.factories import MembershipFactory
from tests.incidents.filtering.helpers import approved, request_for, review_for, reviewed

pytestmark = pytest.mark.django_db


def _sentences(user, school=None):
    access.forget_memberships(user)
    result = []
    for membership in access.current_memberships(user):
        if school is not None and membership.school_id != school.pk:
            continue
        membership.user = user
        for panel in PANELS:
            result += [item.sentence for item in panel.items(membership)]
    return result


def test_the_network_manager_sees_what_waits_for_them(school, staff, network_manager, headteacher):
    request_for(school, staff)
    approved(request_for(school, staff), network_manager, headteacher)
    sentences = _sentences(network_manager)
    assert "1 blocked-content request to review" in sentences
    assert "1 approved site to unblock" in sentences


def test_the_deciders_see_requests_to_decide_but_not_their_own(
    school, staff, headteacher, deputy_head, network_manager
):
    reviewed(request_for(school, headteacher), network_manager)
    reviewed(request_for(school, staff), network_manager)
    assert "1 blocked-content request to decide" in _sentences(headteacher)
    assert "2 blocked-content requests to decide" in _sentences(deputy_head)


def test_the_headteacher_is_warned_while_a_role_is_unassigned(school, headteacher, slt, governor):
    assert any(s.startswith("Filtering and monitoring: name") for s in _sentences(headteacher))
    filtering_roles_save(
        school=school, actor=headteacher, slt_lead=slt, governor=governor, it_contractor="Fen IT"
    )
    assert not any(s.startswith("Filtering and monitoring: name") for s in _sentences(headteacher))


def test_the_review_overdue_shows_for_the_headteacher_and_dsl(
    school, headteacher, dsl, slt, governor, staff
):
    assert "The filtering and monitoring review is overdue" in _sentences(dsl)
    review_for(school, headteacher, slt_lead=slt, dsl=dsl, governor=governor)
    assert "The filtering and monitoring review is overdue" not in _sentences(dsl)
    assert _sentences(staff) == []


def test_items_show_in_every_school_the_person_belongs_to(
    school, sister_school, staff, network_manager
):
    from socialgov.people.roles import Role

    MembershipFactory(user=network_manager, school=sister_school, roles=[Role.NETWORK_MANAGER])
    request_for(school, staff)
    request_for(sister_school, person_in_sister(sister_school))
    assert "1 blocked-content request to review" in _sentences(network_manager, school)
    assert "1 blocked-content request to review" in _sentences(network_manager, sister_school)


def person_in_sister(sister_school):
    from socialgov.people.roles import Role
    from tests.factories import person_in

    return person_in(sister_school, Role.STAFF)
