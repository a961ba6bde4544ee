"""Workflow notifications (issue 9.2): each step reaches exactly the right people, once, in the
app and by e-mail after commit, with neutral subjects."""

import pytest
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import ChangeSize
from socialgov.notifications import services as notification_services
from socialgov.notifications.models import Notification
from socialgov.people.roles import Role, StaffGroup
from tests.factories import MembershipFactory, SchoolFactory, person_in
from tests.policies.factories import POLICY_TEXT, draft_version_for, policy_for
from tests.policies.signing_helpers import sign

pytestmark = pytest.mark.django_db


def notified(kind: str) -> list[str]:
    """E-mail addresses of the people notified of `kind`, sorted (duplicates kept)."""
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


@pytest.fixture
def support_policy(school, headteacher, slt):
    """A policy owned by SLT that support staff must sign (the office and network manager)."""
    return policy_for(
        school, headteacher, title="Office AUP", owner=slt, signer_groups=[StaffGroup.SUPPORT]
    )


@pytest.fixture
def submitted(support_policy, dsl, headteacher, staff, office, network_manager):
    """The DSL's draft, sent for approval. (Everyone else of the school exists.)"""
    draft = draft_version_for(support_policy, dsl)
    return services.version_submit(version=draft, actor=dsl)


def test_sent_for_approval_tells_the_approvers_after_commit(
    support_policy, dsl, headteacher, staff, mailoutbox, django_capture_on_commit_callbacks
):
    draft = draft_version_for(support_policy, dsl)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.version_submit(version=draft, actor=dsl)
        assert mailoutbox == []  # nothing is e-mailed before the change commits
    assert notified("policy_version_submitted") == ["head@willow.test"]
    for callback in callbacks:
        callback()
    (email,) = mailoutbox
    assert email.to == ["head@willow.test"]
    assert email.subject == "A policy is waiting for your approval"
    assert "Office AUP" in email.body
    assert reverse("version_detail", args=[draft.pk]) in email.body
    notification = Notification.objects.get(kind="policy_version_submitted")
    assert notification.title == "Waiting for your approval: Office AUP, version 1"


def test_a_change_that_rolls_back_tells_nobody(support_policy, dsl, headteacher, mailoutbox):
    from django.db import transaction

    draft = draft_version_for(support_policy, dsl)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.version_submit(version=draft, actor=dsl)
        raise RuntimeError("the page failed after the service")
    assert notified("policy_version_submitted") == [] and mailoutbox == []


def test_the_headteacher_sending_their_own_draft_is_not_told_about_it(support_policy, headteacher):
    draft = draft_version_for(support_policy, headteacher)
    services.version_submit(version=draft, actor=headteacher)
    assert notified("policy_version_submitted") == []


def test_sent_back_tells_the_author_and_owner_with_the_reason(
    submitted, headteacher, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.version_return_to_draft(
            version=submitted, actor=headteacher, reason="Name the deputy DSLs."
        )
    assert notified("policy_version_returned") == ["dsl@willow.test", "slt@willow.test"]
    assert sorted(email.to[0] for email in mailoutbox) == ["dsl@willow.test", "slt@willow.test"]
    for email in mailoutbox:
        assert email.subject == "A policy draft has been sent back"
        assert "Name the deputy DSLs." in email.body


def test_approved_tells_the_author_and_owner(submitted, headteacher):
    services.version_approve(version=submitted, actor=headteacher)
    assert notified("policy_version_approved") == ["dsl@willow.test", "slt@willow.test"]


def test_an_owner_who_has_left_is_not_told(submitted, headteacher, slt):
    membership = slt.memberships.get()
    membership.leaving_date = timezone.localdate()
    membership.save()
    services.version_approve(version=submitted, actor=headteacher)
    assert notified("policy_version_approved") == ["dsl@willow.test"]


def test_published_tells_every_signer_once_and_the_author_and_owner(
    submitted, headteacher, office, network_manager, mailoutbox, django_capture_on_commit_callbacks
):
    services.version_approve(version=submitted, actor=headteacher)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.version_publish(version=submitted, actor=headteacher)
    # Support staff must sign: the office manager and the network manager, once each.
    assert notified("policy_to_sign") == ["network@willow.test", "office@willow.test"]
    assert notified("policy_version_published") == ["dsl@willow.test", "slt@willow.test"]
    assert Notification.objects.count() == 4  # nobody else: not staff, not the headteacher
    to_sign = [e for e in mailoutbox if e.subject == "A policy is ready for you to sign"]
    assert sorted(email.to[0] for email in to_sign) == ["network@willow.test", "office@willow.test"]
    assert all("Office AUP" in email.body for email in to_sign)
    assert all(reverse("version_sign", args=[submitted.pk]) in email.body for email in to_sign)
    assert Notification.objects.get(kind="policy_to_sign", recipient=office).title == (
        "Please read and sign: Office AUP, version 1"
    )


def test_a_signer_who_wrote_the_version_is_told_once(school, headteacher, dsl, office):
    policy = policy_for(school, headteacher, title="Everyone", signer_groups=[StaffGroup.TEACHER])
    version = draft_version_for(policy, dsl)
    services.version_submit(version=version, actor=dsl)
    services.version_approve(version=version, actor=headteacher)
    Notification.objects.all().delete()
    services.version_publish(version=version, actor=headteacher)
    # The DSL (a teacher) wrote it and must sign it: one notification, the one asking to sign.
    assert list(Notification.objects.filter(recipient=dsl).values_list("kind", flat=True)) == [
        "policy_to_sign"
    ]
    # The headteacher published it and must sign it too: asked to sign, nothing else.
    assert list(
        Notification.objects.filter(recipient=headteacher).values_list("kind", flat=True)
    ) == ["policy_to_sign"]


def test_signers_e_mails_go_in_batches_over_one_connection_each(
    school, headteacher, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    for n in range(5):
        person_in(school, Role.STAFF, group=StaffGroup.SUPPORT, email=f"support{n}@willow.test")
    policy = policy_for(school, headteacher, title="Batch", signer_groups=[StaffGroup.SUPPORT])
    version = draft_version_for(policy, headteacher)
    services.version_submit(version=version, actor=headteacher)
    services.version_approve(version=version, actor=headteacher)
    monkeypatch.setattr(notification_services, "EMAIL_BATCH", 2)
    connections = []
    real = notification_services.get_connection

    def counting_connection(*args, **kwargs):
        connections.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(notification_services, "get_connection", counting_connection)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.version_publish(version=version, actor=headteacher)
    assert len(callbacks) == 3  # 5 e-mails in batches of 2
    assert len(connections) == 3
    assert len(mailoutbox) == 5 and len({email.to[0] for email in mailoutbox}) == 5


def test_a_minor_version_tells_signers_what_changed_with_the_redline(
    school, headteacher, office, network_manager, mailoutbox, django_capture_on_commit_callbacks
):
    policy = policy_for(school, headteacher, title="Office AUP", signer_groups=[StaffGroup.SUPPORT])
    first = draft_version_for(policy, headteacher)
    services.version_submit(version=first, actor=headteacher)
    services.version_approve(version=first, actor=headteacher)
    services.version_publish(version=first, actor=headteacher)
    sign(first, office)  # the network manager has not signed
    second = draft_version_for(
        policy,
        headteacher,
        text=POLICY_TEXT + "3. Lock the office door.\n",
        change=ChangeSize.MINOR,
        summary="Adds the office door.",
    )
    services.version_submit(version=second, actor=headteacher)
    services.version_approve(version=second, actor=headteacher)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.version_publish(version=second, actor=headteacher)
    redline = reverse("policy_redline", args=[policy.pk]) + f"?from={first.pk}&to={second.pk}"
    update = Notification.objects.get(kind="policy_minor_update")
    assert update.recipient == office and update.url == redline
    to_sign = Notification.objects.get(kind="policy_to_sign")
    assert to_sign.recipient == network_manager
    by_person = {email.to[0]: email for email in mailoutbox}
    assert "Adds the office door." in by_person["office@willow.test"].body
    assert redline in by_person["office@willow.test"].body
    assert "do not need to sign again" in by_person["office@willow.test"].body
    assert "Adds the office door." in by_person["network@willow.test"].body
    assert redline in by_person["network@willow.test"].body


def test_the_redline_link_of_a_minor_update_opens_for_the_signer(
    client_for, school, headteacher, office
):
    policy = policy_for(school, headteacher, title="Office AUP", signer_groups=[StaffGroup.SUPPORT])
    first = draft_version_for(policy, headteacher)
    for step in (services.version_submit, services.version_approve, services.version_publish):
        step(version=first, actor=headteacher)
    sign(first, office)
    second = draft_version_for(
        policy, headteacher, text=POLICY_TEXT + "3. Lock the door.\n", change=ChangeSize.MINOR
    )
    for step in (services.version_submit, services.version_approve, services.version_publish):
        step(version=second, actor=headteacher)
    update = Notification.objects.get(kind="policy_minor_update", recipient=office)
    response = client_for(office).get(update.url)
    assert response.status_code == 200
    assert "Lock the door." in response.content.decode()


def test_ratification_tells_the_owner_only(submitted, headteacher, clerk):
    services.version_approve(version=submitted, actor=headteacher)
    services.version_publish(version=submitted, actor=headteacher)
    Notification.objects.all().delete()
    services.version_ratify(
        version=submitted,
        actor=clerk,
        meeting_date=timezone.localdate(),
        minute_reference="FGB 3",
    )
    assert notified("policy_ratified") == ["slt@willow.test"]
    assert Notification.objects.count() == 1


def test_nobody_in_another_school_is_told(submitted, headteacher, outsider, sister_head):
    services.version_approve(version=submitted, actor=headteacher)
    services.version_publish(version=submitted, actor=headteacher)
    assert not Notification.objects.filter(recipient__in=[outsider, sister_head]).exists()


def test_someone_in_two_schools_is_told_under_the_policys_school(
    school, headteacher, dsl, support_policy
):
    elsewhere = SchoolFactory(name="Second School")
    MembershipFactory(user=headteacher, school=elsewhere, roles=[Role.STAFF])
    services.version_submit(version=draft_version_for(support_policy, dsl), actor=dsl)
    notification = Notification.objects.get(kind="policy_version_submitted")
    assert notification.school == school


def test_an_owner_who_may_not_read_drafts_is_sent_to_the_policys_page(
    client_for, school, headteacher, dsl, network_manager
):
    policy = policy_for(school, headteacher, title="Network AUP", owner=network_manager)
    version = services.version_submit(version=draft_version_for(policy, dsl), actor=dsl)
    services.version_return_to_draft(version=version, actor=headteacher, reason="More detail.")
    to_owner = Notification.objects.get(kind="policy_version_returned", recipient=network_manager)
    to_author = Notification.objects.get(kind="policy_version_returned", recipient=dsl)
    assert to_owner.url == reverse("policy_detail", args=[policy.pk])
    assert to_author.url == reverse("version_detail", args=[version.pk])
    assert client_for(network_manager).get(to_owner.url).status_code == 200
    assert client_for(dsl).get(to_author.url).status_code == 200


def test_the_headteachers_own_version_asks_the_stand_in_approvers(
    support_policy, headteacher, deputy_head, chair, staff
):
    draft = draft_version_for(support_policy, headteacher)
    services.version_submit(version=draft, actor=headteacher)
    # Not its author: the deputy headteacher and the chair of governors approve it instead.
    assert notified("policy_version_submitted") == ["chair@willow.test", "deputy@willow.test"]
