"""The demo policies: published through the real services, some signed, one overdue; idempotent."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from policies.models import Policy, PolicyTemplate, Signature, VersionStatus
from socialgov.notifications.models import Notification
from socialgov.people.models import User


@pytest.mark.django_db
def test_seed_demo_adds_the_policies_once(django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())
    policies = Policy.objects.filter(school__name="Oakfield Primary School")
    assert policies.count() == 4
    for policy in policies:
        assert policy.versions.filter(status=VersionStatus.PUBLISHED).count() == 1
    overdue = [p for p in policies if p.next_review_on < timezone.localdate()]
    assert [p.title for p in overdue] == ["Mobile and smart technology policy"]
    aup = policies.get(title="Staff acceptable use policy")
    signed = set(
        Signature.objects.filter(version__policy=aup).values_list("signer__email", flat=True)
    )
    assert "teacher@oakfield.example.org.uk" in signed
    assert "volunteer@oakfield.example.org.uk" not in signed  # must sign, has not yet
    social_media = policies.get(title="Social media policy")
    assert social_media.versions.get(number=1).current_ratification.minute_reference
    # The DSL's minor update waits for the headteacher: on their dashboard and notifications.
    waiting = social_media.versions.get(number=2)
    assert waiting.status == VersionStatus.AWAITING_APPROVAL and waiting.change == "minor"
    assert waiting.created_by.email == "dsl@oakfield.example.org.uk"
    head = User.objects.get(email="head@oakfield.example.org.uk")
    assert Notification.objects.filter(recipient=head, kind="policy_version_submitted").exists()
    assert PolicyTemplate.objects.filter(is_published=True).count() == 1
