"""The governors' report (socialgov.reports, incidents' section) is read by the headteacher and
the DSL team as well as governors: a closed concern about the headteacher leaves no summary of it
there; the summaries of other closed incidents are shown."""

import re

from incidents.reports import services
from tests.incidents.helpers import client_as, close, concern_about, report, triage


def _report_page(user, school) -> str:
    response = client_as(user).get(f"/reports/schools/{school.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_closed_concern_about_the_headteacher_leaves_no_summary_in_the_report(
    school, headteacher, deputy_head, dsl, chair, staff
):
    bullying = triage(report(school, staff), dsl)
    close(bullying, dsl, governor_summary="Unkind group chat messages between pupils, resolved.")
    concern = triage(concern_about(school, deputy_head, headteacher), chair)
    services.incident_threshold_decide(
        incident=concern,
        actor=chair,
        threshold_met=False,
        reasons="Conduct short of the code, no risk to children.",
        context="Personal account contact with parents.",
        action_taken="Meeting arranged.",
    )
    close(concern, chair, governor_summary="A conduct matter was looked into and closed.")

    for person in (headteacher, dsl, chair):
        page = _report_page(person, school)
        assert "Unkind group chat messages between pupils, resolved." in page
        assert "A conduct matter was looked into and closed." not in page


def _without_the_drawn_at_line(page: str) -> str:
    # The report's main content, less when it was drawn and the forms' one-time values.
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r'value="[0-9a-f-]{36}"', 'value=""', main)
    return "\n".join(
        line
        for line in main.splitlines()
        if "drawn" not in line.lower() and "csrfmiddlewaretoken" not in line
    )


def test_a_concern_about_the_headteacher_leaves_no_count_in_the_report(
    school, headteacher, deputy_head, dsl, chair, staff
):
    triage(report(school, staff), dsl)
    before = {p.pk: _without_the_drawn_at_line(_report_page(p, school)) for p in (headteacher, dsl)}

    triage(concern_about(school, deputy_head, headteacher), chair)

    for person in (headteacher, dsl):
        # Not even "fewer than 3": the report reads exactly as it did before the concern.
        assert _without_the_drawn_at_line(_report_page(person, school)) == before[person.pk]
    assert "Concerns about members of staff are not in this report" in _report_page(chair, school)
