"""A school always keeps a headteacher (issue 8.1): the one rule in people selectors
(`headteacher_gap_after`), called by role changes, leavers and the staff import — in both orders
of two changes that together would leave the school without one."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from socialgov.people import selectors, services
from socialgov.people.models import Membership
from socialgov.people.roles import Role, StaffGroup
from socialgov.people.staff_import import Outcome, staff_import_preview
from tests.factories import MembershipFactory, person_in

TODAY = dt.date.today()
SUMMER = TODAY + dt.timedelta(days=60)
SPRING = TODAY + dt.timedelta(days=30)


@pytest.fixture
def second_head(school):
    return person_in(school, Role.HEADTEACHER, full_name="Harriet Second", email="h2@willow.test")


@pytest.fixture
def leaving_head(school):
    """A third headteacher, already recorded as leaving in the spring: someone who may still
    record others' changes (nobody records their own leaving)."""
    head = person_in(school, Role.HEADTEACHER, full_name="Lee Leaving", email="h3@willow.test")
    Membership.objects.filter(user=head).update(leaving_date=SPRING)
    return head


def membership(user):
    return Membership.objects.get(user=user)


def leave(who, *, by, on):
    return services.membership_end(membership=membership(who), actor=by, leaving_date=on)


def demote(who, *, by):
    return services.membership_update(
        membership=membership(who), actor=by, roles=[Role.STAFF], staff_group=StaffGroup.TEACHER
    )


# --- The rule itself ---------------------------------------------------------------------------


def test_the_rule_allows_a_change_when_another_headteacher_stays(school, headteacher, second_head):
    assert (
        selectors.headteacher_gap_after(school, losing={membership(headteacher).pk: TODAY}) is None
    )


def test_the_rule_names_the_day_the_school_would_first_have_no_headteacher(
    school, headteacher, second_head
):
    Membership.objects.filter(user=second_head).update(leaving_date=SUMMER)
    assert (
        selectors.headteacher_gap_after(school, losing={membership(headteacher).pk: SPRING})
        == SUMMER
    )
    assert (
        selectors.headteacher_gap_after(school, losing={membership(headteacher).pk: TODAY})
        == SUMMER
    )


def test_a_successor_starting_the_day_the_headteacher_leaves_is_cover(school, headteacher):
    successor = MembershipFactory(school=school, start_date=SUMMER, roles=[Role.HEADTEACHER])
    assert successor.start_date == SUMMER
    assert (
        selectors.headteacher_gap_after(school, losing={membership(headteacher).pk: SUMMER}) is None
    )
    # Leaving earlier leaves a gap until the successor starts.
    assert (
        selectors.headteacher_gap_after(school, losing={membership(headteacher).pk: SPRING})
        == SPRING
    )


def test_a_school_that_has_no_headteacher_is_not_blocked(school, dsl):
    assert selectors.headteacher_gap_after(school, losing={membership(dsl).pk: TODAY}) is None


def test_a_new_headteacher_in_the_same_change_is_cover(school, headteacher):
    assert (
        selectors.headteacher_gap_after(
            school, losing={membership(headteacher).pk: TODAY}, gaining=[(TODAY, None)]
        )
        is None
    )


# --- Two leavers, in either order ----------------------------------------------------------------


def test_two_headteachers_leaving_later_one_first_refuses_the_second(headteacher, second_head):
    leave(second_head, by=headteacher, on=SUMMER)
    with pytest.raises(ValidationError) as error:
        leave(headteacher, by=second_head, on=SPRING)
    assert "only headteacher" in error.value.messages[0]
    assert membership(headteacher).leaving_date is None


def test_two_headteachers_leaving_earlier_one_first_refuses_the_second(headteacher, second_head):
    leave(headteacher, by=second_head, on=SPRING)
    with pytest.raises(ValidationError) as error:
        leave(second_head, by=headteacher, on=SUMMER)
    assert f"from {SUMMER:%d/%m/%Y}" in error.value.messages[0]
    assert membership(second_head).leaving_date is None


# --- A leaver and a role change, in either order ----------------------------------------------


def test_the_role_cannot_be_taken_away_while_the_other_headteacher_is_leaving(
    headteacher, second_head
):
    leave(second_head, by=headteacher, on=SUMMER)
    with pytest.raises(ValidationError) as error:
        demote(headteacher, by=second_head)
    assert "only headteacher" in " ".join(error.value.messages)
    assert Role.HEADTEACHER in membership(headteacher).role_names


def test_once_the_role_is_taken_away_the_other_headteacher_cannot_be_recorded_as_leaving(
    headteacher, second_head, leaving_head
):
    demote(headteacher, by=second_head)
    with pytest.raises(ValidationError) as error:
        leave(second_head, by=leaving_head, on=SUMMER)
    assert f"from {SUMMER:%d/%m/%Y}" in error.value.messages[0]
    assert membership(second_head).leaving_date is None


def test_either_change_alone_is_allowed(headteacher, second_head):
    demote(headteacher, by=second_head)
    assert membership(headteacher).role_names == {Role.STAFF}


# --- The staff import, against a leaver already recorded and the other way round ---------------


def import_preview(school, actor, *lines):
    header = "name,email,staff group,roles\n"
    return staff_import_preview(
        school=school, actor=actor, csv_bytes=(header + "\n".join(lines) + "\n").encode()
    )


def test_the_import_cannot_take_the_role_from_one_headteacher_while_the_other_is_leaving(
    school, headteacher, second_head
):
    leave(second_head, by=headteacher, on=SUMMER)
    preview = import_preview(school, headteacher, f"Hannah Head,{headteacher.email},Teacher,Staff")
    assert preview.rows[0].outcome == Outcome.ERROR
    assert "without a headteacher" in preview.rows[0].errors[0]


def test_after_the_import_took_the_role_the_other_headteacher_cannot_leave(
    school, headteacher, second_head, leaving_head
):
    from socialgov.people.staff_import import staff_import_apply

    preview = import_preview(school, second_head, f"Hannah Head,{headteacher.email},Teacher,Staff")
    assert preview.rows[0].outcome == Outcome.UPDATE
    staff_import_apply(school=school, actor=second_head, preview=preview)
    assert membership(headteacher).role_names == {Role.STAFF}
    with pytest.raises(ValidationError):
        leave(second_head, by=leaving_head, on=SUMMER)


def test_the_import_cannot_take_the_role_from_both_headteachers_at_once(
    school, headteacher, second_head
):
    preview = import_preview(
        school,
        headteacher,
        f"Harriet Second,{second_head.email},Teacher,Staff",
        f"Hannah Head,{headteacher.email},Teacher,Staff",
    )
    assert [r.outcome for r in preview.rows] == [Outcome.ERROR, Outcome.ERROR]
