"""The named SLT lead, governor and IT provider: plain members of staff in these roles get their
dashboard items and reminders, and a person with a future leaving date stays named until the day
they leave (then the role reads as unassigned and the headteacher is warned)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from incidents.filtering import selectors, services
from incidents.filtering.reminders import KINDS
from socialgov.dates import today
from socialgov.notifications.models import Notification
from socialgov.people.services import membership_end
from socialgov.reminders import registry
from socialgov.reminders.services import reminders_send_due
from socialgov.terms.models import TermDate
from tests.incidents.filtering.helpers import check_for
from tests.incidents.filtering.test_needs_me import _sentences

pytestmark = pytest.mark.django_db

NO_CHECK = "No filtering check logged this term"
WARNING = "Filtering and monitoring: name"


def _spring_term(school):
    return TermDate.objects.create(
        school=school,
        academic_year=2026,
        term="spring",
        starts_on=dt.date(2027, 1, 4),
        ends_on=dt.date(2027, 3, 26),
    )


def test_a_plain_staff_it_provider_sees_no_check_this_term_on_their_dashboard(
    school, headteacher, staff, colleague
):
    _spring_term(school)
    services.filtering_roles_save(school=school, actor=headteacher, it_provider=staff)
    with time_machine.travel(dt.datetime(2027, 2, 1, 10, tzinfo=dt.UTC), tick=False):
        assert NO_CHECK in _sentences(staff)
        assert NO_CHECK not in _sentences(colleague)  # not named: nothing
        check_for(school, headteacher)
        assert NO_CHECK not in _sentences(staff)


def test_a_plain_staff_it_provider_is_reminded_when_no_check_this_term(school, headteacher, staff):
    _spring_term(school)
    services.filtering_roles_save(school=school, actor=headteacher, it_provider=staff)
    with registry.only(*KINDS):
        assert reminders_send_due(on=dt.date(2027, 2, 1))["filtering_checks_due"].sent == 1
    reminded = Notification.objects.filter(kind="filtering_checks_due")
    assert list(reminded.values_list("recipient__email", flat=True)) == ["staff@willow.test"]


def test_a_plain_staff_slt_lead_sees_the_review_overdue(school, headteacher, staff):
    services.filtering_roles_save(school=school, actor=headteacher, slt_lead=staff)
    assert "The filtering and monitoring review is overdue" in _sentences(staff)


def test_a_named_person_with_a_future_leaving_date_stays_named_until_they_leave(
    school, headteacher, staff, slt, governor
):
    services.filtering_roles_save(
        school=school, actor=headteacher, slt_lead=slt, governor=governor, it_provider=staff
    )
    leaving = today() + dt.timedelta(days=10)
    membership_end(membership=slt.memberships.get(), actor=headteacher, leaving_date=leaving)
    membership_end(membership=staff.memberships.get(), actor=headteacher, leaving_date=leaving)
    roles = selectors.filtering_roles_of(school)
    assert roles.unassigned() == []
    assert roles.slt_lead == slt
    assert not any(s.startswith(WARNING) for s in _sentences(headteacher))
    day_before = dt.datetime.combine(leaving - dt.timedelta(days=1), dt.time(12), dt.UTC)
    with time_machine.travel(day_before, tick=False):
        assert selectors.filtering_roles_of(school).unassigned() == []
    on_the_day = dt.datetime.combine(leaving, dt.time(12), dt.UTC)
    with time_machine.travel(on_the_day, tick=False):
        assert selectors.filtering_roles_of(school).unassigned() == [
            "the SLT lead",
            "the IT provider",
        ]
        assert "Filtering and monitoring: name the SLT lead, the IT provider" in _sentences(
            headteacher
        )


def test_the_roles_page_shows_a_leaver_as_unassigned_once_they_have_left(
    client_for, school, headteacher, slt, governor
):
    services.filtering_roles_save(
        school=school, actor=headteacher, slt_lead=slt, governor=governor, it_contractor="Fen IT"
    )
    leaving = today() + dt.timedelta(days=3)
    membership_end(membership=slt.memberships.get(), actor=headteacher, leaving_date=leaving)
    client = client_for(headteacher)
    assert client.get(reverse("filtering_roles")).context["missing"] == []
    with time_machine.travel(dt.datetime.combine(leaving, dt.time(12), dt.UTC), tick=False):
        client = client_for(headteacher)
        assert client.get(reverse("filtering_roles")).context["missing"] == ["the SLT lead"]
