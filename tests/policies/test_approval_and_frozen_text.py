"""Who approves (issue 7.11: the author does not approve their own version when someone else
can), and the frozen text (issue 8.1: a signature is refused when the text no longer matches the
SHA-256 frozen at approval; approved and awaiting versions cannot be edited or re-imported)."""

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from policies import access as policy_access
from policies import services
from policies.models import PolicyVersion, Signature, VersionStatus
from policies.text import text_sha256
from socialgov.people.roles import Role
from tests.factories import person_in
from tests.policies.factories import (
    approved_version_for,
    draft_version_for,
    policy_for,
    published_version_for,
)
from tests.policies.signing_helpers import sign
from tests.policies.test_content_import import upload, word_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(school, headteacher):
    return policy_for(school, headteacher)


def submitted_by(policy, author):
    version = draft_version_for(policy, author)
    return services.version_submit(version=version, actor=author)


# --- The author does not approve their own version ------------------------------------------


def test_the_deputy_head_approves_the_headteachers_own_version(policy, headteacher, deputy_head):
    version = submitted_by(policy, headteacher)
    with pytest.raises(PermissionDenied, match="You wrote this version"):
        services.version_approve(version=version, actor=headteacher)
    approved = services.version_approve(version=version, actor=deputy_head)
    assert approved.status == VersionStatus.APPROVED and approved.approved_by == deputy_head


def test_the_chair_approves_it_when_there_is_no_deputy(policy, headteacher, chair):
    version = submitted_by(policy, headteacher)
    assert policy_access.version_approvers(version) == [chair]
    assert services.version_approve(version=version, actor=chair).approved_by == chair


def test_a_headteacher_with_nobody_else_to_approve_approves_their_own(policy, headteacher):
    version = submitted_by(policy, headteacher)
    assert services.version_approve(version=version, actor=headteacher).approved_by == headteacher


def test_another_headteacher_approves_before_any_stand_in(school, policy, headteacher, deputy_head):
    co_head = person_in(school, Role.HEADTEACHER, full_name="Cora Co-Head")
    version = submitted_by(policy, headteacher)
    assert policy_access.version_approvers(version) == [co_head]
    with pytest.raises(PermissionDenied):
        services.version_approve(version=version, actor=deputy_head)


def test_a_stand_in_never_approves_someone_elses_version(policy, headteacher, dsl, deputy_head):
    version = submitted_by(policy, dsl)
    assert policy_access.version_approvers(version) == [headteacher]
    with pytest.raises(PermissionDenied):
        services.version_approve(version=version, actor=deputy_head)
    with pytest.raises(PermissionDenied):
        services.version_return_to_draft(version=version, actor=deputy_head, reason="More")


def test_with_the_setting_off_the_headteacher_approves_their_own(
    school, policy, headteacher, deputy_head
):
    school.policy_author_cannot_approve = False
    school.save()
    version = submitted_by(policy, headteacher)
    policy.school.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.version_approve(version=version, actor=deputy_head)
    assert services.version_approve(version=version, actor=headteacher).approved_by == headteacher


def test_the_setting_is_on_by_default_and_the_headteacher_can_change_it(
    client_for, school, headteacher
):
    assert school.policy_author_cannot_approve is True
    page = client_for(headteacher).get(reverse("school_edit", args=[school.pk]))
    assert "Policy authors do not approve their own versions" in page.content.decode()


def test_the_stand_in_sends_back_the_headteachers_version(policy, headteacher, chair):
    version = submitted_by(policy, headteacher)
    with pytest.raises(PermissionDenied):
        services.version_return_to_draft(version=version, actor=headteacher, reason="More")
    assert (
        services.version_return_to_draft(version=version, actor=chair, reason="More").status
        == "draft"
    )


def test_the_version_page_offers_approval_to_the_right_person(
    client_for, policy, headteacher, deputy_head
):
    version = submitted_by(policy, headteacher)
    url = reverse("version_detail", args=[version.pk])
    approve = reverse("version_approve", args=[version.pk])
    assert approve not in client_for(headteacher).get(url).content.decode()
    assert approve in client_for(deputy_head).get(url).content.decode()


# --- The frozen text ----------------------------------------------------------------------


def test_a_text_changed_after_approval_cannot_be_signed_and_is_logged(
    policy, headteacher, staff, caplog
):
    version = published_version_for(policy, headteacher)
    PolicyVersion.objects.filter(pk=version.pk).update(body_html="<p>Something else.</p>")
    refused = "no longer matches the text that was approved"
    with (
        caplog.at_level(logging.ERROR, logger="policies.services.versions"),
        pytest.raises(ValidationError, match=refused),
    ):
        sign(version, staff)
    assert not Signature.objects.exists()
    assert any(
        "no longer matches the SHA-256" in r.getMessage() and str(version.pk) in r.getMessage()
        for r in caplog.records
    )


def test_a_signature_stores_the_frozen_hash(policy, headteacher, staff):
    version = published_version_for(policy, headteacher)
    signature = sign(version, staff)
    assert signature.text_sha256 == version.text_sha256 == text_sha256(version.body_html)


@pytest.mark.parametrize("status", ["awaiting", "approved", "published"])
def test_a_version_past_draft_cannot_be_edited(policy, headteacher, status):
    if status == "awaiting":
        version = submitted_by(policy, headteacher)
    elif status == "approved":
        version = approved_version_for(policy, headteacher)
    else:
        version = published_version_for(policy, headteacher)
    before = (version.body_html, version.text_sha256)
    with pytest.raises(ValidationError, match="can no longer be edited"):
        services.version_update_draft(version=version, actor=headteacher, body_markdown="New")
    version.refresh_from_db()
    assert (version.body_html, version.text_sha256) == before


def test_a_version_awaiting_approval_cannot_be_reimported(policy, headteacher):
    version = submitted_by(policy, headteacher)
    with pytest.raises(ValidationError, match="awaiting approval"):
        services.version_import_docx(
            policy=policy, actor=headteacher, upload=upload(word_document())
        )
    version.refresh_from_db()
    assert version.source_document_id is None and "Staff use school accounts" in version.body_html


def test_importing_with_an_approved_version_starts_a_new_draft_and_leaves_it_alone(
    policy, headteacher
):
    approved = approved_version_for(policy, headteacher)
    before = (approved.body_html, approved.text_sha256)
    draft = services.version_import_docx(
        policy=policy, actor=headteacher, upload=upload(word_document())
    )
    assert draft.pk != approved.pk and draft.number == 2
    approved.refresh_from_db()
    assert (approved.body_html, approved.text_sha256) == before
