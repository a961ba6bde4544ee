import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from policies import selectors, services
from policies.models import ChangeSize, PolicyKind, PolicyVersion, Signature, VersionStatus
from policies.text import text_sha256
from socialgov.people.roles import Role, StaffGroup
from tests.factories import person_in

TEXT = "# Staff AUP\n\n1. Use school accounts for school work.\n2. Report concerns.\n"


@pytest.fixture
def aup(school, headteacher, dsl):
    return services.policy_create(
        school=school,
        actor=headteacher,
        kind=PolicyKind.STAFF_AUP,
        title="Staff acceptable use policy",
        owner=dsl,
        signer_groups=[StaffGroup.TEACHER, StaffGroup.SUPPORT],
    )


def publish(policy, headteacher, text=TEXT, change=ChangeSize.MAJOR):
    version = services.version_create_draft(
        policy=policy, actor=headteacher, body_markdown=text, change=change
    )
    services.version_submit(version=version, actor=headteacher)
    services.version_approve(version=version, actor=headteacher)
    return services.version_publish(version=version, actor=headteacher)


def test_a_version_moves_from_draft_to_published_and_freezes(aup, headteacher, dsl):
    version = services.version_create_draft(policy=aup, actor=dsl, body_markdown=TEXT)
    assert version.status == VersionStatus.DRAFT and version.number == 1
    assert "<ol>" in version.body_html and version.text_sha256 == ""
    services.version_submit(version=version, actor=dsl)
    version = services.version_approve(version=version, actor=headteacher)
    assert version.status == VersionStatus.APPROVED
    assert version.text_sha256 == text_sha256(version.body_html)
    assert version.approved_by == headteacher and version.approved_at
    version = services.version_publish(version=version, actor=headteacher)
    assert version.status == VersionStatus.PUBLISHED
    assert selectors.published_version(aup) == version


def test_only_the_headteacher_approves(aup, dsl):
    version = services.version_create_draft(policy=aup, actor=dsl, body_markdown=TEXT)
    services.version_submit(version=version, actor=dsl)
    with pytest.raises(PermissionDenied):
        services.version_approve(version=version, actor=dsl)
    version.refresh_from_db()
    assert version.status == VersionStatus.AWAITING_APPROVAL


def test_staff_cannot_write_policies(aup, staff):
    with pytest.raises(PermissionDenied):
        services.version_create_draft(policy=aup, actor=staff, body_markdown=TEXT)


def test_outsider_cannot_touch_another_schools_policy(aup, outsider):
    with pytest.raises(PermissionDenied):
        services.version_create_draft(policy=aup, actor=outsider, body_markdown=TEXT)


def test_a_frozen_version_cannot_be_edited(aup, headteacher):
    version = publish(aup, headteacher)
    with pytest.raises(ValidationError, match="Start a new version"):
        services.version_update_draft(version=version, actor=headteacher, body_markdown="changed")
    version.refresh_from_db()
    assert version.body_markdown == TEXT


def test_approve_needs_submission_first(aup, headteacher):
    version = services.version_create_draft(policy=aup, actor=headteacher, body_markdown=TEXT)
    with pytest.raises(ValidationError):
        services.version_approve(version=version, actor=headteacher)
    with pytest.raises(ValidationError):
        services.version_publish(version=version, actor=headteacher)


def test_empty_draft_cannot_be_submitted(aup, headteacher):
    version = services.version_create_draft(policy=aup, actor=headteacher, body_markdown="  ")
    with pytest.raises(ValidationError, match="Write the policy"):
        services.version_submit(version=version, actor=headteacher)


def test_only_one_version_open_at_a_time(aup, headteacher):
    services.version_create_draft(policy=aup, actor=headteacher, body_markdown=TEXT)
    with pytest.raises(ValidationError, match="already has a version being written"):
        services.version_create_draft(policy=aup, actor=headteacher, body_markdown=TEXT)


def test_publishing_supersedes_the_previous_version(aup, headteacher):
    first = publish(aup, headteacher)
    second = publish(aup, headteacher, text=TEXT + "3. New clause.\n", change=ChangeSize.MINOR)
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED and first.superseded_at
    assert second.status == VersionStatus.PUBLISHED
    assert PolicyVersion.objects.filter(policy=aup, status=VersionStatus.PUBLISHED).count() == 1


def test_database_refuses_two_published_versions(aup, headteacher):
    first = publish(aup, headteacher)
    second = services.version_create_draft(policy=aup, actor=headteacher, body_markdown="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyVersion.objects.filter(pk=second.pk).update(
            status=VersionStatus.PUBLISHED, text_sha256=first.text_sha256
        )


@pytest.mark.parametrize("role", [Role.CLERK, Role.CHAIR_OF_GOVERNORS, Role.HEADTEACHER])
def test_ratification_by_the_clerk_the_chair_or_the_headteacher(aup, headteacher, school, role):
    version = publish(aup, headteacher)
    recorder = person_in(school, role, group=StaffGroup.GOVERNOR)
    ratification = services.version_ratify(
        version=version,
        actor=recorder,
        meeting_date=timezone.localdate(),
        minute_reference="FGB 2026/14",
    )
    assert ratification.recorded_by == recorder
    with pytest.raises(ValidationError, match="already recorded"):
        services.version_ratify(
            version=version,
            actor=headteacher,
            meeting_date=timezone.localdate(),
            minute_reference="again",
        )


def test_governor_and_staff_cannot_record_ratification(aup, headteacher, governor, staff):
    version = publish(aup, headteacher)
    for person in (governor, staff):
        with pytest.raises(PermissionDenied):
            services.version_ratify(
                version=version,
                actor=person,
                meeting_date=dt.date(2026, 10, 1),
                minute_reference="x",
            )


def test_a_draft_cannot_be_ratified(aup, headteacher):
    version = services.version_create_draft(policy=aup, actor=headteacher, body_markdown=TEXT)
    with pytest.raises(ValidationError):
        services.version_ratify(
            version=version,
            actor=headteacher,
            meeting_date=dt.date(2026, 10, 1),
            minute_reference="x",
        )


def sign(version, person, name=None, agreed=True):
    return services.signature_create(
        version=version,
        signer=person,
        typed_name=name or person.full_name,
        agreed=agreed,
        ip_address="192.0.2.10",
        user_agent="pytest",
    )


def test_staff_sign_the_published_version(aup, headteacher, staff):
    version = publish(aup, headteacher)
    signature = sign(version, staff, name="  sam   STAFF ")
    assert signature.text_sha256 == version.text_sha256
    assert signature.statement and signature.ip_address == "192.0.2.10"
    assert len(signature.verification_code) == 16
    assert selectors.has_valid_signature(staff, version)


def test_signing_twice_gives_one_signature_and_no_error(aup, headteacher, staff):
    version = publish(aup, headteacher)
    first = sign(version, staff)
    second = sign(version, staff)
    assert first.pk == second.pk
    assert Signature.objects.filter(signer=staff).count() == 1


def test_a_name_that_does_not_match_is_refused(aup, headteacher, staff):
    version = publish(aup, headteacher)
    with pytest.raises(ValidationError) as error:
        sign(version, staff, name="Someone Else")
    assert "typed_name" in error.value.message_dict
    assert not Signature.objects.exists()


def test_agreement_must_be_ticked(aup, headteacher, staff):
    version = publish(aup, headteacher)
    with pytest.raises(ValidationError) as error:
        sign(version, staff, agreed=False)
    assert "agreed" in error.value.message_dict


def test_drafts_and_superseded_versions_cannot_be_signed(aup, headteacher, staff):
    draft = services.version_create_draft(policy=aup, actor=headteacher, body_markdown=TEXT)
    with pytest.raises(ValidationError):
        sign(draft, staff)
    services.version_submit(version=draft, actor=headteacher)
    services.version_approve(version=draft, actor=headteacher)
    services.version_publish(version=draft, actor=headteacher)
    publish(aup, headteacher, text=TEXT + "more", change=ChangeSize.MINOR)
    draft.refresh_from_db()
    with pytest.raises(ValidationError):
        sign(draft, staff)


def test_outsider_cannot_sign_another_schools_policy(aup, headteacher, outsider):
    version = publish(aup, headteacher)
    with pytest.raises(PermissionDenied):
        sign(version, outsider)


def test_minor_version_keeps_signatures_valid_and_major_resets_them(aup, headteacher, staff):
    first = publish(aup, headteacher)
    sign(first, staff)
    minor = publish(aup, headteacher, text=TEXT + "minor", change=ChangeSize.MINOR)
    assert selectors.has_valid_signature(staff, minor)
    major = publish(aup, headteacher, text=TEXT + "major", change=ChangeSize.MAJOR)
    assert not selectors.has_valid_signature(staff, major)
    sign(major, staff)
    assert selectors.has_valid_signature(staff, major)


def test_an_approved_major_version_that_was_never_published_does_not_reset(aup, headteacher, staff):
    first = publish(aup, headteacher)
    sign(first, staff)
    abandoned = services.version_create_draft(
        policy=aup, actor=headteacher, body_markdown="abandoned", change=ChangeSize.MAJOR
    )
    services.version_submit(version=abandoned, actor=headteacher)
    services.version_approve(version=abandoned, actor=headteacher)
    minor = publish(aup, headteacher, text=TEXT + "minor", change=ChangeSize.MINOR)
    assert selectors.has_valid_signature(staff, minor)


def test_markdown_is_sanitised(aup, headteacher):
    version = services.version_create_draft(
        policy=aup,
        actor=headteacher,
        body_markdown=(
            'Hello <script>alert(1)</script> [x](javascript:alert(1)) <b onclick="x">b</b>'
        ),
    )
    assert "<script" not in version.body_html
    assert "javascript:" not in version.body_html
    assert "onclick" not in version.body_html


def test_a_person_the_policy_does_not_ask_cannot_sign_it(aup, headteacher, governor):
    version = publish(aup, headteacher)
    with pytest.raises(PermissionDenied, match="not asked to sign"):
        sign(version, governor)
    assert not Signature.objects.exists()
