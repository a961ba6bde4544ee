"""Training in the governors' report (socialgov/training/governors.py): the figures against the
training log made here, small groups hidden, and the roll-up's share in date per school."""

import datetime as dt

import pytest
from django.utils import timezone

from socialgov.people.roles import Role, StaffGroup
from socialgov.reports.period import range_period, year_period
from socialgov.reports.selectors import report_for, rollup_for
from socialgov.terms.selectors import academic_year_of
from tests.factories import person_in
from tests.training.factories import attended, session_in

pytestmark = pytest.mark.django_db


def _period():
    today = timezone.localdate()
    return range_period(today - dt.timedelta(days=30), today)


@pytest.fixture
def trained(school, headteacher, office):
    teachers = [person_in(school, Role.STAFF, full_name=f"Teacher {n}") for n in range(4)]
    volunteer = person_in(school, Role.STAFF, group=StaffGroup.VOLUNTEER, full_name="Val Volunteer")
    session = session_in(school, held_on=timezone.localdate() - dt.timedelta(days=5))
    attended(session, *teachers[:3])
    return {"teachers": teachers, "volunteer": volunteer}


def test_training_figures_equal_the_log(school, trained):
    content = next(
        s.content for s in report_for(school, _period()).sections if s.name == "training"
    )
    rows = {row[0]: row for row in next(t for t in content.tables if t.slug == "coverage").rows}
    from socialgov.people.models import Membership

    teachers = Membership.objects.current().filter(school=school, staff_group="teacher").count()
    assert rows["Teacher"][1] == teachers
    assert rows["Teacher"][2] == f"{round(100 * 3 / teachers)}%"
    assert rows["Volunteer"][1:] == ["fewer than 3", "–", "–", "–", "–"]
    sessions = {
        row[0]: row[1] for row in next(t for t in content.tables if t.slug == "sessions").rows
    }
    assert sessions["Induction"] == 1
    cells = " ".join(str(c) for t in content.tables for row in t.rows for c in row)
    assert "Teacher 0" not in cells and "Val Volunteer" not in cells


def test_the_roll_up_shows_training_in_date_per_school(trust, school, sister_school, trained):
    rollup = rollup_for(trust, year_period(academic_year_of(timezone.localdate())))
    column = [c.label for c in rollup.columns].index("Training in date")
    by_school = {row.school: str(row.figures[column].value) for row in rollup.rows}
    assert by_school[sister_school] == "–"  # nobody on its log
    assert by_school[school].endswith("%")


def test_the_roll_ups_training_states_are_the_full_rows_states(
    trust, school, sister_school, trained, sister_head
):
    from socialgov.training.selectors import training_of_schools, training_states_of_schools

    old = session_in(school, held_on=timezone.localdate() - dt.timedelta(days=400))
    attended(old, trained["teachers"][3])
    refresher = session_in(school, kind="refresher", held_on=timezone.localdate())
    attended(refresher, trained["teachers"][0])
    ids = [school.pk, sister_school.pk]
    for on in (timezone.localdate(), timezone.localdate() + dt.timedelta(days=340)):
        full = sorted((row.membership.school_id, row.state) for row in training_of_schools(ids, on))
        assert sorted(training_states_of_schools(ids, on)) == full
        assert len({state for _school, state in full}) > 1
