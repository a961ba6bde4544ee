"""The reports' gateway (socialgov/reports/access.py): each rule with its own test."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from socialgov.people.roles import Role
from socialgov.reports import access
from tests.factories import (
    SchoolFactory,
    TrustFactory,
    TrustMembershipFactory,
    UserFactory,
    person_in,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fixture",
    ["governor", "chair", "safeguarding_governor", "clerk", "headteacher", "deputy_head", "dsl"],
)
def test_governors_leaders_and_the_dsl_see_their_school_report(request, school, fixture):
    person = request.getfixturevalue(fixture)
    assert access.report_school_get_for_user(person, school.pk) == school


def test_the_deputy_dsl_sees_the_report(school, deputy_dsl):
    assert access.can_see_report(deputy_dsl, school)


@pytest.mark.parametrize("fixture", ["staff", "office", "network_manager", "slt", "dpo"])
def test_other_members_of_the_school_are_refused(request, school, fixture):
    with pytest.raises(PermissionDenied):
        access.report_school_get_for_user(request.getfixturevalue(fixture), school.pk)


def test_a_person_of_another_school_gets_404(school, outsider):
    with pytest.raises(Http404):
        access.report_school_get_for_user(outsider, school.pk)


def test_a_missing_or_malformed_school_is_404(governor):
    for pk in (999999, "x", None):
        with pytest.raises(Http404):
            access.report_school_get_for_user(governor, pk)


def test_a_trust_executive_sees_the_reports_of_their_trusts_schools(
    school, sister_school, trust_executive
):
    assert access.report_school_get_for_user(trust_executive, school.pk) == school
    assert access.report_school_get_for_user(trust_executive, sister_school.pk) == sister_school


def test_a_trust_executive_gets_404_for_a_school_outside_their_trust(other_school, trust_executive):
    with pytest.raises(Http404):
        access.report_school_get_for_user(trust_executive, other_school.pk)


def test_the_trust_dsl_sees_the_roll_up(trust):
    user = UserFactory()
    TrustMembershipFactory(user=user, trust=trust, role="trust_dsl")
    assert access.rollup_trust_get_for_user(user, trust.pk) == trust


def test_a_trust_executive_sees_only_their_trusts_roll_up(trust, trust_executive):
    assert access.rollup_trust_get_for_user(trust_executive, trust.pk) == trust
    other = TrustFactory(name="Another Trust")
    with pytest.raises(Http404):
        access.rollup_trust_get_for_user(trust_executive, other.pk)


def test_school_people_do_not_see_the_roll_up(trust, headteacher, governor):
    for person in (headteacher, governor):
        with pytest.raises(Http404):
            access.rollup_trust_get_for_user(person, trust.pk)


def test_the_governor_of_a_school_in_another_trust_gets_404(school):
    elsewhere = SchoolFactory(trust=TrustFactory(name="Far Trust"))
    governor = person_in(elsewhere, Role.GOVERNOR)
    with pytest.raises(Http404):
        access.report_school_get_for_user(governor, school.pk)


def _kept_report(school, by):
    import datetime as dt
    import uuid

    from socialgov.reports.models import GeneratedReport
    from socialgov.uploads.services import stored_file_create_from_bytes

    stored = stored_file_create_from_bytes(
        school=school,
        created_by=by,
        content=b"%PDF-1.4 kept report",
        name="governors-report.pdf",
        content_type="application/pdf",
    )
    return GeneratedReport.objects.create(
        school=school,
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 11, 30),
        period_label="Autumn term 2026",
        generated_by=by,
        pdf=stored,
        sha256=stored.sha256,
        submission_key=uuid.uuid4(),
    )


def test_kept_reports_are_visible_to_the_report_roles_and_the_trusts_executives_only(
    school, sister_school, sister_head, governor, headteacher, dsl, staff, office,
    trust_executive, outsider,
):  # fmt: skip
    kept = _kept_report(school, governor)
    theirs = _kept_report(sister_school, sister_head)
    for person in (governor, headteacher, dsl):
        assert set(access.generated_report_visible_to(person)) == {kept}
        assert access.generated_report_get_for_user(person, kept.pk) == kept
    # The trust's executives read every school's kept reports in their trust.
    assert set(access.generated_report_visible_to(trust_executive)) == {kept, theirs}
    # Members without a report role, and everyone outside, get nothing and a 404.
    for person in (staff, office, outsider, sister_head):
        assert kept not in set(access.generated_report_visible_to(person))
        with pytest.raises(Http404):
            access.generated_report_get_for_user(person, kept.pk)


def test_an_executive_of_another_trust_sees_no_kept_report(school, governor):
    kept = _kept_report(school, governor)
    stranger = UserFactory(full_name="Other Exec", email="exec@elsewhere.test")
    TrustMembershipFactory(user=stranger, trust=TrustFactory(), role="trust_executive")
    assert not access.generated_report_visible_to(stranger).exists()
    with pytest.raises(Http404):
        access.generated_report_get_for_user(stranger, kept.pk)
