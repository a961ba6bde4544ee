"""Exports and bulk downloads of personal data are recorded in the access log (issue 9.9): the
people CSV, the coverage CSV and the signed-PDF zip. Each names what was taken, never what is
in it, and shows in the school's access log to those who may read it."""

import pytest
from django.urls import reverse

from socialgov.audit.models import AccessAction, AccessLogEntry

pytestmark = pytest.mark.django_db


def only_entry():
    (entry,) = AccessLogEntry.objects.all()
    return entry


def test_the_people_csv_export_is_logged(client_for, school, headteacher, staff):
    response = client_for(headteacher).get(reverse("people_export"), REMOTE_ADDR="192.0.2.9")
    b"".join(response.streaming_content) if response.streaming else response.content
    entry = only_entry()
    assert entry.person == headteacher and entry.school == school
    assert entry.action == AccessAction.EXPORTED
    assert entry.content_type.model == "school" and entry.object_id == school.pk
    assert entry.description == "People list (CSV)"
    assert entry.ip_address == "192.0.2.9"


def test_the_people_csv_with_leavers_says_so(client_for, headteacher):
    client_for(headteacher).get(reverse("people_export"), {"leavers": "1"})
    assert only_entry().description == "People list (CSV), with leavers"


def test_a_refused_export_is_not_logged(client_for, staff):
    assert client_for(staff).get(reverse("people_export")).status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_the_export_shows_in_the_schools_access_log(client_for, school, headteacher, dsl):
    client_for(headteacher).get(reverse("people_export"))
    page = client_for(dsl).get("/audit/access-log/").content.decode()
    assert "People list (CSV)" in page and "Hannah Head" in page


@pytest.fixture
def version(school, headteacher):
    from tests.policies.factories import policy_for, published_version_for

    return published_version_for(policy_for(school, headteacher), headteacher)


def test_the_coverage_csv_with_names_is_logged(client_for, school, headteacher, version):
    response = client_for(headteacher).get(reverse("version_coverage_csv", args=[version.pk]))
    assert response.status_code == 200
    entry = only_entry()
    assert entry.action == AccessAction.EXPORTED and entry.person == headteacher
    assert entry.content_type.model == "policyversion" and entry.object_id == version.pk
    assert entry.description == "Coverage with names (CSV)"


def test_the_governors_coverage_csv_of_totals_is_not_personal_data(client_for, governor, version):
    response = client_for(governor).get(reverse("version_coverage_csv", args=[version.pk]))
    assert response.status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_the_signed_pdf_zip_is_logged_when_it_is_downloaded(
    client_for, school, headteacher, staff, version
):
    from policies import services
    from tests.policies.signing_helpers import sign

    services.signature_pdf_render(signature=sign(version, staff))
    response = client_for(headteacher).get(reverse("version_signatures_zip", args=[version.pk]))
    b"".join(response.streaming_content)
    entry = only_entry()
    assert entry.action == AccessAction.DOWNLOADED
    assert entry.object_id == version.pk and entry.description == "Signed PDFs (zip of 1)"
    page = client_for(headteacher).get("/audit/access-log/").content.decode()
    assert "Signed PDFs (zip of 1)" in page


def test_a_zip_still_being_prepared_is_not_logged(client_for, headteacher, staff, version):
    from tests.policies.signing_helpers import sign

    signature = sign(version, staff)
    type(signature).objects.filter(pk=signature.pk).update(pdf=None)
    response = client_for(headteacher).get(reverse("version_signatures_zip", args=[version.pk]))
    assert response.status_code == 200 and not response.streaming
    assert not AccessLogEntry.objects.exists()
