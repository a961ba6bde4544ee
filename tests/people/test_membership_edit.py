"""Changing a person's roles and details in one school, and who may."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from socialgov.people import services
from socialgov.people.models import Membership, MembershipRole
from socialgov.people.roles import Role, StaffGroup
from tests.factories import MembershipFactory, person_in


def membership_of(user, school=None):
    memberships = Membership.objects.filter(user=user)
    if school is not None:
        memberships = memberships.filter(school=school)
    return memberships.get()


def edit(client, membership, **data):
    payload = {
        "roles": sorted(membership.role_names),
        "staff_group": membership.staff_group,
        "job_title": membership.job_title,
    }
    payload.update(data)
    return client.post(reverse("person_edit", args=[membership.pk]), payload)


def test_headteacher_changes_roles_staff_group_and_job_title(client_for, headteacher, staff):
    membership = membership_of(staff)
    response = edit(
        client_for(headteacher),
        membership,
        roles=[Role.STAFF, Role.DEPUTY_DSL],
        staff_group=StaffGroup.SUPPORT,
        job_title="  Learning   mentor ",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[membership.pk])
    membership.refresh_from_db()
    assert membership.role_names == {Role.STAFF, Role.DEPUTY_DSL}
    assert membership.staff_group == StaffGroup.SUPPORT
    assert membership.job_title == "Learning mentor"
    # Who changed what is in the history.
    added = MembershipRole.history.get(membership_id=membership.pk, role=Role.DEPUTY_DSL)
    assert added.history_user == headteacher and added.history_type == "+"
    assert membership.history.latest().history_user == headteacher


def test_taking_a_role_away_is_recorded_in_history(client_for, headteacher, governor):
    membership = membership_of(governor)
    edit(client_for(headteacher), membership, roles=[Role.STAFF])
    assert membership_of(governor).role_names == {Role.STAFF}
    removed = MembershipRole.history.get(
        membership_id=membership.pk, role=Role.GOVERNOR, history_type="-"
    )
    assert removed.history_user == headteacher


def test_office_may_change_unprivileged_people(client_for, office, staff):
    membership = membership_of(staff)
    response = edit(client_for(office), membership, roles=[Role.STAFF, Role.GOVERNOR])
    assert response.status_code == 302
    assert membership_of(staff).role_names == {Role.STAFF, Role.GOVERNOR}


def test_office_cannot_give_a_privileged_role(client_for, office, staff):
    membership = membership_of(staff)
    response = edit(client_for(office), membership, roles=[Role.STAFF, Role.DSL])
    assert response.status_code == 200
    assert b"Only the headteacher can give or take away these roles" in response.content
    assert membership_of(staff).role_names == {Role.STAFF}


def test_office_cannot_change_someone_holding_a_privileged_role(client_for, office, dsl):
    client = client_for(office)
    membership = membership_of(dsl)
    assert client.get(reverse("person_edit", args=[membership.pk])).status_code == 403
    assert edit(client, membership, roles=[Role.STAFF]).status_code == 403
    assert membership_of(dsl).role_names == {Role.DSL}
    with pytest.raises(PermissionDenied):
        services.membership_update(
            membership=membership,
            actor=office,
            roles=[Role.DSL],
            staff_group=StaffGroup.SUPPORT,
        )


def test_the_only_headteacher_cannot_remove_their_own_headteacher_role(client_for, headteacher):
    membership = membership_of(headteacher)
    response = edit(client_for(headteacher), membership, roles=[Role.STAFF])
    assert response.status_code == 200
    assert b"This is the school&#x27;s only headteacher" in response.content
    assert membership_of(headteacher).role_names == {Role.HEADTEACHER}


def test_a_headteacher_may_step_down_once_there_is_another(client_for, headteacher, school):
    person_in(school, Role.HEADTEACHER, full_name="Second Head")
    membership = membership_of(headteacher)
    response = edit(client_for(headteacher), membership, roles=[Role.STAFF, Role.SLT])
    assert response.status_code == 302
    assert membership_of(headteacher).role_names == {Role.STAFF, Role.SLT}


def test_a_headteacher_who_has_left_does_not_count_as_another(headteacher, school):
    former = person_in(school, Role.HEADTEACHER, full_name="Former Head")
    former_membership = membership_of(former)
    former_membership.leaving_date = former_membership.start_date
    former_membership.save()
    with pytest.raises(ValidationError):
        services.membership_update(
            membership=membership_of(headteacher),
            actor=headteacher,
            roles=[Role.STAFF],
            staff_group=StaffGroup.TEACHER,
        )


@pytest.mark.parametrize(
    "data,message",
    [
        ({"roles": []}, b"Choose at least one role"),
        ({"roles": ["emperor"]}, b"Select a valid choice"),
        ({"staff_group": ""}, b"Choose a staff group"),
        ({"job_title": "x" * 121}, b"at most 120 characters"),
    ],
)
def test_bad_input_gives_form_errors(client_for, headteacher, staff, data, message):
    membership = membership_of(staff)
    response = edit(client_for(headteacher), membership, **data)
    assert response.status_code == 200
    assert message in response.content
    assert membership_of(staff).role_names == {Role.STAFF}


@pytest.mark.parametrize("who", ["staff", "dsl", "governor", "chair", "network_manager"])
def test_edit_is_refused_to_other_roles(request, client_for, who, staff):
    client = client_for(request.getfixturevalue(who))
    membership = membership_of(staff)
    assert client.get(reverse("person_edit", args=[membership.pk])).status_code == 403
    assert edit(client, membership, roles=[Role.STAFF, Role.GOVERNOR]).status_code == 403
    assert membership_of(staff).role_names == {Role.STAFF}


def test_edit_is_not_found_for_another_schools_headteacher(client_for, outsider, staff):
    membership = membership_of(staff)
    response = edit(client_for(outsider), membership, roles=[Role.STAFF, Role.GOVERNOR])
    assert response.status_code == 404
    assert membership_of(staff).role_names == {Role.STAFF}


def test_a_person_in_two_schools_is_edited_in_one_only(
    client_for, headteacher, school, other_school
):
    both = person_in(school, Role.STAFF, full_name="Both Schools")
    MembershipFactory(user=both, school=other_school, roles=[Role.STAFF])
    edit(client_for(headteacher), membership_of(both, school), roles=[Role.GOVERNOR])
    assert membership_of(both, school).role_names == {Role.GOVERNOR}
    assert membership_of(both, other_school).role_names == {Role.STAFF}
