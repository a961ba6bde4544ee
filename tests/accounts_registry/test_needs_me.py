"""Official accounts' 'needs me now' panels: each step that waits for someone is an item on
their dashboard (with a fixed number of queries), and they are notified."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts_registry.models import PostAction
from accounts_registry.needs_me import PANELS as ACCOUNT_PANELS
from consent.models import Outcome
from socialgov.needs_me import PANELS, needs_me_for
from socialgov.notifications.models import Notification
from tests.accounts_registry.factories import draft, published, request_fields, through
from tests.consent.factories import record, social_media

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def only_account_panels():
    with PANELS.only(*ACCOUNT_PANELS):
        yield


def sentences(user):
    return [item.sentence for school in needs_me_for(user) for item in school.items]


def test_a_request_waits_for_the_headteacher(school, staff, colleague, headteacher):
    from accounts_registry import services

    services.account_request_submit(
        school=school, actor=staff, **request_fields(school, [staff, colleague], staff)
    )
    assert sentences(headteacher) == ["1 official account request waits for your decision"]
    assert Notification.objects.filter(
        recipient=headteacher, kind="account_request_waiting"
    ).exists()
    assert sentences(staff) == []


def test_a_submitted_post_waits_for_a_colleague_then_for_approval(
    account, staff, colleague, headteacher
):
    post = through(draft(account, staff), (PostAction.SUBMIT, staff))
    assert sentences(colleague) == ["1 post on official accounts to read and agree"]
    assert Notification.objects.filter(recipient=colleague, kind="post_waiting").exists()
    assert sentences(staff) == []
    through(post, (PostAction.AGREE, colleague))
    assert "1 post on official accounts to approve" in sentences(headteacher)
    assert sentences(colleague) == []


def test_the_author_is_asked_to_publish_an_approved_post(account, staff, colleague, headteacher):
    through(
        draft(account, staff),
        (PostAction.SUBMIT, staff),
        (PostAction.AGREE, colleague),
        (PostAction.APPROVE, headteacher),
    )
    assert sentences(staff) == ["1 approved post of yours to publish"]
    assert Notification.objects.filter(recipient=staff, kind="post_approved").exists()


def test_an_open_takedown_is_an_alert_for_the_administrators(
    account, staff, colleague, headteacher, pupils, office, school
):
    published(draft(account, staff, pupils), staff, colleague, headteacher)
    record(
        pupils[0], social_media(school), office, Outcome.WITHDRAWN, received_on=timezone.localdate()
    )
    for person in (staff, colleague, headteacher):
        items = [i for s in needs_me_for(person) for i in s.items]
        assert items[0].tone == "alert" and "take down" in items[0].sentence
    assert sentences(office) == []


def test_a_member_who_has_not_signed_is_asked_to(account, school, headteacher):
    from accounts_registry import services
    from tests.factories import person_in

    poster = person_in(school, "staff", full_name="Pat Poster")
    services.account_member_add(account=account, actor=headteacher, user=poster, role="poster")
    assert sentences(poster) == ["Sign the official-accounts acceptable use policy before you post"]


def test_the_panels_need_the_same_queries_for_more_posts(
    account, staff, colleague, headteacher, django_assert_num_queries
):
    def count():
        fresh = type(headteacher).objects.get(pk=headteacher.pk)
        with CaptureQueriesContext(connection) as captured:
            needs_me_for(fresh)
        return len(captured)

    through(draft(account, staff), (PostAction.SUBMIT, staff), (PostAction.AGREE, colleague))
    small = count()
    for _ in range(8):
        through(draft(account, staff), (PostAction.SUBMIT, staff), (PostAction.AGREE, colleague))
    assert count() == small


def test_the_panels_counts_agree_with_the_approval_queue(
    account, staff, colleague, headteacher, deputy_head, marketing_officer, network_manager
):
    from accounts_registry import selectors

    through(draft(account, staff), (PostAction.SUBMIT, staff))
    through(draft(account, colleague), (PostAction.SUBMIT, colleague))
    through(draft(account, staff), (PostAction.SUBMIT, staff), (PostAction.AGREE, colleague))
    through(draft(account, colleague), (PostAction.SUBMIT, colleague), (PostAction.AGREE, staff))
    draft(account, staff)  # a draft waits for nobody
    people = [staff, colleague, headteacher, deputy_head, marketing_officer, network_manager]
    seen = set()
    for person in people:
        queue = selectors.posts_waiting_for(person, account.school)
        agree = sum(1 for post in queue if post.status == "submitted")
        expected = (agree, len(queue) - agree)
        assert selectors.post_waiting_counts(person, account.school) == expected, person
        seen.add(expected)
    assert len(seen) > 1  # the people differ: the comparison means something
