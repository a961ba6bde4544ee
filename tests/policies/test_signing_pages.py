"""Signing through the browser's forms: the page, the typed name, double submits, the redline,
the signed PDF download and the verification page."""

import pytest
from django.urls import reverse

from policies.models import ChangeSize, Signature
from policies.services.versions import AGREEMENT_STATEMENT
from policies.text import text_sha256
from tests.policies.factories import draft_version_for, policy_for, published_version_for
from tests.policies.signing_helpers import (
    POLICY_TEXT_ON_READING_PAGE,
    page_text_sha256,
    sign,
)

pytestmark = pytest.mark.django_db

NEW_TEXT = (
    "# Staff acceptable use policy\n\n"
    "Staff use school accounts for school work only.\n\n"
    "1. Keep passwords private.\n"
    "2. Report concerns to the DSL at once.\n"
)


@pytest.fixture
def aup(school, headteacher):
    return policy_for(school, headteacher)


@pytest.fixture
def version(aup, headteacher):
    return published_version_for(aup, headteacher)


def sign_url(version):
    return reverse("version_sign", kwargs={"pk": version.pk})


def test_staff_signs_and_the_stored_hash_is_the_hash_of_the_text_the_page_served(
    client_for, staff, version
):
    client = client_for(staff)
    page = client.get(sign_url(version), HTTP_USER_AGENT="TestBrowser/1.0")
    assert page.status_code == 200
    assert AGREEMENT_STATEMENT in page.content.decode()
    served_hash = page_text_sha256(page)
    reading = client.get(reverse("version_detail", kwargs={"pk": version.pk}))
    assert page_text_sha256(reading, POLICY_TEXT_ON_READING_PAGE) == served_hash

    response = client.post(
        sign_url(version),
        {"agreed": "on", "typed_name": "  sam   STAFF "},
        HTTP_USER_AGENT="TestBrowser/1.0",
        REMOTE_ADDR="192.0.2.7",
    )
    signature = Signature.objects.get(version=version, signer=staff)
    assert response.status_code == 302
    assert response["Location"] == reverse("signature_detail", kwargs={"pk": signature.pk})
    assert signature.text_sha256 == served_hash == version.text_sha256
    assert signature.statement == AGREEMENT_STATEMENT
    assert signature.ip_address == "192.0.2.7"
    assert signature.user_agent == "TestBrowser/1.0"
    assert signature.typed_name == "sam   STAFF"  # as typed (the form trims the ends)
    detail = client.get(response["Location"])
    assert signature.display_code in detail.content.decode()
    assert reverse("signature_pdf", kwargs={"pk": signature.pk}) in detail.content.decode()


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"agreed": "on", "typed_name": "Sam Stafford"}, "typed_name", "Type your full name"),
        ({"agreed": "on", "typed_name": ""}, "typed_name", "Type your full name"),
        ({"typed_name": "Sam Staff"}, "agreed", "Tick the box"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_signed(
    client_for, staff, version, data, field, message
):
    response = client_for(staff).post(sign_url(version), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Signature.objects.exists()


def test_a_double_submit_gives_one_signature_and_the_same_success_page(client_for, staff, version):
    client = client_for(staff)
    data = {"agreed": "on", "typed_name": "Sam Staff"}
    first = client.post(sign_url(version), data)
    second = client.post(sign_url(version), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Signature.objects.filter(signer=staff).count() == 1


def test_nobody_signs_a_superseded_version(client_for, staff, aup, headteacher, version):
    published_version_for(aup, headteacher, text=NEW_TEXT)
    client = client_for(staff)
    page = client.get(sign_url(version))
    assert "no longer the one in force" in page.content.decode()
    response = client.post(sign_url(version), {"agreed": "on", "typed_name": "Sam Staff"})
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_staff_cannot_open_a_draft_to_sign_it(client_for, staff, aup, headteacher, version):
    draft = draft_version_for(aup, headteacher, text=NEW_TEXT)
    client = client_for(staff)
    assert client.get(sign_url(draft)).status_code == 404
    assert client.post(
        sign_url(draft), {"agreed": "on", "typed_name": "Sam Staff"}
    ).status_code == (404)


def test_a_person_not_asked_to_sign_cannot_sign(client_for, governor, version):
    client = client_for(governor)
    assert "not asked to sign" in client.get(sign_url(version)).content.decode()
    response = client.post(sign_url(version), {"agreed": "on", "typed_name": "Gwen Governor"})
    assert response.status_code == 403


def test_to_sign_list_and_dashboard_show_what_is_waiting_until_it_is_signed(
    client_for, staff, version
):
    client = client_for(staff)
    page = client.get(reverse("to_sign_list")).content.decode()
    assert sign_url(version) in page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f"Read and sign {version.policy.title}" in dashboard and sign_url(version) in dashboard
    sign(version, staff)
    page = client.get(reverse("to_sign_list")).content.decode()
    assert sign_url(version) not in page
    assert "You have signed every policy" in page
    assert "Read and sign" not in client.get(reverse("dashboard")).content.decode()


def test_signing_page_shows_the_changes_since_the_version_the_person_signed(
    client_for, staff, aup, headteacher, version
):
    sign(version, staff)
    newer = published_version_for(aup, headteacher, text=NEW_TEXT, change=ChangeSize.MAJOR)
    page = client_for(staff).get(sign_url(newer)).content.decode()
    assert "Changes since the version you signed (version 1)" in page
    assert "<ins" in page and "once" in page


def test_the_pdf_download_renders_a_missing_pdf_then_serves_the_stored_one(
    client_for, staff, version
):
    signature = sign(version, staff)
    assert signature.pdf_id is None  # the task runs on commit; the test transaction never commits
    client = client_for(staff)
    url = reverse("signature_pdf", kwargs={"pk": signature.pk})
    first = b"".join(client.get(url).streaming_content)
    second = b"".join(client.get(url).streaming_content)
    signature.refresh_from_db()
    assert first.startswith(b"%PDF") and first == second
    assert signature.pdf is not None


def test_another_member_of_staff_cannot_see_someone_elses_signature(
    client_for, staff, colleague, version
):
    signature = sign(version, staff)
    client = client_for(colleague)
    for name in ("signature_detail", "signature_pdf"):
        assert client.get(reverse(name, kwargs={"pk": signature.pk})).status_code == 404


def test_verification_code_shows_what_it_signs_to_people_of_the_school(
    client_for, staff, office, version
):
    signature = sign(version, staff)
    client = client_for(office)
    typed = signature.display_code.lower()
    response = client.get(reverse("signature_verify_form"), {"code": typed})
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "This code is valid" in text and "Sam Staff" in text
    assert "Staff acceptable use policy" in text and signature.text_sha256 in text


def test_unknown_or_other_school_code_is_not_found(client_for, staff, outsider, version):
    signature = sign(version, staff)
    for code in ("ABCDEFGHJKLMNPQR", signature.verification_code):
        response = client_for(outsider).get(reverse("signature_verify", kwargs={"code": code}))
        assert response.status_code == 404
        assert "No signature with this code was found" in response.content.decode()
        assert "Sam Staff" not in response.content.decode()


def test_a_malformed_code_is_a_form_error(client_for, staff):
    response = client_for(staff).get(reverse("signature_verify_form"), {"code": "not a code!"})
    assert response.status_code == 200
    assert "16 letters and numbers" in response.content.decode()


def test_the_signed_text_hash_is_the_versions_frozen_hash(staff, version):
    assert sign(version, staff).text_sha256 == text_sha256(version.body_html)
