"""One rule for who must sign the official-accounts AUP: its signer groups and roles, and the
people running an account whatever their staff group (accounts_registry.selectors.
account_people_q, registered with policies.rules.SIGNERS_BESIDES). The dashboard item, the
notification, "To sign", signing itself and coverage all follow it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts_registry import selectors, services
from accounts_registry.models import MemberRole
from accounts_registry.needs_me import PANELS as ACCOUNT_PANELS
from policies import access as policy_access
from policies import selectors as policy_selectors
from policies.models import PolicyVersion
from socialgov.needs_me import PANELS, needs_me_for
from socialgov.notifications.models import Notification
from socialgov.people.roles import Role, StaffGroup
from tests.accounts_registry.factories import account_for, accounts_aup, sign_aup
from tests.factories import MembershipFactory, person_in
from tests.policies.signing_helpers import sign

pytestmark = pytest.mark.django_db

ITEM = "Sign the official-accounts acceptable use policy before you post"


@pytest.fixture(autouse=True)
def only_account_panels():
    with PANELS.only(*ACCOUNT_PANELS):
        yield


@pytest.fixture
def contractor(school):
    """A member of staff outside the AUP's signer groups (teachers and support staff)."""
    return person_in(school, Role.STAFF, full_name="Cory Contractor", group=StaffGroup.CONTRACTOR)


def fresh(version):
    return PolicyVersion.objects.select_related("policy").get(pk=version.pk)


def sentences(user):
    return [item.sentence for school in needs_me_for(user) for item in school.items]


def to_sign_titles(user, school):
    return [version.policy.title for version in policy_selectors.to_sign_for(user, school)]


def test_an_administrator_outside_the_signer_groups_is_asked_to_sign_everywhere(
    client_for, school, headteacher, account, aup, contractor
):
    services.account_member_add(
        account=account, actor=headteacher, user=contractor, role=MemberRole.ADMINISTRATOR
    )
    assert ITEM in sentences(contractor)
    assert to_sign_titles(contractor, school) == [aup.policy.title]
    assert (
        Notification.objects.filter(recipient=contractor, kind="account_aup_to_sign").count() == 1
    )
    assert policy_access.can_sign(contractor, fresh(aup))
    assert contractor.pk in {
        member.user_id for member in policy_selectors.required_members(fresh(aup).policy)
    }
    page = client_for(contractor).get(reverse("to_sign_list"))
    assert aup.policy.title in page.content.decode()

    sign(fresh(aup), contractor)
    assert ITEM not in sentences(contractor)
    assert to_sign_titles(contractor, school) == []


def test_someone_outside_the_signer_groups_who_runs_no_account_is_not_asked(
    client_for, school, account, aup, contractor
):
    assert ITEM not in sentences(contractor)
    assert to_sign_titles(contractor, school) == []
    assert not policy_access.can_sign(contractor, fresh(aup))
    with pytest.raises((PermissionDenied, ValidationError)):
        sign(fresh(aup), contractor)
    page = client_for(contractor).get(reverse("to_sign_list"))
    assert aup.policy.title not in page.content.decode()


def test_someone_who_has_signed_is_not_notified_when_made_a_poster(
    school, headteacher, account, aup
):
    teacher = person_in(school, Role.STAFF, full_name="Tess Teacher")
    sign(fresh(aup), teacher)
    services.account_member_add(
        account=account, actor=headteacher, user=teacher, role=MemberRole.POSTER
    )
    assert not Notification.objects.filter(recipient=teacher, kind="account_aup_to_sign").exists()
    assert ITEM not in sentences(teacher)


def test_leaving_the_account_ends_the_requirement(school, headteacher, account, aup, contractor):
    member = services.account_member_add(
        account=account, actor=headteacher, user=contractor, role=MemberRole.POSTER
    )
    services.account_member_remove(member=member, actor=headteacher)
    assert ITEM not in sentences(contractor)
    assert to_sign_titles(contractor, school) == []


@pytest.mark.parametrize("runs", [True, False])
@pytest.mark.parametrize("group", [StaffGroup.TEACHER, StaffGroup.CONTRACTOR])
def test_the_dashboard_item_shows_exactly_when_to_sign_lists_the_aup_for_people_running_one(
    school, headteacher, account, aup, runs, group
):
    person = person_in(school, Role.STAFF, full_name="Robin Runner", group=group)
    if runs:
        services.account_member_add(
            account=account, actor=headteacher, user=person, role=MemberRole.POSTER
        )
    listed = aup.policy.title in to_sign_titles(person, school)
    assert listed == (runs or group == StaffGroup.TEACHER)
    assert (ITEM in sentences(person)) == (runs and listed)
    assert bool(selectors.aup_to_sign(person, school)) == listed


def test_the_roll_up_counts_account_people_at_the_school_whose_account_they_run(
    school, sister_school, headteacher, sister_head, account, aup, contractor
):
    """The trust roll-up asks about every school at once (policies.governors.
    aup_coverage_by_school): its AUP figures are each school's own coverage figures. A
    contractor who runs this school's account must sign here; a member of both schools who runs
    only the sister school's account is asked only there."""
    from django.utils import timezone

    from policies.governors import AUP_KINDS, aup_coverage_by_school

    services.account_member_add(
        account=account, actor=headteacher, user=contractor, role=MemberRole.ADMINISTRATOR
    )
    both = person_in(school, Role.STAFF, full_name="Bea Both", group=StaffGroup.CONTRACTOR)
    MembershipFactory(
        user=both, school=sister_school, staff_group=StaffGroup.CONTRACTOR, roles=[Role.STAFF]
    )
    sister_aup = accounts_aup(sister_school, sister_head)
    account_for(sister_school, sister_head, [both, sister_head], name="Sister Sport")
    sign_aup(sister_aup, both)
    today = timezone.localdate()

    def own_figures(s):
        totals = [
            t
            for t in policy_selectors.coverage_totals_for_school(s, on=today)
            if t.version.policy.kind in AUP_KINDS
        ]
        return (sum(t.overall.signed for t in totals), sum(t.overall.required for t in totals))

    rolled_up = aup_coverage_by_school([school.pk, sister_school.pk], today)
    assert rolled_up[school.pk] == own_figures(school)
    assert rolled_up[sister_school.pk] == own_figures(sister_school)
    # The contractor runs this school's account only; Bea runs only the sister school's.
    here = {m.user_id for m in policy_selectors.required_members(aup.policy)}
    there = {m.user_id for m in policy_selectors.required_members(sister_aup.policy)}
    assert contractor.pk in here and both.pk not in here
    assert both.pk in there
    assert rolled_up[school.pk][1] == len(here)
    assert rolled_up[sister_school.pk][1] == len(there)
    assert rolled_up[sister_school.pk][0] >= 1  # Bea has signed
