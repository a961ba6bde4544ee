"""The governors' report (socialgov.reports, incidents' section) is read by the headteacher and
the DSL team as well as governors: a closed concern about the headteacher leaves no summary of it
there; the summaries of other closed incidents are shown."""

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
