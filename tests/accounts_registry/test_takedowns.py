"""Takedowns: consent's withdrawal listener and the daily sweep create one task per affected
published post and pupil, none for other pupils' posts or other purposes; closing them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts_registry import services
from accounts_registry.models import PostStatus, TakedownTask
from consent import services as consent_services
from consent.listeners import WITHDRAWAL_LISTENERS
from consent.models import Outcome, PurposeKind
from socialgov.notifications.models import Notification
from tests.accounts_registry.factories import draft, granted_pupil, published
from tests.consent.factories import default_purposes, record, social_media

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_posts(account, staff, colleague, headteacher, pupils):
    """Two published posts showing Amy, one showing only Ben, one draft showing Amy."""
    amy, ben, _ = pupils
    posts = [
        published(draft(account, staff, [amy, ben]), staff, colleague, headteacher),
        published(draft(account, staff, [amy]), staff, colleague, headteacher),
        published(draft(account, staff, [ben]), staff, colleague, headteacher),
    ]
    draft(account, staff, [amy])
    return posts


def website(school):
    return default_purposes(school)[PurposeKind.WEBSITE]


def _withdraw(pupil, purpose, office, on=None):
    return record(pupil, purpose, office, Outcome.WITHDRAWN, received_on=on or timezone.localdate())


def test_the_listener_is_registered_under_its_anticipated_name():
    assert "accounts_registry.takedowns" in [entry.name for entry in WITHDRAWAL_LISTENERS.entries()]


def test_a_withdrawal_creates_one_task_per_published_post_showing_the_pupil(
    live_posts, pupils, office, school, staff, colleague
):
    amy = pupils[0]
    _withdraw(amy, social_media(school), office)
    tasks = TakedownTask.objects.all()
    assert sorted(t.post_id for t in tasks) == sorted([live_posts[0].pk, live_posts[1].pk])
    assert {t.pupil_id for t in tasks} == {amy.pk}
    assert {t.cause for t in tasks} == {"decision"}
    # The account's administrators are told once (both posts are on one account).
    assert Notification.objects.filter(kind="takedown_new", recipient=staff).count() == 1
    assert Notification.objects.filter(kind="takedown_new", recipient=colleague).count() == 1


def test_a_withdrawal_for_another_purpose_creates_nothing(live_posts, pupils, office, school):
    website_purpose = website(school)
    record(pupils[0], website_purpose, office)
    _withdraw(pupils[0], website_purpose, office)
    assert not TakedownTask.objects.exists()


def test_a_restriction_and_a_leaver_create_tasks_too(live_posts, pupils, dsl, office):
    amy, ben, _ = pupils
    consent_services.photo_restriction_set(pupil=amy, actor=dsl, reason="Court order")
    consent_services.pupil_mark_left(pupil=ben, actor=office, leaving_date=timezone.localdate())
    causes = {(t.pupil_id, t.cause) for t in TakedownTask.objects.all()}
    assert causes == {(amy.pk, "restriction"), (ben.pk, "left")}
    assert TakedownTask.objects.filter(pupil=amy).count() == 2
    assert TakedownTask.objects.filter(pupil=ben).count() == 2


def test_a_second_withdrawal_creates_no_second_task(live_posts, pupils, office, school):
    _withdraw(pupils[0], social_media(school), office)
    record(pupils[0], social_media(school), office, carer_name="John Parent", relationship="father")
    record(
        pupils[0],
        social_media(school),
        office,
        Outcome.WITHDRAWN,
        carer_name="John Parent",
        relationship="father",
        received_on=timezone.localdate(),
    )
    assert TakedownTask.objects.count() == 2


def test_the_daily_sweep_catches_an_expiry_and_run_twice_creates_no_duplicates(
    account, staff, colleague, headteacher, school, office
):
    today = timezone.localdate()
    pupil = granted_pupil(school, office, legal_forename="Ida", legal_surname="Ives")
    # A second yes, that expires tomorrow, replaces the first (the mother's latest word).
    record(
        pupil, social_media(school), office, received_on=today, expires_on=today + dt.timedelta(1)
    )
    post = published(draft(account, staff, [pupil]), staff, colleague, headteacher)
    assert services.takedowns_sweep(on=today).created == 0
    later = today + dt.timedelta(days=5)
    first = services.takedowns_sweep(on=later)
    second = services.takedowns_sweep(on=later)
    assert (first.created, second.created) == (1, 0)
    task = TakedownTask.objects.get()
    assert (task.post_id, task.pupil_id, task.cause, task.reason) == (
        post.pk,
        pupil.pk,
        "sweep",
        "expired",
    )


def test_the_sweep_does_not_repeat_a_task_the_listener_made(live_posts, pupils, office, school):
    _withdraw(pupils[0], social_media(school), office)
    assert services.takedowns_sweep().created == 0
    assert TakedownTask.objects.count() == 2


def test_the_sweep_command_runs(live_posts, pupils, office, school, capsys):
    _withdraw(pupils[1], social_media(school), office)
    TakedownTask.objects.all().delete()
    call_command("sweep_takedowns")
    assert TakedownTask.objects.count() == 2
    assert "2 takedown tasks created" in capsys.readouterr().out


def test_the_sweep_needs_the_same_queries_for_more_posts(
    live_posts, account, staff, colleague, headteacher, pupils, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        services.takedowns_sweep()
    for _ in range(5):
        published(draft(account, staff, pupils), staff, colleague, headteacher)
    with django_assert_num_queries(len(small)):
        services.takedowns_sweep()


def test_closing_a_task_records_what_was_done_and_takes_the_post_down(
    live_posts, pupils, office, school, staff
):
    _withdraw(pupils[0], social_media(school), office)
    task = TakedownTask.objects.filter(post=live_posts[1]).get()
    with pytest.raises(ValidationError) as refused:
        services.takedown_close(
            task=task, actor=staff, outcome="could_not_remove", done_on=timezone.localdate()
        )
    assert "note" in refused.value.message_dict
    task = services.takedown_close(
        task=task, actor=staff, outcome="removed", done_on=timezone.localdate()
    )
    assert not task.is_open and task.closed_by == staff
    task.post.refresh_from_db()
    assert task.post.status == PostStatus.TAKEN_DOWN


def test_only_the_accounts_administrators_and_heads_close_a_task(
    live_posts, pupils, office, school, slt
):
    _withdraw(pupils[0], social_media(school), office)
    task = TakedownTask.objects.first()
    with pytest.raises(PermissionDenied):
        services.takedown_close(
            task=task, actor=slt, outcome="removed", done_on=timezone.localdate()
        )
