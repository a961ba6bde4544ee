"""Trust and local-authority templates: who sees and writes them, and adopting one."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import Policy, PolicyKind, PolicyTemplate
from socialgov.people.roles import Role, StaffGroup
from tests.factories import TrustMembershipFactory, person_in

BODY = (
    "# Social media policy for {{ school_name }}\n\n"
    "1. Concerns go to {{ dsl }} (deputies: {{ deputy_dsls }}).\n"
    "2. The headteacher, {{ headteacher }}, approves posts on {{ official_channels }}.\n"
    "3. Next review: {{review_date}}.\n"
    "4. Not a placeholder: {{ settings.SECRET_KEY }} {% now 'Y' %}\n"
)


@pytest.fixture
def executive(trust):
    membership = TrustMembershipFactory(trust=trust, role="trust_executive")
    return membership.user


def template_of(trust, creator, **fields):
    values = {
        "trust": trust,
        "issuer": trust.name if trust else "Millford Council",
        "kind": PolicyKind.SOCIAL_MEDIA,
        "title": "Social media policy",
        "body_markdown": BODY,
        "signer_groups": [StaffGroup.TEACHER],
        "is_published": True,
        "created_by": creator,
    }
    values.update(fields)
    return PolicyTemplate.objects.create(**values)


def test_adopting_fills_the_placeholders_with_plain_text_only(
    school, headteacher, dsl, executive, trust
):
    person_in(school, Role.DEPUTY_DSL, full_name="Dee Deputy")
    template = template_of(trust, executive)
    policy = services.template_adopt(template=template, school=school, actor=headteacher, owner=dsl)
    text = policy.versions.get().body_markdown
    assert "# Social media policy for Willow Bank Primary School" in text
    assert "Concerns go to Dev Singh (deputies: Dee Deputy)" in text
    assert "The headteacher, Hannah Head, approves posts on the school's official accounts" in text
    assert f"Next review: {policy.next_review_on:%d/%m/%Y}." in text
    # Anything else in braces is left exactly as written: no template engine runs on it.
    assert "{{ settings.SECRET_KEY }} {% now 'Y' %}" in text
    assert policy.adopted_from == template
    assert (policy.kind, policy.signer_groups) == (PolicyKind.SOCIAL_MEDIA, [StaffGroup.TEACHER])


def test_deputies_read_none_recorded_when_there_are_none(school, headteacher, executive, trust):
    policy = services.template_adopt(
        template=template_of(trust, executive), school=school, actor=headteacher, owner=headteacher
    )
    assert "(deputies: none recorded)" in policy.versions.get().body_markdown


def test_adopting_the_same_template_twice_is_refused_clearly(
    client_for, school, headteacher, executive, trust
):
    template = template_of(trust, executive)
    url = reverse("policy_template_adopt", args=[template.pk])
    client = client_for(headteacher)
    first = client.post(url, {"owner": headteacher.pk})
    assert first.status_code == 302
    assert first["Location"] == reverse("policy_detail", args=[Policy.objects.get().pk])
    second = client.post(url, {"owner": headteacher.pk})
    assert second.status_code == 200
    assert "already has a policy called" in str(second.context["form"].non_field_errors())
    assert Policy.objects.count() == 1


def test_schools_see_their_trusts_and_local_authority_templates_only(
    client_for, school, other_school, headteacher, outsider, executive, trust
):
    ours = template_of(trust, executive, title="Trust social media policy")
    council = template_of(None, executive, title="Council online safety policy")
    draft = template_of(trust, executive, title="Unfinished policy", is_published=False)
    page = client_for(headteacher).get(reverse("policy_template_list"))
    assert list(page.context["templates"]) == [council, ours]
    other = client_for(outsider).get(reverse("policy_template_list"))
    assert list(other.context["templates"]) == [council]
    for template in (ours, draft):
        assert (
            client_for(outsider)
            .get(reverse("policy_template_adopt", args=[template.pk]))
            .status_code
            == 404
        )
    with pytest.raises(ValidationError):
        services.template_adopt(template=ours, school=other_school, actor=outsider, owner=outsider)
    assert (
        client_for(headteacher).get(reverse("policy_template_adopt", args=[draft.pk])).status_code
        == 404
    )


def test_only_the_trusts_executives_write_its_templates(
    client_for, headteacher, staff, executive, trust
):
    template = template_of(trust, executive)
    edit = reverse("policy_template_edit", args=[template.pk])
    assert client_for(headteacher).get(edit).status_code == 403
    assert client_for(headteacher).get(reverse("policy_template_create")).status_code == 403
    assert (
        client_for(staff).get(reverse("policy_template_adopt", args=[template.pk])).status_code
        == 403
    )
    response = client_for(executive).post(
        reverse("policy_template_create"),
        {
            "trust": trust.pk,
            "title": "Image use policy",
            "kind": PolicyKind.IMAGE_USE,
            "issuer": trust.name,
            "body_markdown": "Images at {{ school_name }}.",
            "review_cycle_months": 36,
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    created = PolicyTemplate.objects.get(title="Image use policy")
    assert (created.trust, created.created_by, created.review_cycle_months) == (
        trust,
        executive,
        36,
    )
    other_trust_executive = TrustMembershipFactory(role="trust_executive").user
    assert client_for(other_trust_executive).get(edit).status_code == 404


def test_the_adopted_policy_is_reviewed_after_one_cycle(school, headteacher, executive, trust):
    template = template_of(trust, executive, review_cycle_months=36)
    policy = services.template_adopt(
        template=template, school=school, actor=headteacher, owner=headteacher
    )
    today = timezone.localdate()
    assert policy.next_review_on.year == today.year + 3
    assert policy.review_cycle_months == 36
