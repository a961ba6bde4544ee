"""What the fuzz net (tests/test_fuzz_net.py) found, each as its own test: a `next` that is a bare
word, a NUL byte (a 500 on PostgreSQL), a 25-digit id in a multiple choice (a 500 on SQLite)."""

import pytest
from django.urls import reverse

from socialgov.people.models import User
from tests.twofactor.helpers import authenticator_for, code_for, password_sign_in


@pytest.mark.parametrize(
    "next_url", ["ab", "dashboard-x", "/\r\nSet-Cookie: x=1", "//evil.example"]
)
def test_school_switcher_goes_to_the_dashboard_for_a_next_that_is_not_a_path(
    client_for, staff, school, next_url
):
    response = client_for(staff).post(
        reverse("school_switch"), {"school": school.pk, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_school_switcher_still_goes_to_a_path_of_this_site(client_for, staff, school):
    response = client_for(staff).post(
        reverse("school_switch"), {"school": school.pk, "next": "/policies/?page=2"}
    )
    assert response["Location"] == "/policies/?page=2"


def test_two_factor_verify_ignores_a_next_that_is_not_a_path(client, dsl):
    device = authenticator_for(dsl)
    password_sign_in(client, dsl)
    verify = reverse("twofactor_verify")
    assert client.get(f"{verify}?next=ab").status_code == 200
    done = client.post(f"{verify}?next=ab", {"code": code_for(device)})
    assert done.status_code == 302 and done["Location"] == reverse("dashboard")
    # Once verified, the page sends the person on at once: still never to a URL name.
    assert client.get(f"{verify}?next=ab")["Location"] == reverse("dashboard")


def test_a_nul_byte_in_a_url_argument_is_a_clear_400(client_for, staff):
    # policies' verification page looks the code up: PostgreSQL cannot compare a NUL (a 500).
    response = client_for(staff).get("/policies/verify/ab%00cd/")
    assert response.status_code == 400
    assert b"could not be used" in response.content


def test_a_nul_byte_in_a_query_parameter_is_a_400(client_for, staff):
    assert client_for(staff).get("/notifications/", {"page": "1\x00"}).status_code == 400


def test_a_nul_byte_in_a_form_field_or_its_name_is_a_400(client_for, headteacher):
    client = client_for(headteacher)
    assert (
        client.post(reverse("school_switch"), {"school": "1", "next": "/\x00"}).status_code == 400
    )
    assert client.post(reverse("school_switch"), {"sch\x00ool": "1"}).status_code == 400


def test_a_nul_byte_inside_an_uploaded_file_is_not_refused_at_the_door(client_for, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("staff.csv", b"name,email\nA\x00B,a@b.test\n", "text/csv")
    response = client_for(office).post(reverse("people_import"), {"csv_file": upload})
    assert response.status_code != 400


@pytest.mark.django_db
def test_an_integer_in_lookup_ignores_numbers_no_column_can_hold():
    user = User.objects.create_user("in@willow.test", full_name="In Lookup")
    assert list(User.objects.filter(pk__in=[10**25, -(10**25)])) == []
    assert list(User.objects.filter(pk__in=[10**25, user.pk])) == [user]


def test_a_25_digit_id_in_a_multiple_choice_is_a_form_error(client_for, headteacher):
    response = client_for(headteacher).post(
        reverse("policy_create"),
        {"kind": "social_media", "title": "Fuzzed", "related": "9" * 25},
    )
    assert response.status_code == 200
    assert "related" in response.context["form"].errors


@pytest.mark.parametrize("purpose", ["//evil.example/path", "²", "9" * 25, "-1"])
def test_a_decision_form_opened_with_a_purpose_that_is_not_an_id_is_a_blank_form(
    client_for, school, office, purpose
):
    from tests.consent.factories import default_purposes, pupil_for

    default_purposes(school)
    pupil = pupil_for(school, office)
    url = reverse("consent_decision_create", args=[pupil.pk])
    response = client_for(office).get(url, {"purpose": purpose})
    assert response.status_code == 200
    assert response.context["form"].initial.get("purpose") is None
