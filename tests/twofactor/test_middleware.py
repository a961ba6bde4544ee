"""Until the session is verified with a code, a person who needs two-factor reaches only the
enrolment and verify pages, sign-out, static files and /healthz (deny by default)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.twofactor.helpers import authenticator_for, code_for

CLOSED_URLS = [
    "/",
    "/people/",
    "/school/",
    "/two-factor/",
    "/two-factor/people/",
    "/two-factor/backup-codes/",
    "/notifications/",
    "/admin/",
    "/no-such-page/",
]


def assert_sent_to(response, url_name: str, next_url: str):
    assert response.status_code == 302, response.status_code
    location = urlsplit(response["Location"])
    assert location.path == reverse(url_name)
    assert parse_qs(location.query)["next"] == [next_url]


@pytest.mark.parametrize("url", CLOSED_URLS)
def test_privileged_person_without_authenticator_is_sent_to_enrol(client_for, headteacher, url):
    client = client_for(headteacher, verified=False)
    assert_sent_to(client.get(url), "twofactor_enrol", url)
    assert_sent_to(client.post(url), "twofactor_enrol", url)


def test_query_string_is_kept_in_next(client_for, headteacher):
    response = client_for(headteacher, verified=False).get("/people/?leavers=1")
    assert_sent_to(response, "twofactor_enrol", "/people/?leavers=1")


def test_school_page_of_own_school_is_closed_too(client_for, headteacher, school):
    url = reverse("school_detail", args=[school.pk])
    assert_sent_to(client_for(headteacher, verified=False).get(url), "twofactor_enrol", url)


def test_privileged_person_with_authenticator_is_sent_to_verify(client_for, dsl):
    authenticator_for(dsl)
    client = client_for(dsl, verified=False)
    for url in ("/", "/people/", "/two-factor/set-up/"):
        response = client.get(url)
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == reverse("twofactor_verify")


def test_enrolment_sign_out_health_and_static_stay_open(client_for, headteacher):
    client = client_for(headteacher, verified=False)
    assert client.get(reverse("twofactor_enrol")).status_code == 200
    assert client.get("/healthz").status_code == 200
    static = client.get("/static/css/socialgov.css")
    assert not (static.status_code == 302 and "/two-factor/" in static["Location"])
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    # Signed out: the next page asks for the password, not a code.
    assert client.get("/").url.startswith(reverse("login"))


def test_admin_logout_is_not_mistaken_for_sign_out(client_for, headteacher):
    # Allow-listing is by full view name: "admin:logout" is not "logout".
    response = client_for(headteacher, verified=False).post("/admin/logout/")
    assert_sent_to(response, "twofactor_enrol", "/admin/logout/")


def test_after_enrolling_with_a_real_code_every_page_opens(client_for, headteacher):
    client = client_for(headteacher, verified=False)
    client.get(reverse("twofactor_enrol"))
    device = headteacher.totpdevice_set.get(confirmed=False)
    response = client.post(reverse("twofactor_enrol"), {"code": code_for(device)})
    assert response.status_code == 302
    for url in ("/", "/people/", "/school/", "/two-factor/"):
        assert client.get(url, follow=True).status_code == 200, url
    assert client.get("/people/").status_code == 200


def test_plain_staff_are_never_asked(client_for, staff):
    client = client_for(staff, verified=False)
    assert client.get("/").status_code == 200
    assert client.get("/two-factor/").status_code == 200


def test_school_setting_asks_everyone(client_for, school, staff, governor):
    school.require_two_factor_for_all = True
    school.save()
    assert_sent_to(client_for(staff, verified=False).get("/"), "twofactor_enrol", "/")
    assert_sent_to(client_for(governor, verified=False).get("/"), "twofactor_enrol", "/")


def test_htmx_requests_are_told_to_load_the_whole_page(client_for, headteacher):
    response = client_for(headteacher, verified=False).get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert urlsplit(response["HX-Redirect"]).path == reverse("twofactor_enrol")


def test_verified_session_of_a_privileged_person_opens_pages(client_for, headteacher):
    assert client_for(headteacher).get("/people/").status_code == 200
