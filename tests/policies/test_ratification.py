"""Ratification (issue 9.6): the meeting date is neither before the approval nor in the future; a
ratification is corrected by a new record that supersedes the old (both kept); the chair of
governors records it as well as the clerk and the headteacher."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from policies import access as policy_access
from policies import services
from policies.models import Ratification
from tests.policies.factories import policy_for, published_version_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(school, headteacher):
    return published_version_for(policy_for(school, headteacher), headteacher)


def ratify(version, actor, on=None, minute="FGB 1"):
    return services.version_ratify(
        version=version,
        actor=actor,
        meeting_date=on or timezone.localdate(),
        minute_reference=minute,
    )


# Who records it: the rule in policies.access, tested directly -----------------------------------


@pytest.mark.parametrize("person", ["headteacher", "clerk", "chair"])
def test_the_headteacher_clerk_and_chair_may_ratify(request, school, person):
    assert policy_access.can_ratify(request.getfixturevalue(person), school)


@pytest.mark.parametrize("person", ["governor", "safeguarding_governor", "staff", "dsl", "slt"])
def test_other_members_of_the_school_may_not_ratify(request, school, person):
    assert not policy_access.can_ratify(request.getfixturevalue(person), school)


def test_the_headteacher_of_another_school_may_not_ratify(school, outsider, sister_head):
    assert not policy_access.can_ratify(outsider, school)
    assert not policy_access.can_ratify(sister_head, school)


def test_the_chair_records_ratification_through_the_page(client_for, chair, published):
    response = client_for(chair).post(
        reverse("version_ratify", args=[published.pk]),
        {"meeting_date": timezone.localdate().strftime("%d/%m/%Y"), "minute_reference": "FGB 9"},
        follow=True,
    )
    assert "Ratification recorded." in response.content.decode()
    assert published.current_ratification.recorded_by == chair


def test_the_chair_sees_the_form_on_the_version_page(client_for, chair, published):
    page = client_for(chair).get(reverse("version_detail", args=[published.pk])).content.decode()
    assert "Record the governing board" in page


# The meeting date -------------------------------------------------------------------------------


def test_the_meeting_cannot_be_before_the_approval(published, clerk):
    day_before = timezone.localdate(published.approved_at) - dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="before the version was approved"):
        ratify(published, clerk, on=day_before)
    assert not Ratification.objects.exists()


def test_the_meeting_cannot_be_in_the_future(published, clerk):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        ratify(published, clerk, on=timezone.localdate() + dt.timedelta(days=1))


def test_the_meeting_on_the_day_of_the_approval_is_accepted(published, clerk):
    assert ratify(published, clerk, on=timezone.localdate(published.approved_at)).pk


# Corrections ------------------------------------------------------------------------------------


def correct(ratification, actor, minute="FGB 2", on=None, reason="Wrong minute number."):
    return services.ratification_correct(
        ratification=ratification,
        actor=actor,
        meeting_date=on or ratification.meeting_date,
        minute_reference=minute,
        reason=reason,
    )


def test_a_correction_supersedes_the_old_record_and_both_are_kept(published, clerk, chair):
    first = ratify(published, clerk, minute="FGB 1")
    second = correct(first, chair, minute="FGB 12")
    first.refresh_from_db()
    assert first.superseded_at is not None and not first.is_current
    assert second.corrects == first and second.correction_reason == "Wrong minute number."
    assert published.current_ratification == second
    assert Ratification.objects.filter(version=published).count() == 2
    assert first.history.count() == 2  # created, then superseded: kept in its history


def test_a_correction_needs_a_reason_and_a_change(published, clerk):
    first = ratify(published, clerk)
    with pytest.raises(ValidationError) as refused:
        correct(first, clerk, minute="FGB 1", reason="")
    assert set(refused.value.message_dict) == {"reason", "meeting_date"}
    first.refresh_from_db()
    assert first.is_current


def test_a_correction_keeps_the_date_rules(published, clerk):
    first = ratify(published, clerk)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        correct(first, clerk, on=timezone.localdate() + dt.timedelta(days=3))
    first.refresh_from_db()
    assert first.is_current


def test_the_same_correction_posted_twice_makes_one_record(published, clerk):
    first = ratify(published, clerk)
    second = correct(first, clerk)
    assert correct(first, clerk) == second
    with pytest.raises(ValidationError, match="already been corrected"):
        correct(first, clerk, minute="FGB 99")
    assert Ratification.objects.count() == 2


def test_a_governor_cannot_correct(published, clerk, governor):
    first = ratify(published, clerk)
    with pytest.raises(PermissionDenied):
        correct(first, governor)


def test_correcting_through_the_page(client_for, clerk, published):
    first = ratify(published, clerk)
    client = client_for(clerk)
    page = client.get(reverse("version_detail", args=[published.pk])).content.decode()
    assert "Correct the ratification" in page
    response = client.post(
        reverse("ratification_correct", args=[published.pk]),
        {
            "ratification": first.pk,
            "meeting_date": timezone.localdate().strftime("%d/%m/%Y"),
            "minute_reference": "FGB 12",
            "reason": "The minute is 12, not 1.",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Ratification corrected." in body
    assert "minute FGB 12" in body and "The minute is 12, not 1." in body
    history = client.get(reverse("version_history", args=[published.pk]))
    assert history.status_code == 403  # the clerk is not an editor; the headteacher sees it


def test_correcting_a_ratification_of_another_version_is_not_found(
    client_for, school, clerk, headteacher, published
):
    other = published_version_for(policy_for(school, headteacher, title="Other"), headteacher)
    elsewhere = ratify(other, clerk)
    ratify(published, clerk)
    response = client_for(clerk).post(
        reverse("ratification_correct", args=[published.pk]),
        {
            "ratification": elsewhere.pk,
            "meeting_date": timezone.localdate().strftime("%d/%m/%Y"),
            "minute_reference": "X",
            "reason": "x",
        },
    )
    assert response.status_code == 404


def test_a_bad_correction_is_explained_and_nothing_is_written(client_for, clerk, published):
    first = ratify(published, clerk)
    response = client_for(clerk).post(
        reverse("ratification_correct", args=[published.pk]),
        {"ratification": first.pk, "meeting_date": "31/02/2026", "minute_reference": "X"},
        follow=True,
    )
    body = response.content.decode()
    assert "What was wrong with the record" in body
    assert Ratification.objects.count() == 1


def test_correcting_by_get_changes_nothing(client_for, clerk, published):
    ratify(published, clerk)
    response = client_for(clerk).get(reverse("ratification_correct", args=[published.pk]))
    assert response.status_code == 405
    assert Ratification.objects.count() == 1
