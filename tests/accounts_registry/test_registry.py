"""The registry: details it refuses (an e-mail off the school's domains, a password-like
credentials note), at least two administrators, the yearly review, leavers flagged."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts_registry import selectors, services
from accounts_registry.models import AccountMember, MemberRole
from socialgov.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_domains(school):
    school.email_domains = "willow.test"
    school.save()
    return school


def test_a_registered_email_off_the_schools_domains_is_refused(account, staff, school_domains):
    with pytest.raises(ValidationError) as refused:
        services.account_update(account=account, actor=staff, registered_email="me@gmail.example")
    assert "registered_email" in refused.value.message_dict
    account = services.account_update(
        account=account, actor=staff, registered_email="pe@willow.test"
    )
    assert account.registered_email == "pe@willow.test"


@pytest.mark.parametrize(
    "note",
    ["password: Tr0ub4dor", "Summer2024!", "pw=letmein", "the password is hunter2", "Xk9#mQ2pLw"],
)
def test_a_password_like_credentials_note_is_refused(account, staff, note):
    with pytest.raises(ValidationError) as refused:
        services.account_update(account=account, actor=staff, credentials_kept=note)
    assert "credentials_kept" in refused.value.message_dict


@pytest.mark.parametrize(
    "note",
    [
        "In the school's 1Password vault, Marketing",
        "Bitwarden collection 'Official accounts', held by the office",
        "Sealed envelope in the headteacher's safe",
    ],
)
def test_a_description_of_where_credentials_are_kept_is_accepted(account, staff, note):
    account = services.account_update(account=account, actor=staff, credentials_kept=note)
    assert account.credentials_kept == note


def test_a_poster_cannot_change_the_accounts_details(account, headteacher, school):
    from tests.factories import person_in

    poster = person_in(school, "staff", full_name="Pat Poster")
    services.account_member_add(account=account, actor=headteacher, user=poster, role="poster")
    with pytest.raises(PermissionDenied):
        services.account_update(account=account, actor=poster, two_factor_on=True)


def test_the_last_two_administrators_cannot_be_removed(account, headteacher, staff):
    member = AccountMember.objects.get(account=account, user=staff)
    with pytest.raises(ValidationError, match="at least two administrators"):
        services.account_member_remove(member=member, actor=headteacher)


def test_an_administrator_is_removed_once_a_third_is_added(account, headteacher, staff, slt):
    services.account_member_add(
        account=account, actor=headteacher, user=slt, role=MemberRole.ADMINISTRATOR
    )
    member = AccountMember.objects.get(account=account, user=staff)
    services.account_member_remove(member=member, actor=headteacher)
    member.refresh_from_db()
    assert member.ended_at is not None


def test_someone_outside_the_school_cannot_be_added(account, headteacher, outsider):
    with pytest.raises(ValidationError):
        services.account_member_add(
            account=account, actor=headteacher, user=outsider, role="poster"
        )


def test_the_yearly_review_moves_the_next_review_on_a_year(account, staff):
    review = services.account_review_record(
        account=account,
        actor=staff,
        administrators_confirmed=True,
        two_factor_confirmed=True,
        moderation_confirmed=True,
        still_needed=True,
        reviewed_on=dt.date(2026, 3, 1),
    )
    account.refresh_from_db()
    assert review.next_review_on == dt.date(2027, 3, 1) == account.review_due_on
    assert account.two_factor_on


def test_a_review_with_something_unconfirmed_needs_a_note(account, staff):
    with pytest.raises(ValidationError) as refused:
        services.account_review_record(
            account=account,
            actor=staff,
            administrators_confirmed=True,
            two_factor_confirmed=False,
            moderation_confirmed=True,
            still_needed=True,
        )
    assert "notes" in refused.value.message_dict


def test_a_leaver_is_flagged_and_the_headteacher_alerted(account, staff, headteacher, school):
    from socialgov.people.services import membership_end

    membership = staff.memberships.get(school=school)
    membership_end(membership=membership, actor=headteacher, leaving_date=timezone.localdate())
    member = AccountMember.objects.get(account=account, user=staff)
    assert member.flagged_at is not None and "Leaves the school" in member.flag_reason
    assert selectors.accounts_short_of_administrators(school) == [account]
    assert Notification.objects.filter(
        recipient=headteacher, kind="account_short_of_admins"
    ).exists()


def test_the_registry_shows_who_has_not_signed_the_aup(account, school, headteacher, aup):
    from tests.factories import person_in

    poster = person_in(school, "staff", full_name="Pat Poster")
    services.account_member_add(account=account, actor=headteacher, user=poster, role="poster")
    status = selectors.aup_status(school)
    members = {m.user_id: status.has_signed(m.user_id) for m in account.members.all()}
    assert members[poster.pk] is False
    assert sum(members.values()) == 2
