"""The accounts gateway, rule by rule (accounts_registry/access.py)."""

import pytest
from django.http import Http404

from accounts_registry import access
from accounts_registry.models import PostAction, RequestStatus
from tests.accounts_registry.factories import draft, request_fields, through

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_of_staff(school, staff, colleague):
    from accounts_registry import services

    return services.account_request_submit(
        school=school, actor=staff, **request_fields(school, [staff, colleague], staff)
    )


def test_any_member_of_staff_may_request_governors_may_not(school, staff, office, governor):
    assert access.can_request(staff, school) and access.can_request(office, school)
    assert not access.can_request(governor, school)


def test_a_request_is_seen_by_requester_named_people_and_leaders_only(
    request_of_staff, staff, colleague, headteacher, slt, marketing_officer, office, outsider
):
    for person in (staff, colleague, headteacher, slt, marketing_officer):
        assert access.request_visible_to(person).filter(pk=request_of_staff.pk).exists()
    for person in (office, outsider):
        assert not access.request_visible_to(person).filter(pk=request_of_staff.pk).exists()
    with pytest.raises(Http404):
        access.request_get_for_user(outsider, request_of_staff.pk)


def test_the_brand_step_is_the_marketing_officers(request_of_staff, marketing_officer, headteacher):
    assert access.can_brand_decide(marketing_officer, request_of_staff)
    assert not access.can_brand_decide(headteacher, request_of_staff)
    assert not access.can_decide_request(headteacher, request_of_staff)
    request_of_staff.status = RequestStatus.BRAND_APPROVED
    assert access.can_decide_request(headteacher, request_of_staff)


def test_without_a_marketing_officer_the_headteacher_decides_at_once(request_of_staff, headteacher):
    assert access.can_decide_request(headteacher, request_of_staff)


def test_the_deputy_decides_the_headteachers_request(school, headteacher, staff, deputy_head):
    from accounts_registry import services

    own = services.account_request_submit(
        school=school, actor=headteacher, **request_fields(school, [headteacher, staff], staff)
    )
    assert not access.can_decide_request(headteacher, own)
    assert access.can_decide_request(deputy_head, own)
    assert access.deciding_role(own) == "deputy_headteacher"


def test_the_registry_is_for_staff_of_the_school(account, staff, office, governor, outsider):
    assert access.account_visible_to(office).filter(pk=account.pk).exists()
    assert not access.account_visible_to(governor).exists()
    assert not access.account_visible_to(outsider).exists()
    with pytest.raises(Http404):
        access.account_get_for_user(outsider, account.pk)


def test_administrators_and_heads_manage_an_account_only_heads_its_people(
    account, staff, headteacher, deputy_head, office
):
    assert access.can_manage_account(staff, account)
    assert access.can_manage_account(deputy_head, account)
    assert not access.can_manage_account(office, account)
    assert access.can_manage_members(headteacher, account)
    assert not access.can_manage_members(staff, account)


def test_only_the_accounts_people_draft(account, staff, office, headteacher):
    assert access.can_draft_on(staff, account)
    assert not access.can_draft_on(office, account)
    assert not access.can_draft_on(headteacher, account)


def test_posts_are_seen_by_the_accounts_people_and_leaders(
    account, staff, colleague, slt, office, outsider
):
    post = draft(account, staff)
    for person in (staff, colleague, slt):
        assert access.post_visible_to(person).filter(pk=post.pk).exists()
    for person in (office, outsider):
        assert not access.post_visible_to(person).filter(pk=post.pk).exists()


def test_a_leaver_no_longer_sees_the_accounts_posts(account, staff, colleague, headteacher, school):
    from django.utils import timezone

    from socialgov.people.services import membership_end

    post = draft(account, staff)
    membership_end(
        membership=colleague.memberships.get(school=school),
        actor=headteacher,
        leaving_date=timezone.localdate(),
    )
    fresh = type(colleague).objects.get(pk=colleague.pk)
    assert not access.post_visible_to(fresh).filter(pk=post.pk).exists()


def test_agreeing_is_for_a_second_colleague_never_the_author(
    account, staff, colleague, slt, office
):
    post = through(draft(account, staff), (PostAction.SUBMIT, staff))
    assert access.can_agree_post(colleague, post) and access.can_agree_post(slt, post)
    assert not access.can_agree_post(staff, post)
    assert not access.can_agree_post(office, post)


def test_approval_is_for_leaders_never_the_author_or_the_colleague_who_agreed(
    account, staff, colleague, slt, headteacher, deputy_head
):
    post = through(draft(account, staff), (PostAction.SUBMIT, staff), (PostAction.AGREE, slt))
    assert access.can_approve_post(headteacher, post) and access.can_approve_post(deputy_head, post)
    assert not access.can_approve_post(slt, post)
    assert not access.can_approve_post(staff, post)
    assert not access.can_approve_post(colleague, post)


def test_publishing_is_for_the_accounts_people_once_approved(
    account, staff, colleague, headteacher, office
):
    post = through(draft(account, staff), (PostAction.SUBMIT, staff), (PostAction.AGREE, colleague))
    assert not access.can_publish_post(staff, post)
    post = through(post, (PostAction.APPROVE, headteacher))
    assert access.can_publish_post(staff, post) and access.can_publish_post(colleague, post)
    assert not access.can_publish_post(office, post)


def test_takedowns_are_seen_by_administrators_and_leaders(
    account, staff, colleague, headteacher, pupils, office, school, slt, outsider
):
    from django.utils import timezone

    from consent.models import Outcome
    from tests.accounts_registry.factories import published
    from tests.consent.factories import record, social_media

    published(draft(account, staff, pupils), staff, colleague, headteacher)
    record(
        pupils[0], social_media(school), office, Outcome.WITHDRAWN, received_on=timezone.localdate()
    )
    task = access.takedown_visible_to(staff).get()
    assert access.takedown_visible_to(slt).filter(pk=task.pk).exists()
    assert not access.takedown_visible_to(office).exists()
    assert not access.takedown_visible_to(outsider).exists()
    assert access.can_close_takedown(staff, task) and access.can_close_takedown(headteacher, task)
    assert not access.can_close_takedown(slt, task)


def test_the_logs_are_the_leaderships(school, slt, headteacher, staff, dsl):
    assert access.can_keep_logs(slt, school) and access.can_keep_logs(headteacher, school)
    assert not access.can_keep_logs(staff, school) and not access.can_keep_logs(dsl, school)
