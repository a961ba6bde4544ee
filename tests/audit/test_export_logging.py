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
