"""Posts: the consent check at submit, approval and publication; the names warning; the AUP;
the order of the steps and who may take each (issue 12 'Must show')."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts_registry import services
from accounts_registry.models import PostAction, PostEvent, PostStatus
from consent import services as consent_services
from consent.models import Outcome
from tests.accounts_registry.factories import draft, published, through
from tests.consent.factories import pupil_for, record, social_media

pytestmark = pytest.mark.django_db


def _submit_refusal(post, author):
    with pytest.raises(ValidationError) as refused:
        services.post_transition(post=post, actor=author, action=PostAction.SUBMIT)
    return refused.value


def test_a_post_whose_pupils_all_may_appear_goes_through_every_step(
    account, staff, colleague, headteacher, pupils
):
    post = published(draft(account, staff, pupils), staff, colleague, headteacher)
    assert post.status == PostStatus.PUBLISHED
    assert post.agreed_by == colleague and post.approved_by == headteacher
    assert [e.action for e in PostEvent.objects.filter(post=post)] == [
        "submit",
        "agree",
        "approve",
        "publish",
    ]


@pytest.mark.parametrize(
    "outcome,reason",
    [(Outcome.WITHDRAWN, "withdrawn"), (Outcome.REFUSED, "refused")],
)
def test_a_withdrawn_or_refused_pupil_blocks_submitting_with_the_reason(
    account, staff, office, school, pupils, outcome, reason
):
    record(pupils[1], social_media(school), office, outcome, received_on=timezone.localdate())
    post = draft(account, staff, pupils)
    error = _submit_refusal(post, staff)
    assert error.message_dict["pupils"] == [
        f"Ben Baker may not appear for Official social media: {reason}."
    ]
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT


def test_a_pupil_with_no_decision_blocks_submitting(account, staff, school, office):
    pupil = pupil_for(school, office, legal_forename="Dan", legal_surname="Dunn")
    error = _submit_refusal(draft(account, staff, [pupil]), staff)
    assert "Dan Dunn may not appear for Official social media: no decision." in error.messages


def test_an_expired_consent_blocks_submitting(account, staff, school, office):
    pupil = pupil_for(school, office, legal_forename="Eve", legal_surname="Evans")
    record(pupil, social_media(school), office, expires_on=timezone.localdate() - dt.timedelta(1))
    error = _submit_refusal(draft(account, staff, [pupil]), staff)
    assert "Eve Evans may not appear for Official social media: expired." in error.messages


def test_a_restricted_pupil_blocks_without_saying_why(account, staff, pupils, dsl):
    consent_services.photo_restriction_set(pupil=pupils[0], actor=dsl, reason="Court order")
    error = _submit_refusal(draft(account, staff, pupils), staff)
    assert error.messages == [
        "Amy Archer may not appear for Official social media: may not appear — speak to the DSL."
    ]
    assert "Court order" not in str(error)


def test_a_pupil_who_has_left_blocks_submitting(account, staff, pupils, office):
    consent_services.pupil_mark_left(
        pupil=pupils[2], actor=office, leaving_date=timezone.localdate()
    )
    error = _submit_refusal(draft(account, staff, pupils), staff)
    assert "Cara Cole may not appear for Official social media: left the school." in error.messages


def test_a_withdrawal_between_submit_and_approval_blocks_the_approval(
    account, staff, colleague, headteacher, pupils, office, school
):
    post = through(
        draft(account, staff, pupils), (PostAction.SUBMIT, staff), (PostAction.AGREE, colleague)
    )
    record(
        pupils[0], social_media(school), office, Outcome.WITHDRAWN, received_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as refused:
        services.post_transition(post=post, actor=headteacher, action=PostAction.APPROVE)
    assert "Amy Archer" in refused.value.messages[0]
    post.refresh_from_db()
    assert post.status == PostStatus.AGREED


def test_the_names_warning_must_be_acknowledged(account, staff, pupils):
    post = draft(account, staff, pupils, text="Well done amy  ARCHER and the team!")
    error = _submit_refusal(post, staff)
    assert "Amy Archer" in error.message_dict["acknowledge_names"][0]
    post = services.post_transition(
        post=post, actor=staff, action=PostAction.SUBMIT, acknowledge_names=True
    )
    assert post.status == PostStatus.SUBMITTED and post.names_acknowledged


def test_a_first_name_alone_needs_no_acknowledgement(account, staff, pupils):
    post = draft(account, staff, pupils, text="Well done Amy and the team!")
    post = services.post_transition(post=post, actor=staff, action=PostAction.SUBMIT)
    assert post.status == PostStatus.SUBMITTED and not post.names_acknowledged


def test_someone_who_has_not_signed_the_aup_cannot_draft_or_publish(
    account, headteacher, school, staff, colleague, pupils
):
    from tests.factories import person_in

    newcomer = person_in(school, "staff", full_name="Nina New")
    services.account_member_add(account=account, actor=headteacher, user=newcomer, role="poster")
    with pytest.raises(ValidationError, match="Sign the current official-accounts"):
        draft(account, newcomer, pupils)
    post = through(
        draft(account, staff, pupils),
        (PostAction.SUBMIT, staff),
        (PostAction.AGREE, colleague),
        (PostAction.APPROVE, headteacher),
    )
    with pytest.raises(ValidationError, match="Sign the current official-accounts"):
        services.post_transition(
            post=post,
            actor=newcomer,
            action=PostAction.PUBLISH,
            published_url="https://instagram.example/p/2",
            published_on=timezone.localdate(),
        )


def test_nobody_can_post_before_the_school_publishes_the_aup(school, headteacher, staff, colleague):
    from tests.accounts_registry.factories import account_for

    account = account_for(school, headteacher, [staff, colleague])
    with pytest.raises(ValidationError, match="no published official-accounts"):
        draft(account, staff)


def test_the_author_cannot_agree_or_approve_their_own_post(account, staff, colleague, headteacher):
    post = through(draft(account, staff), (PostAction.SUBMIT, staff))
    with pytest.raises(PermissionDenied):
        services.post_transition(post=post, actor=staff, action=PostAction.AGREE)
    post = through(post, (PostAction.AGREE, colleague))
    with pytest.raises(PermissionDenied):
        services.post_transition(post=post, actor=staff, action=PostAction.APPROVE)
    with pytest.raises(PermissionDenied):
        services.post_transition(post=post, actor=colleague, action=PostAction.APPROVE)


def test_plain_staff_cannot_approve(account, staff, colleague, school):
    from tests.factories import person_in

    other = person_in(school, "staff", full_name="Olly Other")
    post = through(draft(account, staff), (PostAction.SUBMIT, staff), (PostAction.AGREE, colleague))
    with pytest.raises(PermissionDenied):
        services.post_transition(post=post, actor=other, action=PostAction.APPROVE)


def test_the_headteachers_own_post_is_approved_by_the_deputy_only(
    account, headteacher, colleague, staff, deputy_head, slt, aup
):
    from tests.accounts_registry.factories import sign_aup

    services.account_member_add(account=account, actor=headteacher, user=headteacher, role="poster")
    sign_aup(aup, headteacher)
    post = through(
        draft(account, headteacher), (PostAction.SUBMIT, headteacher), (PostAction.AGREE, colleague)
    )
    with pytest.raises(PermissionDenied):
        services.post_transition(post=post, actor=slt, action=PostAction.APPROVE)
    post = services.post_transition(post=post, actor=deputy_head, action=PostAction.APPROVE)
    assert post.status == PostStatus.APPROVED


def test_an_unapproved_post_cannot_be_published(account, staff, colleague):
    post = through(draft(account, staff), (PostAction.SUBMIT, staff), (PostAction.AGREE, colleague))
    with pytest.raises(ValidationError, match="cannot be published now"):
        services.post_transition(
            post=post,
            actor=staff,
            action=PostAction.PUBLISH,
            published_url="https://instagram.example/p/3",
            published_on=timezone.localdate(),
        )


def test_rejection_and_changes_need_a_reason_that_is_kept(account, staff, colleague, headteacher):
    post = through(draft(account, staff), (PostAction.SUBMIT, staff))
    with pytest.raises(ValidationError) as refused:
        services.post_transition(post=post, actor=colleague, action=PostAction.REQUEST_CHANGES)
    assert "reason" in refused.value.message_dict
    post = services.post_transition(
        post=post, actor=colleague, action=PostAction.REQUEST_CHANGES, reason="Crop the photo."
    )
    assert post.status == PostStatus.CHANGES_NEEDED
    assert post.events.get(action="request_changes").reason == "Crop the photo."
    post = through(post, (PostAction.SUBMIT, staff), (PostAction.AGREE, colleague))
    post = services.post_transition(
        post=post, actor=headteacher, action=PostAction.REJECT, reason="Not for this account."
    )
    assert post.status == PostStatus.REJECTED


def test_publishing_needs_a_url_and_a_date(account, staff, colleague, headteacher):
    post = through(
        draft(account, staff),
        (PostAction.SUBMIT, staff),
        (PostAction.AGREE, colleague),
        (PostAction.APPROVE, headteacher),
    )
    with pytest.raises(ValidationError) as refused:
        services.post_transition(
            post=post, actor=staff, action=PostAction.PUBLISH, published_url="not a url"
        )
    assert set(refused.value.message_dict) == {"published_url", "published_on"}


def test_pupils_of_another_school_are_refused(account, staff, other_school):
    outsider_pupil = pupil_for(other_school)
    with pytest.raises(ValidationError) as refused:
        draft(account, staff, [outsider_pupil])
    assert "pupils" in refused.value.message_dict


def test_the_same_draft_posted_twice_is_one_post(account, staff):
    first = draft(account, staff, submission_key="abc")
    second = draft(account, staff, submission_key="abc")
    assert first.pk == second.pk
