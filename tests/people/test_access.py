import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socialgov import access
from socialgov.people.access import school_get_for_user, school_visible_to
from socialgov.people.roles import Role
from tests.factories import MembershipFactory, SchoolFactory, TrustMembershipFactory, person_in
from tests.twofactor.helpers import authenticator_for, code_for


@pytest.mark.parametrize("who", ["headteacher", "office"])
def test_people_page_is_for_headteacher_and_office(request, client_for, who, staff):
    response = client_for(request.getfixturevalue(who)).get("/people/")
    assert response.status_code == 200
    assert staff.full_name.encode() in response.content


@pytest.mark.parametrize("who", ["dsl", "staff", "governor", "chair", "network_manager"])
def test_people_page_is_refused_to_other_roles(request, client_for, who):
    response = client_for(request.getfixturevalue(who)).get("/people/")
    assert response.status_code == 403
    assert b"not available to you" in response.content


def test_people_page_lists_only_the_current_school(client_for, headteacher, outsider):
    response = client_for(headteacher).get("/people/")
    assert outsider.full_name.encode() not in response.content


def test_people_page_query_count_does_not_grow_with_people(
    client_for, headteacher, school, django_assert_num_queries
):
    client = client_for(headteacher)
    for _ in range(5):
        person_in(school, Role.STAFF)
    with CaptureQueriesContext(connection) as small_run:
        assert client.get("/people/").status_code == 200
    small = len(small_run.captured_queries)
    for _ in range(45):
        person_in(school, Role.STAFF, Role.SLT)
    # session, user, memberships + roles (middleware), people + roles (page): constant.
    with django_assert_num_queries(small):
        client.get("/people/")


def test_school_page_shows_the_school_to_its_members(client_for, staff, school):
    response = client_for(staff).get(reverse("school_detail", args=[school.pk]))
    assert response.status_code == 200
    assert school.name.encode() in response.content
    assert b"Edit details" not in response.content


def test_school_page_of_another_school_is_404(client_for, staff, other_school):
    response = client_for(staff).get(reverse("school_detail", args=[other_school.pk]))
    assert response.status_code == 404


def test_object_url_of_another_of_my_schools_switches_current_school(
    client_for, school, other_school
):
    user = person_in(school, Role.STAFF)
    MembershipFactory(user=user, school=other_school, roles=[Role.STAFF])
    client = client_for(user)
    assert client.get("/").context["current_school"] == other_school  # alphabetical first
    client.get(reverse("school_detail", args=[school.pk]))
    assert client.get("/").context["current_school"] == school


def test_school_switcher_changes_current_school(client_for, school, other_school):
    user = person_in(school, Role.STAFF)
    MembershipFactory(user=user, school=other_school, roles=[Role.STAFF])
    client = client_for(user)
    response = client.post("/school/switch/", {"school": school.pk, "next": "/school/"})
    assert response.status_code == 302 and response["Location"] == "/school/"
    assert client.get("/").context["current_school"] == school


def test_school_switcher_refuses_a_school_that_is_not_mine(client_for, staff, other_school):
    client = client_for(staff)
    response = client.post("/school/switch/", {"school": other_school.pk}, follow=True)
    assert b"You are not a member of that school." in response.content
    assert response.context["current_school"] != other_school


def test_school_switcher_ignores_offsite_next(client_for, staff, school):
    response = client_for(staff).post(
        "/school/switch/", {"school": school.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("dashboard")


def test_switcher_is_shown_only_to_people_in_several_schools(client_for, staff):
    assert b'id="switch-school"' not in client_for(staff).get("/").content


def test_headteacher_edits_school_details(client_for, headteacher, school):
    url = reverse("school_edit", args=[school.pk])
    response = client_for(headteacher).post(
        url,
        {
            "name": "Willow Bank Primary",
            "urn": school.urn,
            "address": "2 New Road\nTesttown",
            "email_domains": "Willow.test\n@staff.willow.test",
            "pupil_competence_age": 13,
        },
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.name == "Willow Bank Primary"
    assert school.domains == ["willow.test", "staff.willow.test"]
    assert school.history.first().history_user == headteacher


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("urn", "12AB", "A URN is six digits"),
        ("email_domains", "not a domain!", "are not e-mail domains"),
        ("pupil_competence_age", "40", "less than or equal to 18"),
        ("name", "", "This field is required"),
    ],
)
def test_bad_school_details_give_field_errors_and_change_nothing(
    client_for, headteacher, school, field, value, message
):
    data = {
        "name": school.name,
        "urn": school.urn,
        "address": school.address,
        "email_domains": school.email_domains,
        "pupil_competence_age": 12,
    }
    data[field] = value
    response = client_for(headteacher).post(reverse("school_edit", args=[school.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    before = school.name
    school.refresh_from_db()
    assert school.name == before and school.history.count() == 1


@pytest.mark.parametrize("who", ["dsl", "staff", "office", "governor"])
def test_only_the_headteacher_edits_school_details(request, client_for, school, who):
    response = client_for(request.getfixturevalue(who)).get(
        reverse("school_edit", args=[school.pk])
    )
    assert response.status_code == 403


def test_trust_executive_sees_the_trusts_schools_but_no_other(trust, school, other_school):
    executive = TrustMembershipFactory(trust=trust).user
    visible = set(school_visible_to(executive))
    assert school in visible and other_school not in visible
    with pytest.raises(Exception) as error:
        school_get_for_user(executive, other_school.pk)
    assert error.typename == "Http404"


def test_trust_executive_without_school_membership_signs_in_with_two_factor(
    client, trust, password
):
    executive = TrustMembershipFactory(trust=trust).user
    device = authenticator_for(executive)
    response = client.post("/accounts/login/", {"username": executive.email, "password": password})
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # a trust role is privileged: code first
    client.post("/two-factor/verify/", {"code": code_for(device)})
    assert client.get("/").status_code == 200
    assert client.get("/people/").status_code == 403


def test_require_role_without_a_current_school_is_403(client_for, trust):
    executive = TrustMembershipFactory(trust=trust).user
    assert client_for(executive).get("/school/").status_code == 403


def test_has_role_reads_only_current_memberships(school, headteacher):
    assert access.has_role(headteacher, school, Role.HEADTEACHER)
    assert not access.has_role(headteacher, school, Role.DSL)
    assert not access.has_role(headteacher, SchoolFactory(), Role.HEADTEACHER)


def test_malformed_object_key_is_404_not_500(client_for, staff):
    assert client_for(staff).get("/schools/99999999/").status_code == 404
