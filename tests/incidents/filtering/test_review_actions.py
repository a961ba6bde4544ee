"""A review's actions: marked done (who and when) by the owner or those who record reviews; while
open they are on the owner's dashboard (overdue as an alert) and remind the owner 7 days before,
on the day and every 7 days once overdue."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from incidents.filtering.models import ReviewAction
from incidents.filtering.reminders import KINDS
from incidents.filtering.services import ActionPlanned, review_action_mark_done
from socialgov.dates import today
from socialgov.notifications.models import Notification
from socialgov.reminders import registry
from socialgov.reminders.services import reminders_send_due
from tests.incidents.filtering.helpers import review_for
from tests.incidents.filtering.test_needs_me import _sentences

pytestmark = pytest.mark.django_db


def _review_with_action(school, headteacher, dsl, slt, governor, owner, due_on):
    review = review_for(
        school,
        headteacher,
        slt_lead=slt,
        dsl=dsl,
        governor=governor,
        actions=[ActionPlanned("Check the guest Wi-Fi filter.", owner, due_on)],
    )
    return review, review.actions.get()


def test_the_owner_marks_their_action_done_and_who_and_when_is_kept(
    client_for, school, headteacher, dsl, slt, governor, staff
):
    review, action = _review_with_action(
        school, headteacher, dsl, slt, governor, staff, today() + dt.timedelta(days=20)
    )
    client = client_for(staff)
    page = client.get(reverse("filtering_review_detail", args=[review.pk]))
    assert page.status_code == 200 and "Mark done" in page.content.decode()
    url = reverse("filtering_review_action_done", args=[action.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    client.post(url)  # a second click keeps the first marker
    action.refresh_from_db()
    assert action.done_by == staff and action.done_at is not None
    assert action.history.count() == 2
    body = client.get(reverse("filtering_review_detail", args=[review.pk])).content.decode()
    assert "Done by Sam Staff" in body


def test_only_the_owner_or_review_recorders_mark_an_action_done(
    client_for, school, headteacher, dsl, slt, governor, staff, colleague, outsider
):
    _review, action = _review_with_action(
        school, headteacher, dsl, slt, governor, staff, today() + dt.timedelta(days=20)
    )
    url = reverse("filtering_review_action_done", args=[action.pk])
    assert client_for(governor).post(url).status_code == 403  # reads the review only
    assert client_for(colleague).post(url).status_code == 404  # cannot see the review
    assert client_for(outsider).post(url).status_code == 404  # another school
    assert not ReviewAction.objects.get(pk=action.pk).is_done
    assert client_for(dsl).post(url).status_code == 302
    assert ReviewAction.objects.get(pk=action.pk).done_by == dsl


def test_an_open_action_is_on_the_owners_dashboard_and_overdue_is_an_alert(
    school, headteacher, dsl, slt, governor, staff
):
    due = today() + dt.timedelta(days=5)
    _review, action = _review_with_action(school, headteacher, dsl, slt, governor, staff, due)
    assert "1 filtering review action to do" in _sentences(staff)
    late = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(12), dt.UTC)
    with time_machine.travel(late, tick=False):
        assert "1 filtering review action overdue" in _sentences(staff)
    review_action_mark_done(action=action, actor=staff)
    assert not any("review action" in s for s in _sentences(staff))


def test_an_open_action_reminds_its_owner_before_on_the_day_and_weekly_when_overdue(
    school, headteacher, dsl, slt, governor, staff
):
    due = today() + dt.timedelta(days=10)
    _review, action = _review_with_action(school, headteacher, dsl, slt, governor, staff, due)

    def sent(days_after_due):
        with registry.only(*KINDS):
            on = due + dt.timedelta(days=days_after_due)
            return reminders_send_due(on=on)["filtering_action_due"].sent

    assert [sent(d) for d in (-8, -7, -1, 0, 1, 7, 13, 14)] == [0, 1, 0, 1, 0, 1, 0, 1]
    assert set(
        Notification.objects.filter(kind="filtering_action_due").values_list(
            "recipient__email", flat=True
        )
    ) == {"staff@willow.test"}
    review_action_mark_done(action=action, actor=staff)
    assert sent(21) == 0
