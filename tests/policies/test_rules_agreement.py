"""One definition per rule (policies/rules.py), and every page built on it agrees.

A matrix of version histories (a minor version, a major version, a major version approved but
never published, a signature on a later minor version, no signature) and of memberships (by staff
group, by role, neither, a governor, a leaver, someone leaving later): for every pair the expected
answer is written out by hand here, and the to-sign list, `has_valid_signature`, `can_sign`,
coverage of the version, the school's coverage totals, the signed-PDF zip's signatures and the
dashboard panel must all give it.
"""

import datetime as dt

import pytest
from django.utils import timezone

from policies import access as policy_access
from policies import selectors, services
from policies.models import ChangeSize, Signature
from socialgov.needs_me import PANELS
from socialgov.people.models import Membership
from socialgov.people.roles import Role, StaffGroup
from tests.factories import person_in
from tests.policies.factories import policy_for, published_version_for
from tests.policies.signing_helpers import sign

pytestmark = pytest.mark.django_db

TEXT = "# Policy\n\nVersion {n} of the text.\n"


def _publish(policy, headteacher, n, change):
    return published_version_for(policy, headteacher, text=TEXT.format(n=n), change=change)


def _sign(version, person):
    """A signature as the service makes it, or (for someone not asked to sign, e.g. after the
    policy's signers changed) written directly."""
    if policy_access.can_sign(person, version):
        return sign(version, person)
    return Signature.objects.create(
        version=version,
        signer=person,
        school=version.policy.school,
        signed_at=timezone.now(),
        text_sha256=version.text_sha256,
        statement="I agree.",
        typed_name=person.full_name,
    )


# Each history: build it for `signers` (who sign where the history says) and return the
# published version and whether those signers' signatures count for it.
def minor_after_signature(policy, head, signers):
    v1 = _publish(policy, head, 1, ChangeSize.MAJOR)
    for person in signers:
        _sign(v1, person)
    return _publish(policy, head, 2, ChangeSize.MINOR), True


def major_after_signature(policy, head, signers):
    v1 = _publish(policy, head, 1, ChangeSize.MAJOR)
    for person in signers:
        _sign(v1, person)
    return _publish(policy, head, 2, ChangeSize.MAJOR), False


def unpublished_major_between(policy, head, signers):
    v1 = _publish(policy, head, 1, ChangeSize.MAJOR)
    for person in signers:
        _sign(v1, person)
    services.version_submit(
        version=services.version_create_draft(
            policy=policy, actor=head, body_markdown="abandoned", change=ChangeSize.MAJOR
        ),
        actor=head,
    )
    abandoned = policy.versions.get(number=2)
    services.version_approve(version=abandoned, actor=policy_access.version_approvers(abandoned)[0])
    return _publish(policy, head, 3, ChangeSize.MINOR), True


def signed_the_current_minor(policy, head, signers):
    _publish(policy, head, 1, ChangeSize.MAJOR)
    v2 = _publish(policy, head, 2, ChangeSize.MINOR)
    for person in signers:
        _sign(v2, person)
    return v2, True


def never_signed(policy, head, signers):
    return _publish(policy, head, 1, ChangeSize.MAJOR), False


HISTORIES = [
    minor_after_signature,
    major_after_signature,
    unpublished_major_between,
    signed_the_current_minor,
    never_signed,
]


@pytest.fixture
def members(school, headteacher):
    """name → (person, must sign?). The policies ask teachers and the office role to sign."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    people = {
        "teacher": (person_in(school, Role.STAFF, group=StaffGroup.TEACHER), True),
        "office_by_role": (person_in(school, Role.OFFICE, group=StaffGroup.SUPPORT), True),
        "support_no_role": (person_in(school, Role.STAFF, group=StaffGroup.SUPPORT), False),
        "governor": (person_in(school, Role.GOVERNOR, group=StaffGroup.GOVERNOR), False),
        "leaver": (person_in(school, Role.OFFICE, group=StaffGroup.TEACHER), False),
        "leaving_later": (person_in(school, Role.STAFF, group=StaffGroup.TEACHER), True),
    }
    # Leaving dates are set after the histories are built (a leaver signed while still here).
    people["_dates"] = {
        "leaver": yesterday - dt.timedelta(days=0),
        "leaving_later": timezone.localdate() + dt.timedelta(days=30),
    }
    return people


def test_every_page_agrees_on_who_must_sign_and_which_signatures_count(
    school, headteacher, members
):
    dates = members.pop("_dates")
    signers = [person for person, _required in members.values()]
    built = []
    for history in HISTORIES:
        policy = policy_for(
            school,
            headteacher,
            title=history.__name__,
            signer_groups=[StaffGroup.TEACHER],
            signer_roles=[Role.OFFICE],
        )
        version, counts = history(policy, headteacher, signers)
        built.append((history.__name__, version, counts))
    for name, leaving in dates.items():
        person = members[name][0]
        Membership.objects.filter(user=person).update(
            leaving_date=leaving, start_date=leaving - dt.timedelta(days=400)
        )

    totals = {t.version.pk: t for t in selectors.coverage_totals_for_school(school)}
    to_sign_panel = PANELS.get("policies.to_sign")
    everyone = {**members, "headteacher": (headteacher, True)}
    for history, version, counts in built:
        coverage = selectors.coverage_for(version)
        rows = {row.person.pk: row for row in coverage.rows}
        zipped = {s.signer_id for s in selectors.signatures_counting_for(coverage)}
        for name, (person, required) in everyone.items():
            case = f"{history} / {name}"
            valid = counts and name != "headteacher"
            fresh = type(person).objects.get(pk=person.pk)  # no cached memberships
            to_sign = selectors.to_sign_for(fresh, school)
            assert (version in to_sign) == (required and not valid), case
            assert selectors.has_valid_signature(fresh, version) == valid, case
            assert policy_access.can_sign(fresh, version) == required, case
            assert (person.pk in rows) == required, case
            if required:
                assert rows[person.pk].has_signed == valid, case
            assert (person.pk in zipped) == (required and valid), case
            membership = Membership.objects.current().filter(user=person, school=school).first()
            if membership is not None:
                items = list(to_sign_panel.items(membership))
                assert sum(item.count for item in items) == len(to_sign), case
        required_people = [n for n, (_p, required) in everyone.items() if required]
        expected_signed = sum(1 for n in required_people if counts and n != "headteacher")
        assert coverage.overall.required == len(required_people), history
        assert coverage.overall.signed == expected_signed, history
        total = totals[version.pk]
        assert (total.overall.signed, total.overall.required) == (expected_signed, 4), history
        assert [(t.label, t.signed, t.required) for t in total.by_group] == [
            (t.label, t.signed, t.required) for t in coverage.by_group
        ], history
        assert [(t.label, t.signed, t.required) for t in total.by_role] == [
            (t.label, t.signed, t.required) for t in coverage.by_role
        ], history
