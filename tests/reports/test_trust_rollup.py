"""The trust roll-up's period: a school year or dates of one's choice (dd/mm/yyyy as on every
form), bad input answered with a message and 400, the same period in the PDF, the CSV and the
drill-down; open incidents and takedowns counted as at the period's last day, in Europe/London."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts_registry.models import TakedownCause, TakedownOutcome, TakedownTask
from incidents.reports.models import Category, Route
from socialgov.dates import DATE_MESSAGE
from socialgov.people.models import Membership
from socialgov.reports.period import year_period
from socialgov.reports.selectors import rollup_for
from socialgov.terms.selectors import academic_year_of
from tests.accounts_registry.conftest import account, aup, pupils  # noqa: F401 (fixtures)
from tests.accounts_registry.factories import draft
from tests.factories import TrustFactory
from tests.incidents.helpers import close, report, triage
from tests.reports.helpers import pdf_text

pytestmark = pytest.mark.django_db


def _url(trust, name="trust_rollup"):
    return reverse(name, args=[trust.pk])


def _local(year, month, day, hour=12, minute=0) -> dt.datetime:
    """A moment in Europe/London (the test settings' time zone, as production's)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def _years():
    """Year 1 and year 2: the two school years before this one (so the test never dates)."""
    this_year = academic_year_of(timezone.localdate())
    return this_year - 2, this_year - 1


def _csv_figures(response) -> dict[str, dict[str, str]]:
    """The roll-up's CSV as {school name: {column: value}}."""
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row["School"]: row for row in csv.DictReader(io.StringIO(body))}


def _incident(school, reporter, handler, category, reported_at, closed_at=None):
    """An incident reported (and closed) through the services at the moments given."""
    with time_machine.travel(reported_at, tick=False):
        incident = report(school, reporter, category)
    if closed_at is not None:
        with time_machine.travel(closed_at, tick=False):
            triage(incident, handler)
            close(incident, handler)
    return incident


@pytest.fixture
def history(
    school,
    sister_school,
    sister_head,
    headteacher,
    dsl,
    staff,
    account,  # noqa: F811
    pupils,  # noqa: F811
):
    """Incidents and takedowns of school A over year 1 and year 2, and how many of each are open
    at the end of year 1 (31 August, in summer time), of year 2, and of a range in year 2."""
    y1, y2 = _years()
    # Set-up only: everyone has been at their school since before year 1.
    Membership.objects.filter(school__in=[school, sister_school]).update(
        start_date=dt.date(y1 - 1, 9, 1)
    )

    def leadership(reported_at, closed_at=None):
        """A parent's online conduct: headteacher and SLT, not a sensitive group."""
        return _incident(
            school, staff, headteacher, Category.PARENT_CONDUCT, reported_at, closed_at
        )

    made = [
        # Reported in year 1 and closed in year 2: open at year 1's end only.
        leadership(_local(y1, 10, 10), _local(y2, 11, 15)),
        # Reported and closed within year 1: never open at a period's end.
        leadership(_local(y1 + 1, 1, 5), _local(y1 + 1, 6, 20)),
        # Reported in year 2 (on 1 March), still open.
        leadership(_local(y2 + 1, 3, 1)),
        # Reported on 1 March of year 2 and closed on 15 August: open at the end of July only.
        leadership(_local(y2 + 1, 3, 1), _local(y2 + 1, 8, 15)),
        # Reported in year 1, still open: open at every end.
        leadership(_local(y1, 10, 10)),
        # Closed at 23:30 on year 1's last day, London time: closed by its end.
        leadership(_local(y1, 10, 10), _local(y1 + 1, 8, 31, 23, 30)),
        # Closed at 00:30 the day after (23:30 on the last day in UTC): open at its end.
        leadership(_local(y1, 10, 10), _local(y1 + 1, 9, 1, 0, 30)),
    ]
    assert {i.route for i in made} == {Route.HEAD_AND_SLT}
    # A safeguarding disclosure (the DSL team's, a sensitive group) open over year 1's end.
    _incident(school, staff, dsl, Category.SAFEGUARDING, _local(y1, 11, 1), _local(y2, 10, 1))
    # The sister school: one incident open since year 1.
    _incident(sister_school, sister_head, sister_head, Category.PARENT_CONDUCT, _local(y1, 9, 20))

    posts = [draft(account, staff, pupils=pupils), draft(account, staff, pupils=pupils)]
    pairs = iter([(post, pupil) for post in posts for pupil in pupils])

    def takedown(created_at, closed_at=None):
        post, pupil = next(pairs)
        # Set-up only: the services make takedowns on a withdrawal, stamped now.
        TakedownTask.objects.create(
            school=school, post=post, pupil=pupil, cause=TakedownCause.DECISION,
            due_on=created_at.date() + dt.timedelta(days=2), created_at=created_at,
            closed_at=closed_at, outcome=TakedownOutcome.REMOVED if closed_at else "",
            done_on=closed_at.date() if closed_at else None,
        )  # fmt: skip

    takedown(_local(y1, 10, 1), _local(y2, 11, 1))  # open at year 1's end only
    takedown(_local(y2 + 1, 3, 1))  # made in year 2, still open
    takedown(_local(y2 + 1, 3, 1), _local(y2 + 1, 8, 15))  # open at the end of July only
    takedown(_local(y1, 10, 1))  # open at every end
    takedown(_local(y1, 10, 1), _local(y1 + 1, 8, 31, 23, 30))  # closed by year 1's end
    takedown(_local(y1, 10, 1), _local(y1 + 1, 9, 1, 0, 30))  # open at year 1's end
    return {
        "year 1": {
            "Open: leadership": "3",
            "Open: DSL team": "fewer than 3",
            "Open incidents": "at least 4",  # 4 in truth: the hidden one counted as 1
            "Takedowns open": "3",
        },
        "year 2": {
            "Open: leadership": "2",
            "Open: DSL team": "0",
            "Open incidents": "2",
            "Takedowns open": "2",
        },
        "sister": {"Open: leadership": "1", "Open incidents": "1", "Takedowns open": "0"},
    }


def _assert_figures(figures: dict[str, str], expected: dict[str, str]):
    assert {column: figures[column] for column in expected} == expected


def test_open_figures_are_counted_as_at_the_last_day_of_each_school_year(
    trust, school, sister_school, history
):
    y1, y2 = _years()
    for year, key in ((y1, "year 1"), (y2, "year 2")):
        rollup = rollup_for(trust, year_period(year))
        labels = [c.label for c in rollup.columns]
        by_school = {
            row.school: {label: str(f.value) for label, f in zip(labels, row.figures, strict=True)}
            for row in rollup.rows
        }
        _assert_figures(by_school[school], history[key])
        _assert_figures(by_school[sister_school], history["sister"])


def test_the_roll_up_of_a_school_year_by_its_url_counts_open_figures_at_its_end(
    client_for, trust, school, sister_school, trust_executive, history
):
    y1, _y2 = _years()
    client = client_for(trust_executive)
    response = client.get(_url(trust, "trust_rollup_csv"), {"period": f"year-{y1}"})
    assert response.status_code == 200
    figures = _csv_figures(response)
    _assert_figures(figures[school.name], history["year 1"])
    page = client.get(_url(trust), {"period": f"year-{y1}"})
    assert page.status_code == 200
    text = unescape(page.content.decode())
    assert f"Open figures are as at 31/08/{y1 + 1}" in text
    assert f"School year {y1}/{str(y1 + 1)[2:]}" in text


def test_a_range_in_uk_dates_is_honoured_by_the_page_its_pdf_and_its_csv(
    client_for, trust, school, sister_school, trust_executive, history, tmp_path
):
    _y1, y2 = _years()
    client = client_for(trust_executive)
    # A range in year 2 ending on 31 July: the year 1 incident closed in November is not open,
    # the one closed on 15 August is.
    query = {"period": "range", "starts_on": f"01/01/{y2 + 1}", "ends_on": f"31/07/{y2 + 1}"}
    label = f"01/01/{y2 + 1} to 31/07/{y2 + 1}"
    page = client.get(_url(trust), query)
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert label in html
    assert f"Open figures are as at 31/07/{y2 + 1}" in html

    # The page's own PDF, CSV and drill-down links carry the same period.
    links = re.findall(r'href="([^"]+)"', html)
    pdf_link = next(link for link in links if link.startswith(_url(trust, "trust_rollup_pdf")))
    csv_link = next(link for link in links if link.startswith(_url(trust, "trust_rollup_csv")))
    drill_down = reverse("governors_report", args=[school.pk]) + "?"
    school_link = next(link for link in links if link.startswith(drill_down))
    period_query = f"period=range&starts_on={y2 + 1}-01-01&ends_on={y2 + 1}-07-31"
    assert pdf_link.endswith(period_query) and csv_link.endswith(period_query)
    assert school_link.endswith(period_query)

    figures = _csv_figures(client.get(csv_link))
    # Open on 31 July: those open at the end of year 2, and the one of each closed in August.
    expected = {
        "Open: leadership": "3",
        "Open: DSL team": "0",
        "Open incidents": "3",
        "Takedowns open": "3",
    }
    _assert_figures(figures[school.name], expected)
    _assert_figures(figures[sister_school.name], history["sister"])

    pdf = client.get(pdf_link)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f"{y2 + 1}-01-01-to-{y2 + 1}-07-31.pdf" in pdf["Content-Disposition"]
    text = pdf_text(pdf.content, tmp_path)
    assert label in text
    assert f"Open figures are as at 31/07/{y2 + 1}" in text
    # The school's row (its name wraps): takedowns open, filtering review, then the incidents'
    # open, DSL team, staff conduct, leadership and network manager.
    first_words = " ".join(school.name.split()[:2])
    pdf_row = next(line for line in text.splitlines() if line.strip().startswith(first_words))
    cells = pdf_row.split()
    assert [cells[-7], *cells[-5:]] == ["3", "3", "0", "0", "3", "0"]


def test_a_range_ending_after_today_counts_open_figures_as_today(
    client_for, trust, school, trust_executive, history
):
    today = timezone.localdate()
    query = {
        "period": "range",
        "starts_on": f"{today - dt.timedelta(days=30):%d/%m/%Y}",
        "ends_on": f"{today + dt.timedelta(days=60):%d/%m/%Y}",
    }
    response = client_for(trust_executive).get(_url(trust), query)
    assert response.status_code == 200
    assert f"Open figures are as at {today:%d/%m/%Y}" in unescape(response.content.decode())


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"period": "range", "starts_on": "01/03/2026", "ends_on": "28/02/2026"},
            "The period must end on or after the day it starts.",
        ),
        ({"period": "range", "starts_on": "31/02/2026", "ends_on": "01/03/2026"}, DATE_MESSAGE),
        ({"period": "range", "starts_on": "yesterday", "ends_on": "01/03/2026"}, DATE_MESSAGE),
        ({"period": "range", "starts_on": "01/03/2026"}, "Enter the last day of the period."),
        (
            {"period": "range", "starts_on": "01/09/2020", "ends_on": "31/08/2026"},
            "A report covers at most three years.",
        ),
        (
            {"period": "year-1850"},
            "Choose a school year from the list, or dates of your choice.",
        ),
        ({"period": "year-abc"}, "Choose a school year from the list, or dates of your choice."),
        ({"year": "99999"}, "Choose a school year from the list, or dates of your choice."),
    ],
)
@pytest.mark.parametrize("name", ["trust_rollup", "trust_rollup_pdf", "trust_rollup_csv"])
def test_a_period_the_roll_up_cannot_cover_is_answered_with_a_message_and_400(
    client_for, trust, school, trust_executive, name, query, message
):
    response = client_for(trust_executive).get(_url(trust, name), query)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert message in html
    assert "Choose a period the roll-up can cover" in html
    assert 'rollup-table"' not in html  # no figures for a period that was not understood


def test_the_period_form_has_a_label_for_each_field(client_for, trust, school, trust_executive):
    html = client_for(trust_executive).get(_url(trust)).content.decode()
    for field in ("period", "starts_on", "ends_on"):
        assert re.search(rf'<label[^>]+for="id_{field}"', html), field
        assert f'id="id_{field}"' in html
    assert "Dates of your choice" in html


def test_the_earlier_year_links_still_work(client_for, trust, school, trust_executive):
    _y1, y2 = _years()
    response = client_for(trust_executive).get(_url(trust), {"year": str(y2)})
    assert response.status_code == 200
    assert f"School year {y2}/{str(y2 + 1)[2:]}" in response.content.decode()


def test_another_trusts_roll_up_stays_hidden_whatever_the_period(
    client_for, trust, trust_executive
):
    other = TrustFactory(name="Marshland Trust")
    client = client_for(trust_executive)
    for query in ({"period": "range", "starts_on": "31/02/2026"}, {"period": "year-2025"}):
        assert client.get(_url(other), query).status_code == 404


def test_a_school_year_of_the_roll_up_opens_in_each_schools_report(
    client_for, trust, school, trust_executive
):
    # The school has recorded no terms: its report still knows the roll-up's school years.
    y1, _y2 = _years()
    client = client_for(trust_executive)
    html = unescape(client.get(_url(trust), {"period": f"year-{y1}"}).content.decode())
    drill_down = reverse("governors_report", args=[school.pk]) + "?"
    link = next(link for link in re.findall(r'href="([^"]+)"', html) if link.startswith(drill_down))
    response = client.get(link)
    assert response.status_code == 200
    assert f"School year {y1}/{str(y1 + 1)[2:]}" in response.content.decode()
