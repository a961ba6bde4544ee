"""Kept governors' reports: generating one stores its PDF with the period, who, when and the
SHA-256; a double submit keeps one; governors download past ones; nobody else's are reachable."""

import hashlib
import uuid

import pytest
from django.urls import reverse

from socialgov.reports.models import GeneratedReport
from tests.concurrency import post_concurrently
from tests.reports.helpers import recent_range

pytestmark = pytest.mark.django_db


def _keep(client, school, key=None, **period):
    data = {**(period or recent_range()), "submission_key": str(key or uuid.uuid4())}
    return client.post(reverse("governors_report_keep", args=[school.pk]), data)


def test_a_governor_keeps_a_report_and_downloads_it(client_for, governor, school):
    client = client_for(governor)
    response = _keep(client, school)
    assert response.status_code == 302
    assert response["Location"] == reverse("governors_report_kept", args=[school.pk])
    kept = GeneratedReport.objects.get()
    assert kept.generated_by == governor and kept.school == school
    assert kept.ends_on >= kept.starts_on and kept.period_label
    download = client.get(reverse("generated_report_download", args=[kept.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF-")
    assert hashlib.sha256(body).hexdigest() == kept.sha256 == kept.pdf.sha256
    listing = client.get(reverse("governors_report_kept", args=[school.pk]))
    assert kept.sha256 in listing.content.decode()


def test_the_same_submission_twice_keeps_one_report(client_for, governor, school):
    client = client_for(governor)
    key = uuid.uuid4()
    _keep(client, school, key)
    _keep(client, school, key)
    assert GeneratedReport.objects.count() == 1


def test_a_bad_period_keeps_nothing_and_says_why(client_for, governor, school):
    response = _keep(
        client_for(governor), school, period="range", starts_on="2026-10-01", ends_on="2026-09-01"
    )
    assert response.status_code == 302
    assert not GeneratedReport.objects.exists()


def test_a_trust_executive_reads_kept_reports_but_does_not_keep_them(
    client_for, governor, school, trust_executive
):
    _keep(client_for(governor), school)
    kept = GeneratedReport.objects.get()
    client = client_for(trust_executive)
    assert client.get(reverse("generated_report_download", args=[kept.pk])).status_code == 200
    assert _keep(client, school).status_code == 403


def test_people_outside_the_school_or_without_the_role_cannot_download(
    client_for, governor, school, staff, outsider
):
    _keep(client_for(governor), school)
    kept = GeneratedReport.objects.get()
    url = reverse("generated_report_download", args=[kept.pk])
    assert client_for(staff).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404


@pytest.mark.integration
def test_identical_generate_posts_at_once_keep_one_report(
    transactional_db, client_for, governor, school
):
    data = {**recent_range(), "submission_key": str(uuid.uuid4())}
    url = reverse("governors_report_keep", args=[school.pk])
    responses = post_concurrently(client_for(governor), url, data, times=3)
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert GeneratedReport.objects.count() == 1


def test_each_download_of_a_kept_report_is_in_the_schools_access_log(
    client_for, governor, school, trust_executive, headteacher, dsl
):
    from socialgov.audit.access import access_log_visible_to
    from socialgov.audit.models import AccessAction, AccessLogEntry

    _keep(client_for(governor), school)
    kept = GeneratedReport.objects.get()
    url = reverse("generated_report_download", args=[kept.pk])
    assert not AccessLogEntry.objects.exists()  # keeping a report is not a read of it
    for reader in (governor, governor, trust_executive):
        assert client_for(reader).get(url).status_code == 200
    entries = AccessLogEntry.objects.order_by("pk")
    assert [(e.person, e.action, e.object_id) for e in entries] == [
        (governor, AccessAction.DOWNLOADED, kept.pk),
        (governor, AccessAction.DOWNLOADED, kept.pk),
        (trust_executive, AccessAction.DOWNLOADED, kept.pk),
    ]
    assert {e.school for e in entries} == {school}
    assert all(e.content_type.model_class() is GeneratedReport for e in entries)
    # The school's headteacher and DSL read the entries in the log (the kept report's gateway).
    assert access_log_visible_to(headteacher, school).count() == 3
    log = client_for(dsl).get(reverse("access_log")).content.decode()
    assert "governors&#x27; report" in log.lower() or "governors' report" in log.lower()


def test_a_refused_download_of_a_kept_report_logs_nothing(client_for, governor, school, outsider):
    from socialgov.audit.models import AccessLogEntry

    _keep(client_for(governor), school)
    kept = GeneratedReport.objects.get()
    url = reverse("generated_report_download", args=[kept.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert not AccessLogEntry.objects.exists()
