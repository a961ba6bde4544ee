"""Coverage: who has and has not signed the current version, by staff group and role; who may
see it; CSV; chasing; the zip of signed PDFs."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from policies import selectors, services
from policies.models import ChangeSize
from socialgov.notifications.models import Notification
from socialgov.people.roles import Role, StaffGroup
from tests.factories import person_in
from tests.policies.factories import policy_for, published_version_for
from tests.policies.signing_helpers import sign

pytestmark = pytest.mark.django_db

V2 = "# Staff AUP\n\nStaff use school accounts for school work only.\n"


@pytest.fixture
def aup(school, headteacher):
    return policy_for(school, headteacher)


@pytest.fixture
def version(aup, headteacher):
    return published_version_for(aup, headteacher)


@pytest.fixture
def people(headteacher, dsl, office, staff, governor, network_manager):
    """Required: headteacher, dsl, staff (teachers); office, network manager (support).
    The governor is not required."""
    return [headteacher, dsl, office, staff, network_manager]


def signed_ids(coverage):
    return {row.person.pk for row in coverage.rows if row.has_signed}


def test_coverage_lists_everyone_required_with_totals_by_group_and_role(
    version, people, staff, office, governor
):
    sign(version, staff)
    sign(version, office)
    coverage = selectors.coverage_for(version)
    assert {row.person.pk for row in coverage.rows} == {p.pk for p in people}
    assert governor.pk not in {row.person.pk for row in coverage.rows}
    assert (coverage.overall.signed, coverage.overall.required, coverage.overall.percent) == (
        2,
        5,
        40,
    )
    groups = {t.label: (t.signed, t.required, t.percent) for t in coverage.by_group}
    assert groups == {"Teacher": (1, 3, 33), "Support staff": (1, 2, 50)}
    roles = {t.label: (t.signed, t.required) for t in coverage.by_role}
    assert roles["Staff"] == (1, 1) and roles["Office staff"] == (1, 1)
    assert roles["Headteacher"] == (0, 1)


def test_people_required_by_role_are_included(school, headteacher, governor):
    policy = policy_for(
        school, headteacher, title="Governors' code", signer_groups=[], signer_roles=[Role.GOVERNOR]
    )
    version = published_version_for(policy, headteacher)
    assert [row.person for row in selectors.coverage_for(version).rows] == [governor]


def test_a_major_version_resets_coverage_and_a_minor_one_does_not(
    aup, version, headteacher, people, staff, office
):
    sign(version, staff)
    sign(version, office)
    minor = published_version_for(aup, headteacher, text=V2, change=ChangeSize.MINOR)
    assert signed_ids(selectors.coverage_for(minor)) == {staff.pk, office.pk}
    major = published_version_for(aup, headteacher, text=V2 + "\nMore.\n", change=ChangeSize.MAJOR)
    coverage = selectors.coverage_for(major)
    assert signed_ids(coverage) == set()
    assert coverage.overall.required == len(people)
    assert {v.pk for v in selectors.to_sign_for(staff, aup.school)} == {major.pk}


def test_leaders_see_names_and_can_filter(client_for, headteacher, version, people, staff):
    sign(version, staff)
    client = client_for(headteacher)
    url = reverse("version_coverage", kwargs={"pk": version.pk})
    page = client.get(url).content.decode()
    assert "Sam Staff" in page and "Olive Office" in page and "1 of 5" in page
    unsigned = client.get(url, {"show": "unsigned"}).content.decode()
    assert "Olive Office" in unsigned and "Sam Staff" not in unsigned
    assert client.get(url, {"show": "nonsense"}).status_code == 200


def test_governors_see_percentages_but_no_names(client_for, governor, chair, version, people):
    for person in (governor, chair):
        client = client_for(person)
        response = client.get(reverse("version_coverage", kwargs={"pk": version.pk}))
        page = response.content.decode()
        assert response.status_code == 200
        assert "0 of 5" in page and "0%" in page
        for name in ("Sam Staff", "Olive Office", "Dev Singh"):
            assert name not in page
        csv_text = b"".join(
            client.get(reverse("version_coverage_csv", kwargs={"pk": version.pk})).streaming_content
        ).decode("utf-8-sig")
        assert "Sam Staff" not in csv_text and "Per cent signed" in csv_text
        for name in ("version_signatures_zip", "version_chase"):
            assert client.post(reverse(name, kwargs={"pk": version.pk})).status_code == 403


def test_staff_cannot_see_coverage(client_for, staff, version):
    client = client_for(staff)
    for name in ("version_coverage", "version_coverage_csv", "version_signatures_zip"):
        assert client.get(reverse(name, kwargs={"pk": version.pk})).status_code == 403
    assert client.post(reverse("version_chase", kwargs={"pk": version.pk})).status_code == 403
    assert client.get(reverse("coverage_overview")).status_code == 403


def test_outsider_gets_404_on_every_coverage_url(client_for, outsider, version):
    client = client_for(outsider)
    for name in (
        "version_sign",
        "version_coverage",
        "version_coverage_csv",
        "version_chase",
        "version_signatures_zip",
    ):
        assert client.post(reverse(name, kwargs={"pk": version.pk})).status_code == 404
        if name != "version_chase":  # an action: a GET is refused before any lookup (405)
            assert client.get(reverse(name, kwargs={"pk": version.pk})).status_code == 404
    assert "Staff acceptable" not in client.get(reverse("coverage_overview")).content.decode()


def test_coverage_csv_for_leaders_names_everyone_and_neutralises_formulas(
    client_for, headteacher, school, version, staff
):
    person_in(school, Role.STAFF, full_name="=HYPERLINK(1)", group=StaffGroup.TEACHER)
    sign(version, staff)
    response = client_for(headteacher).get(
        reverse("version_coverage_csv", kwargs={"pk": version.pk})
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Staff group", "Roles", "Signed", "Signed at", "Version signed"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Sam Staff"][3] == "Yes"
    assert by_name["Hannah Head"][3] == "No"
    assert "'=HYPERLINK(1)" in by_name


def test_chase_now_notifies_each_unsigned_person_once_a_day(
    client_for, headteacher, version, people, staff, mailoutbox, django_capture_on_commit_callbacks
):
    sign(version, staff)
    client = client_for(headteacher)
    url = reverse("version_chase", kwargs={"pk": version.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Reminded 4 people to sign." in response.content.decode()
    chased = Notification.objects.filter(kind="policy_unsigned")
    assert chased.count() == 4
    assert staff.pk not in set(chased.values_list("recipient_id", flat=True))
    assert len(mailoutbox) == 4
    assert mailoutbox[0].subject == "A policy is waiting for your signature"
    response = client.post(url, follow=True)
    assert "Reminded 0 people to sign. 4 already reminded today were left out." in (
        response.content.decode()
    )
    assert chased.count() == 4


def test_the_zip_holds_every_stored_pdf_and_an_index(
    client_for, headteacher, version, staff, office
):
    signatures = [sign(version, staff), sign(version, office)]
    assert services.signature_pdfs_render_missing() == 2  # the sweep, not the request
    response = client_for(headteacher).get(
        reverse("version_signatures_zip", kwargs={"pk": version.pk})
    )
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert len(names) == 3 and names[-1] == "index.csv"
    index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    for signature in signatures:
        signature.refresh_from_db()
        row = next(r for r in index if r["Verification code"] == signature.display_code)
        with signature.pdf.file.open("rb") as handle:
            assert archive.read(row["File"]) == handle.read()
        assert row["PDF SHA-256"] == signature.pdf_sha256
        assert row["Text SHA-256"] == signature.text_sha256
    assert {r["Staff group"] for r in index} == {"Teacher", "Support staff"}


def test_coverage_overview_lists_each_signable_policy(client_for, headteacher, governor, version):
    for person in (headteacher, governor):
        page = client_for(person).get(reverse("coverage_overview")).content.decode()
        assert reverse("version_coverage", kwargs={"pk": version.pk}) in page


def test_chase_service_refuses_people_without_names_access(governor, version):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.signature_chase(version=version, actor=governor)


def test_signable_published_versions_of_some_kinds_only(school, headteacher, version):
    """`kinds` narrows the published versions to those policy kinds (the roll-up reads only the
    acceptable use policies); without it every signable kind is listed."""
    from policies.models import PolicyKind

    online = policy_for(
        school, headteacher, kind=PolicyKind.ONLINE_SAFETY, title="Online safety policy"
    )
    other = published_version_for(online, headteacher)
    assert {v.pk for v in selectors.signable_published_versions(school)} == {version.pk, other.pk}
    only_aup = selectors.signable_published_versions(school, kinds={PolicyKind.STAFF_AUP})
    assert [v.pk for v in only_aup] == [version.pk]
    assert selectors.signable_published_versions(
        school_ids=[school.pk], kinds={PolicyKind.ONLINE_SAFETY}
    ) == [other]
