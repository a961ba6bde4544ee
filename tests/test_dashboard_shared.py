"""One drawing of the dashboard works a figure out once when several panels read it
(socialgov.needs_me.shared), and the figures read that way are the ones computed on their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socialgov.needs_me import one_drawing, shared

pytestmark = pytest.mark.django_db


def test_shared_computes_once_per_key_within_one_drawing_and_every_time_outside():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert shared("k", compute) == 1
    assert shared("k", compute) == 2  # no drawing: nothing kept
    with one_drawing():
        assert shared("k", compute) == 3
        assert shared("k", compute) == 3
        assert shared("other", compute) == 4
    with one_drawing():  # a new drawing starts afresh
        assert shared("k", compute) == 5
    assert len(calls) == 5


def test_the_headteachers_dashboard_reads_the_schools_policy_coverage_once(
    client_for, school, headteacher, staff
):
    """The coverage panel and the strip's AUP figure read the same totals: one reading of the
    signatures per page."""
    from tests.policies.factories import policy_for, published_version_for

    published_version_for(policy_for(school, headteacher), headteacher)
    client = client_for(headteacher)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    signatures = [
        q["sql"] for q in captured.captured_queries if 'FROM "policies_signature"' in q["sql"]
    ]
    distinct_reads = [sql for sql in signatures if "DISTINCT" in sql]
    assert len(distinct_reads) == 1, distinct_reads


def test_the_strips_aup_figure_equals_the_roll_ups_for_the_school(
    school, headteacher, staff, office
):
    """Read from the coverage totals (the dashboard) or person by person (the roll-up and the
    governors' report): the same signed and required pairs."""
    from policies.governors import _headline_aup, aup_coverage_by_school
    from policies.models import PolicyKind
    from socialgov import access
    from socialgov.people.roles import Role, StaffGroup
    from tests.factories import person_in
    from tests.policies.factories import policy_for, published_version_for
    from tests.policies.signing_helpers import sign

    aup = policy_for(school, headteacher, kind=PolicyKind.STAFF_AUP, title="Staff AUP")
    version = published_version_for(aup, headteacher)
    teachers = [person_in(school, Role.STAFF, group=StaffGroup.TEACHER) for _ in range(4)]
    for person in teachers[:3]:
        sign(version, person)
    signed, required = aup_coverage_by_school([school.pk], timezone.localdate())[school.pk]
    assert 0 < signed < required
    membership = access.membership_in(headteacher, school)
    membership.user = headteacher
    headline = _headline_aup(membership)
    assert headline is not None
    assert headline.value == f"{round(100 * signed / required)}%"


def test_the_headteachers_dashboard_counts_open_incidents_once(
    client_for, school, headteacher, staff
):
    """The incidents panel and the strip's open incidents read the same counts: one count of the
    school's open incidents per page, and the figure still shown."""
    from tests.incidents.helpers import report

    report(school, staff, "parent_conduct")
    client = client_for(headteacher)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert "Open incidents" in response.content.decode()
    counts = [
        q["sql"]
        for q in captured.captured_queries
        # the unread-notifications badge also names incidents, in a subquery: not a count
        if 'FROM "incidents_incident"' in q["sql"]
        and "COUNT(" in q["sql"]
        and "notifications_notification" not in q["sql"]
    ]
    assert len(counts) == 1, counts


@pytest.mark.parametrize(
    ("change", "first_signature_counts"),
    [("minor", True), ("major", False)],
)
def test_the_roll_ups_aup_figure_counts_signatures_of_the_versions_that_count(
    school, headteacher, change, first_signature_counts
):
    """A signature of version 1 still counts for a minor version 2 and not for a major one
    (policies.rules.counting_from): the roll-up, which checks each signature's version itself,
    agrees with the coverage totals of the dashboard, which ask the database."""
    from policies import selectors as policy_selectors
    from policies.governors import aup_coverage_by_school
    from policies.models import ChangeSize, PolicyKind
    from socialgov.people.roles import Role, StaffGroup
    from tests.factories import person_in
    from tests.policies.factories import policy_for, published_version_for
    from tests.policies.signing_helpers import sign

    aup = policy_for(school, headteacher, kind=PolicyKind.STAFF_AUP, title="Staff AUP")
    first = published_version_for(aup, headteacher)
    early, late, never = (person_in(school, Role.STAFF, group=StaffGroup.TEACHER) for _ in "abc")
    sign(first, early)
    second = published_version_for(aup, headteacher, change=ChangeSize(change))
    sign(second, late)
    today = timezone.localdate()
    signed, required = aup_coverage_by_school([school.pk], today)[school.pk]
    (totals,) = [
        t for t in policy_selectors.coverage_totals_for_school(school, on=today)
        if t.version.pk == second.pk
    ]  # fmt: skip
    assert (signed, required) == (totals.overall.signed, totals.overall.required)
    teachers = {early.pk, late.pk, never.pk}
    assert teachers <= {m.user_id for m in policy_selectors.required_members(aup)}
    assert signed == (2 if first_signature_counts else 1)


def test_a_member_of_staff_who_runs_an_account_has_their_to_sign_list_read_once(
    client_for, school, headteacher, staff, dsl
):
    """Policies' "to sign" panel and official accounts' AUP item both read the person's list
    (policies.selectors.to_sign_for): once per drawing of the dashboard, both items shown."""
    from policies.models import PolicyKind
    from tests.accounts_registry.factories import account_for, accounts_aup
    from tests.policies.factories import policy_for, published_version_for

    accounts_aup(school, headteacher)
    published_version_for(
        policy_for(school, headteacher, kind=PolicyKind.STAFF_AUP, title="Staff AUP"),
        headteacher,
    )
    account_for(school, headteacher, [staff, dsl])
    client = client_for(staff)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    html = response.content.decode()
    assert "Sign the official-accounts acceptable use policy before you post" in html
    assert "2 policies to sign" in html
    validity_reads = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "policies_policyversion"' in q["sql"] and 'FROM "policies_signature"' in q["sql"]
    ]
    assert len(validity_reads) == 1, validity_reads
