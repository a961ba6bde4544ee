"""Official accounts in the governors' report (accounts_registry/governors.py): the figures
against the registry made here, no pupil or member of staff named; takedowns open per school."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts_registry.models import TakedownCause, TakedownTask
from socialgov.reports.period import range_period
from socialgov.reports.selectors import report_for, rollup_for
from tests.accounts_registry.conftest import account, aup, pupils  # noqa: F401 (fixtures)
from tests.accounts_registry.factories import draft

pytestmark = pytest.mark.django_db


def _period():
    today = timezone.localdate()
    return range_period(today - dt.timedelta(days=30), today)


def test_account_figures_equal_the_registry(
    trust,
    school,
    sister_school,
    account,  # noqa: F811
    pupils,  # noqa: F811
    staff,
    colleague,
):
    post = draft(account, staff, pupils=[pupils[0]])
    # Set-up only: one open takedown of the post (the services make them on a withdrawal).
    TakedownTask.objects.create(
        school=school, post=post, pupil=pupils[0], cause=TakedownCause.DECISION,
        due_on=timezone.localdate() + dt.timedelta(days=2),
    )  # fmt: skip
    content = next(
        s.content for s in report_for(school, _period()).sections if s.name == "accounts"
    )
    figures = {f.label: str(f.value) for f in content.figures}
    assert figures["Accounts in use"] == "1"
    assert figures["Accounts with fewer than two administrators"] == "0"
    assert figures["Takedowns in the period"] == "1"
    assert figures["Takedowns open now"] == "1"
    rows = next(t for t in content.tables if t.slug == "accounts").rows
    assert rows[0][0] == account.name and rows[0][5] == 2
    cells = " ".join(str(c) for t in content.tables for row in t.rows for c in row)
    assert pupils[0].legal_forename not in cells and staff.full_name not in cells

    rollup = rollup_for(trust, _period())
    column = [c.label for c in rollup.columns].index("Takedowns open")
    by_school = {row.school: row.figures[column].value for row in rollup.rows}
    assert by_school == {school: 1, sister_school: 0}
