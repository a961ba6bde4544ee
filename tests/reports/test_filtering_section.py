"""Filtering and monitoring in the governors' report (incidents/filtering/governors.py): each
figure against the records made here; nobody named; the roll-up's review status per school."""

import datetime as dt

import pytest
from django.utils import timezone

from incidents.filtering.models import CheckResult, FilteringCheck
from incidents.filtering.services import unblock_request_decide
from socialgov.reports.period import range_period
from socialgov.reports.selectors import report_for, rollup_for
from tests.incidents.filtering.helpers import (
    approved,
    check_for,
    request_for,
    review_for,
    reviewed,
)

pytestmark = pytest.mark.django_db


def _period():
    today = timezone.localdate()
    return range_period(today - dt.timedelta(days=30), today)


def _content(school):
    return next(s.content for s in report_for(school, _period()).sections if s.name == "filtering")


@pytest.fixture
def record(school, staff, network_manager, headteacher, dsl, governor, slt):
    approved(request_for(school, staff), network_manager, headteacher)
    refused = reviewed(
        request_for(school, staff, url="https://games.example.net/"), network_manager
    )
    unblock_request_decide(
        request=refused, actor=headteacher, outcome="refused",
        reasons="Games are not needed for this lesson.", approved_until=None,
    )  # fmt: skip
    request_for(school, staff, url="https://waiting.example.org/")  # not decided yet
    check_for(school, network_manager)
    check_for(school, network_manager, result=CheckResult.NOT_BLOCKED, actions="Rule added.")
    review_for(school, headteacher, slt_lead=slt, dsl=dsl, governor=governor)


def test_the_filtering_figures_equal_the_record(school, record, staff, network_manager):
    content = _content(school)
    figures = {f.label: str(f.value) for f in content.figures}
    assert figures["Unblock requests decided"] == "2"
    assert figures["Checks in the period"] == str(FilteringCheck.objects.count()) == "2"
    assert figures["Checks not blocked as expected"] == "1"
    assert figures["Yearly review"].startswith("Held on ")
    decisions = {
        row[0]: row for row in next(t for t in content.tables if t.slug == "decisions").rows
    }
    assert set(decisions) == {
        "https://video.example.com/watch?v=volcano",
        "https://games.example.net/",
    }
    assert decisions["https://games.example.net/"][1:3] == [
        "Refused",
        "Games are not needed for this lesson.",
    ]
    cells = " ".join(str(c) for t in content.tables for row in t.rows for c in row)
    assert staff.full_name not in cells and network_manager.full_name not in cells


def test_the_roll_up_shows_each_schools_review_status(trust, school, sister_school, record):
    from socialgov.reports.period import year_period
    from socialgov.terms.selectors import academic_year_of

    rollup = rollup_for(trust, year_period(academic_year_of(timezone.localdate())))
    column = [c.label for c in rollup.columns].index("Filtering review")
    by_school = {row.school: str(row.figures[column].value) for row in rollup.rows}
    assert by_school[school].startswith("Held ")
    assert by_school[sister_school] == "Overdue"
