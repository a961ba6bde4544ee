"""Direct tests of the policies gateway (policies/access.py), one for every rule: the outsider of
another school excluded, a same-school person without the role excluded, the right person
included. They fail on a broken gateway even where a page's use_school() would hide it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from policies import access
from policies.models import PolicyTemplate, Signature
from socialgov.people.models import Membership
from socialgov.people.roles import TrustRole
from tests.factories import TrustMembershipFactory, UserFactory
from tests.policies.factories import draft_version_for, policy_for, published_version_for
from tests.policies.signing_helpers import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(school, headteacher):
    return policy_for(school, headteacher)


@pytest.fixture
def published(policy, headteacher):
    return published_version_for(policy, headteacher)


@pytest.fixture
def draft(policy, headteacher, published):
    return draft_version_for(policy, headteacher, text="# Draft\n\nNext version.\n")


@pytest.fixture
def signature(published, staff):
    return sign(published, staff)


def template_of(trust, creator, *, published=True, title="Online safety"):
    return PolicyTemplate.objects.create(
        trust=trust,
        issuer="The trust",
        kind="online_safety",
        title=title,
        body_markdown="# {{ school_name }}",
        is_published=published,
        created_by=creator,
    )


def fresh(user):
    """The person as a new request sees them (no cached memberships)."""
    return type(user).objects.get(pk=user.pk)


# --- Policies and versions --------------------------------------------------------------------


def test_policy_visible_to_members_of_its_school_only(policy, outsider, colleague):
    assert policy not in access.policy_visible_to(outsider)
    assert policy in access.policy_visible_to(colleague)


def test_policy_get_for_user_404_outside_403_for_writing_without_the_role(
    policy, outsider, colleague, dsl
):
    with pytest.raises(Http404):
        access.policy_get_for_user(outsider, policy.pk)
    assert access.policy_get_for_user(colleague, policy.pk) == policy
    with pytest.raises(PermissionDenied):
        access.policy_get_for_user(colleague, policy.pk, write=True)
    assert access.policy_get_for_user(dsl, policy.pk, write=True) == policy


def test_version_visible_to_published_for_members_drafts_for_editors(
    published, draft, outsider, colleague, dsl
):
    assert published not in access.version_visible_to(outsider)
    assert published in access.version_visible_to(colleague)
    assert draft not in access.version_visible_to(colleague)
    assert draft in access.version_visible_to(dsl)


def test_version_visible_to_stand_in_approvers_when_awaiting_approval(
    policy, headteacher, deputy_head, chair, outsider
):
    from policies import services

    version = services.version_submit(
        version=draft_version_for(policy, headteacher), actor=headteacher
    )
    assert version in access.version_visible_to(deputy_head)
    assert version in access.version_visible_to(chair)
    assert version not in access.version_visible_to(outsider)
    policy.school.policy_author_cannot_approve = False
    policy.school.save()
    assert version not in access.version_visible_to(fresh(deputy_head))


def test_version_get_for_user(draft, published, outsider, colleague, dsl):
    with pytest.raises(Http404):
        access.version_get_for_user(outsider, published.pk)
    with pytest.raises(Http404):
        access.version_get_for_user(colleague, draft.pk)
    assert access.version_get_for_user(colleague, published.pk) == published
    with pytest.raises(PermissionDenied):
        access.version_get_for_user(colleague, published.pk, write=True)
    assert access.version_get_for_user(dsl, draft.pk, write=True) == draft


def test_can_edit_and_can_see_history(school, outsider, colleague, dsl, governor):
    for rule in (access.can_edit, access.can_see_history):
        assert not rule(outsider, school)
        assert not rule(colleague, school)
        assert not rule(governor, school)
        assert rule(dsl, school)


def test_can_approve_and_can_approve_version(
    school, policy, headteacher, deputy_head, dsl, outsider, colleague
):
    from policies import services

    by_dsl = services.version_submit(version=draft_version_for(policy, dsl), actor=dsl)
    assert not access.can_approve(outsider, school)
    assert not access.can_approve(colleague, school)
    assert access.can_approve(headteacher, school)
    assert not access.can_approve_version(outsider, by_dsl)
    assert not access.can_approve_version(colleague, by_dsl)
    assert not access.can_approve_version(deputy_head, by_dsl)  # only for the head's own
    assert access.can_approve_version(headteacher, by_dsl)
    assert access.version_approvers(by_dsl) == [headteacher]


def test_can_ratify(school, outsider, colleague, clerk):
    assert not access.can_ratify(outsider, school)
    assert not access.can_ratify(colleague, school)
    assert access.can_ratify(clerk, school)


# --- Coverage ---------------------------------------------------------------------------------


def test_coverage_rules(school, published, outsider, colleague, governor, office, dsl):
    for person in (outsider, colleague):
        assert not access.can_see_coverage(person, school)
        assert not access.can_see_coverage_names(person, school)
        assert not access.can_chase(person, published)
        assert not access.can_export_signatures(person, published)
    assert access.can_see_coverage(governor, school)
    assert not access.can_see_coverage_names(governor, school)
    assert not access.can_chase(governor, published)
    assert not access.can_export_signatures(governor, published)
    for person in (office, dsl):
        assert access.can_see_coverage_names(person, school)
        assert access.can_chase(person, published)
        assert access.can_export_signatures(person, published)


def test_only_the_published_version_is_chased(policy, headteacher, published, dsl):
    superseding = published_version_for(policy, headteacher, text="# New\n\nText.\n")
    published.refresh_from_db()
    assert not access.can_chase(dsl, published)
    assert access.can_chase(dsl, superseding)


def test_coverage_version_get_for_user(published, outsider, colleague, governor):
    with pytest.raises(Http404):
        access.coverage_version_get_for_user(outsider, published.pk)
    with pytest.raises(PermissionDenied):
        access.coverage_version_get_for_user(colleague, published.pk)
    assert access.coverage_version_get_for_user(governor, published.pk) == published


# --- Signatures -------------------------------------------------------------------------------


def test_signature_visible_to_the_signer_and_those_who_see_names(
    signature, staff, colleague, outsider, office
):
    assert signature not in access.signature_visible_to(outsider)
    assert signature not in access.signature_visible_to(colleague)
    assert signature in access.signature_visible_to(staff)
    assert signature in access.signature_visible_to(office)


def test_signature_get_for_user(signature, staff, colleague, outsider, dsl):
    for person in (outsider, colleague):
        with pytest.raises(Http404):
            access.signature_get_for_user(person, signature.pk)
    assert access.signature_get_for_user(staff, signature.pk) == signature
    assert access.signature_get_for_user(dsl, signature.pk) == signature


def test_signature_verifiable_by_members_of_its_school(signature, colleague, outsider):
    assert signature not in access.signature_verifiable_by(outsider)
    assert signature in access.signature_verifiable_by(colleague)


def test_a_leavers_signatures_are_no_longer_visible_to_them(signature, staff):
    Membership.objects.filter(user=staff).update(leaving_date="2000-01-02", start_date="2000-01-01")
    assert not Signature.objects.filter(pk__in=access.signature_visible_to(fresh(staff))).exists()


def test_can_sign(published, outsider, staff, governor):
    assert not access.can_sign(outsider, published)
    assert not access.can_sign(governor, published)  # in the school, not asked to sign
    assert access.can_sign(staff, published)


# --- Templates --------------------------------------------------------------------------------


def test_template_writing_rules(trust, other_school, trust_executive, headteacher, outsider):
    for person in (outsider, headteacher):
        assert not access.can_write_templates(person)
        assert not access.can_write_template_for(person, trust)
        assert access.template_writing_trust_ids(person) == set()
    assert access.can_write_templates(trust_executive)
    assert access.can_write_template_for(trust_executive, trust)
    assert list(access.template_writing_trusts(trust_executive)) == [trust]


def test_every_trust_role_writes_its_trusts_templates(trust):
    trust_dsl = UserFactory()
    TrustMembershipFactory(user=trust_dsl, trust=trust, role=TrustRole.TRUST_DSL)
    assert access.can_write_template_for(trust_dsl, trust)


def test_template_visible_to(trust, trust_executive, headteacher, outsider):
    published = template_of(trust, trust_executive)
    unpublished = template_of(trust, trust_executive, published=False, title="Draft")
    assert published not in access.template_visible_to(outsider)
    assert published in access.template_visible_to(headteacher)
    assert unpublished not in access.template_visible_to(headteacher)
    assert unpublished in access.template_visible_to(trust_executive)


def test_template_get_for_user_and_can_write_template(
    trust, trust_executive, headteacher, outsider
):
    template = template_of(trust, trust_executive)
    with pytest.raises(Http404):
        access.template_get_for_user(outsider, template.pk)
    assert access.template_get_for_user(headteacher, template.pk) == template
    with pytest.raises(PermissionDenied):
        access.template_get_for_user(headteacher, template.pk, write=True)
    assert not access.can_write_template(headteacher, template)
    assert access.can_write_template(trust_executive, template)
    assert access.template_get_for_user(trust_executive, template.pk, write=True) == template


def test_can_adopt_template(school, trust, trust_executive, headteacher, colleague, outsider):
    template = template_of(trust, trust_executive)
    unpublished = template_of(trust, trust_executive, published=False, title="Draft")
    assert not access.can_adopt_template(outsider, template, school)
    assert not access.can_adopt_template(outsider, template, outsider.memberships.get().school)
    assert not access.can_adopt_template(colleague, template, school)
    assert not access.can_adopt_template(headteacher, unpublished, school)
    assert access.can_adopt_template(headteacher, template, school)
