"""The comments log: an entry reported as an online-safety incident goes through the incidents
service and links to it; the log shows the incident through the incidents gateway (reference and
link to a reader who may open it, only "An incident was raised" to anyone else)."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts_registry import access as accounts_access
from accounts_registry import services
from accounts_registry.models import CommentLogEntry
from incidents.reports.access import incident_get_for_user
from incidents.reports.models import Category, Incident
from tests.incidents.helpers import report

pytestmark = pytest.mark.django_db


def seen():
    return timezone.now() - dt.timedelta(hours=3)


def record(school, actor, account=None, **fields):
    fields.setdefault("what", "A parent called a teacher a liar under the match report.")
    fields.setdefault("action_taken", "Hidden and the parent blocked.")
    return services.comment_log_record(
        school=school, actor=actor, seen_at=seen(), account=account, **fields
    )


def raised(school, actor, account, key=None):
    return record(
        school,
        actor,
        account,
        report_as=Category.ACCOUNT_COMMENT,
        severity="medium",
        submission_key=key or uuid.uuid4(),
    )


def test_an_entry_reported_as_an_incident_is_made_and_routed_by_the_incidents_service(
    school, headteacher, account
):
    entry = raised(school, headteacher, account)
    incident = incident_get_for_user(headteacher, entry.incident_id)
    assert incident.category == Category.ACCOUNT_COMMENT
    assert incident.reporter == headteacher and incident.route == "head_slt"
    assert "called a teacher a liar" in incident.description
    assert account.name in incident.description


def test_the_same_form_posted_twice_makes_one_incident_and_one_entry(school, headteacher, account):
    key = uuid.uuid4()
    first = raised(school, headteacher, account, key)
    again = raised(school, headteacher, account, key)
    assert first.pk == again.pk
    assert Incident.objects.filter(school=school).count() == 1
    assert CommentLogEntry.objects.filter(school=school).count() == 1


def test_an_incident_without_a_severity_is_refused_and_nothing_is_written(
    school, headteacher, account
):
    with pytest.raises(ValidationError) as caught:
        record(
            school,
            headteacher,
            account,
            report_as=Category.ACCOUNT_COMMENT,
            severity="",
            submission_key=uuid.uuid4(),
        )
    assert "severity" in caught.value.message_dict
    assert not Incident.objects.exists() and not CommentLogEntry.objects.exists()


def test_linking_needs_an_incident_the_recorder_may_open(school, headteacher, deputy_head, account):
    incident = report(school, headteacher, Category.ACCOUNT_COMMENT)
    with pytest.raises(ValidationError) as caught:
        record(school, deputy_head, account, incident_reference=incident.reference)
    assert "incident_reference" in caught.value.message_dict
    entry = record(school, headteacher, account, incident_reference=incident.reference)
    assert entry.incident_id == incident.pk


def test_staff_cannot_keep_the_log(school, staff, account):
    with pytest.raises(PermissionDenied):
        raised(school, staff, account)
    assert not Incident.objects.exists()


def test_the_log_shows_the_incident_only_to_those_who_may_open_it(
    school, headteacher, deputy_head, account
):
    entry = raised(school, headteacher, account)
    plain = record(school, headteacher, account)
    entries = [entry, plain]
    mine = accounts_access.comment_log_incident_links(headteacher, entries)
    theirs = accounts_access.comment_log_incident_links(deputy_head, entries)
    assert set(mine) == set(theirs) == {entry.pk}
    assert mine[entry.pk].visible and mine[entry.pk].reference
    assert not theirs[entry.pk].visible and theirs[entry.pk].reference == ""


def test_the_log_page_links_the_incident_for_a_handler_and_only_says_raised_otherwise(
    client_for, school, headteacher, deputy_head, account
):
    url = reverse("accounts_comment_log")
    response = client_for(headteacher).post(
        url,
        {
            "account": account.pk,
            "seen_on": timezone.localdate().strftime("%d/%m/%Y"),
            "what": "Abuse of the PE teacher under the fixtures post.",
            "action_taken": "Hidden and reported to the platform.",
            "report_as": Category.ACCOUNT_COMMENT,
            "severity": "high",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    detail = reverse("incident_detail", args=[incident.pk])

    head_page = client_for(headteacher).get(url).content.decode()
    assert f'href="{detail}"' in head_page and incident.reference in head_page

    deputy_page = client_for(deputy_head).get(url).content.decode()
    assert "An incident was raised" in deputy_page
    assert incident.reference not in deputy_page and detail not in deputy_page
    assert client_for(deputy_head).get(detail).status_code == 404


def test_the_log_form_asks_for_a_severity_when_reporting(client_for, school, slt, account):
    response = client_for(slt).post(
        reverse("accounts_comment_log"),
        {
            "account": account.pk,
            "seen_on": timezone.localdate().strftime("%d/%m/%Y"),
            "what": "An abusive reply.",
            "action_taken": "Hidden.",
            "report_as": Category.ACCOUNT_COMMENT,
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert "severity" in response.context["form"].errors
    assert not Incident.objects.exists()
