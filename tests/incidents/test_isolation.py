"""Headteacher isolation (issue 13, "Must show"): with a concern whose subject is the headteacher,
the headteacher finds it nowhere — list, detail (404), search, dashboard counts, notifications,
history, the access log and every export — and everything they see is exactly as before; the
chair sees and handles it. The same holds for any subject."""

import pytest
from django.urls import reverse

from incidents.reports import services
from incidents.reports.models import Category, HarmThreshold, Route, Status
from incidents.reports.needs_me import PANELS as INCIDENT_PANELS
from socialgov.needs_me import PANELS, needs_me_for
from tests.incidents.helpers import (
    client_as,
    concern_about,
    evidence_upload,
    report,
    subject,
    triage,
)

INCIDENT_URLS = [
    "incident_detail",
    "incident_history",
    "incident_chronology_pdf",
    "incident_triage",
    "incident_assign",
    "incident_status",
    "incident_action_add",
    "incident_entry_add",
    "incident_person_add",
    "incident_evidence_add",
    "incident_ict",
    "incident_threshold",
    "incident_imagery",
    "incident_close",
]


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def what_they_see(client, user) -> dict:
    """Everything a person sees that could mention an incident, as plain values."""
    seen = {}
    response = client.get("/incidents/", {"show": "all"})
    seen["list"] = [i.reference for i in response.context["page"].object_list]
    seen["list_count"] = response.context["page"].paginator.count
    seen["mine"] = [i.reference for i in client.get("/incidents/mine/").context["page"].object_list]
    seen["csv"] = _csv(client.get("/incidents/export.csv", {"show": "all"}))
    seen["dashboard"] = [
        (group.school.pk, item.count, item.sentence, item.url)
        for group in needs_me_for(type(user).objects.get(pk=user.pk))
        for item in group.items
    ]
    response = client.get("/notifications/")
    seen["notifications"] = [(n.title, n.url) for n in response.context["page"].object_list]
    seen["unread"] = response.context["notifications_unread"] + 0
    # The log, as distinct (who, what) pairs: the person's own export above adds an entry about
    # each incident in it on every call, which is not a change in what they may see.
    log = client.get("/audit/access-log/")
    if log.status_code == 200:
        seen["access_log"] = sorted(
            {(e.person_id, e.object_id) for e in log.context["page"].object_list}
        )
        lines = _csv(client.get("/audit/access-log/export.csv")).splitlines()
        seen["access_log_csv"] = sorted({line.partition(",")[2] for line in lines})
    else:
        seen["access_log"] = log.status_code
    return seen


def assert_hidden_everywhere(client, incident):
    for name in INCIDENT_URLS:
        url = reverse(name, args=[incident.pk])
        assert client.get(url).status_code == 404, f"GET {name}"
        assert client.post(url).status_code == 404, f"POST {name}"
    assert client.post(reverse("incident_reroute", args=[incident.pk])).status_code == 404
    for evidence in incident.evidence.all():
        url = reverse("incident_evidence_download", args=[incident.pk, evidence.pk])
        assert client.get(url).status_code == 404, "GET incident_evidence_download"
    for query in (incident.reference, "colleague's conduct"):
        response = client.get("/incidents/", {"show": "all", "q": query})
        assert incident not in response.context["page"].object_list


@pytest.fixture
def school_with_people(school, headteacher, deputy_head, dsl, slt, chair, staff, network_manager):
    return school


def _baseline(school, headteacher, dsl, staff):
    """Incidents the people may see, so there is something to compare with."""
    parent_posts = report(school, staff, Category.PARENT_CONDUCT)  # headteacher and SLT
    bullying = report(school, staff, Category.CYBERBULLYING)  # DSL team
    triage(parent_posts, headteacher)
    return [parent_posts, bullying]


def test_headteacher_cannot_see_concern_about_themselves_anywhere(
    school_with_people, headteacher, deputy_head, dsl, chair, staff
):
    school = school_with_people
    _baseline(school, headteacher, dsl, staff)
    head = client_as(headteacher)
    before = what_they_see(head, headteacher)
    assert before["list_count"] == 1  # the parent's postings

    concern = concern_about(
        school,
        deputy_head,
        headteacher,
        description="The headteacher's colleague's conduct on a personal account.",
        evidence=[evidence_upload()],
    )
    assert concern.route == Route.CASE_MANAGER_CHAIR
    # The chair reads it, handles it and records decisions: all of it stays away from the head.
    chair_client = client_as(chair)
    assert chair_client.get(f"/incidents/{concern.pk}/").status_code == 200
    assert chair_client.get(f"/incidents/{concern.pk}/history/").status_code == 200
    triage(concern, chair)
    services.incident_threshold_decide(
        incident=concern,
        actor=chair,
        threshold_met=False,
        reasons="Conduct short of the code, no risk to children.",
        context="Personal account contact with parents.",
        action_taken="Meeting arranged.",
    )
    pdf = chair_client.get(f"/incidents/{concern.pk}/chronology.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    evidence = concern.evidence.get()
    assert chair_client.get(f"/incidents/{concern.pk}/evidence/{evidence.pk}/").status_code == 200
    assert concern.reference in _csv(chair_client.get("/incidents/export.csv", {"show": "all"}))
    # The DSL (who also sees the access log) reads what they can: their view changes for the
    # right reasons only, and the head's not at all.
    after = what_they_see(head, headteacher)
    assert after == before
    assert_hidden_everywhere(head, concern)
    assert concern.reference not in after["csv"]


def test_the_chair_sees_and_handles_a_concern_about_the_headteacher(
    school_with_people, headteacher, deputy_head, chair
):
    concern = concern_about(school_with_people, deputy_head, headteacher)
    client = client_as(chair)
    listed = client.get("/incidents/").context["page"].object_list
    assert list(listed) == [concern]
    sentences = [i.sentence for g in needs_me_for(chair) for i in g.items]
    assert "1 new incident report to triage" in sentences
    assert [n.url for n in client.get("/notifications/").context["page"].object_list] == [
        f"/incidents/{concern.pk}/"
    ]
    response = client.post(
        f"/incidents/{concern.pk}/triage/",
        {
            "category": Category.STAFF_CONDUCT,
            "severity": "medium",
            "handler": chair.pk,
            "reason": "I am case manager: the concern is about the headteacher.",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/incidents/{concern.pk}/threshold/",
        {
            "threshold_met": "yes",
            "reasons": "A possible risk to children.",
            "lado_consulted_on": "01/01/2026",
            "lado_consulted_time": "10:30",
            "lado_advice": "Strategy meeting to follow.",
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == Status.TRIAGED
    assert concern.harm_threshold == HarmThreshold.MET
    assert concern.handler == chair


@pytest.mark.parametrize("who", ["dsl", "staff", "network_manager", "slt", "deputy_head"])
def test_any_subject_finds_the_concern_nowhere(
    request, client_for, school_with_people, headteacher, dsl, staff, who
):
    """The same for any member of staff named as subject, whatever roles they hold."""
    school = school_with_people
    person = request.getfixturevalue(who)
    _baseline(school, headteacher, dsl, staff)
    client = client_as(person)
    before = what_they_see(client, person)
    reporter = headteacher if person != headteacher else dsl
    concern = concern_about(school, reporter, person)
    assert concern.route == Route.CASE_MANAGER_HEAD
    client_as(headteacher).get(f"/incidents/{concern.pk}/")  # read (and logged) by the head
    triage(concern, headteacher)
    assert what_they_see(client, person) == before
    assert_hidden_everywhere(client, concern)


def test_a_subject_who_reported_it_loses_even_its_status(school_with_people, staff):
    """Nobody sees an incident in which they are a subject, not even as its reporter."""
    incident = report(school_with_people, staff, Category.STAFF_CONDUCT, people=[subject(staff)])
    client = client_as(staff)
    assert client.get(f"/incidents/{incident.pk}/").status_code == 404
    assert list(client.get("/incidents/mine/").context["page"].object_list) == []


def test_naming_the_headteacher_after_routing_takes_it_away_from_them(
    school_with_people,
    headteacher,
    slt,
    chair,
    staff,
    django_capture_on_commit_callbacks,
):
    """Re-routed at once: the head's list, counts and notifications lose it; the chair gains it."""
    incident = report(school_with_people, staff, Category.PARENT_CONDUCT)
    head = client_as(headteacher)
    assert head.get(f"/incidents/{incident.pk}/").status_code == 200
    assert [n.url for n in head.get("/notifications/").context["page"].object_list] == [
        f"/incidents/{incident.pk}/"
    ]
    services.incident_person_add(incident=incident, actor=slt, person=subject(headteacher))
    incident.refresh_from_db()
    assert incident.route == Route.CASE_MANAGER_CHAIR
    assert head.get(f"/incidents/{incident.pk}/").status_code == 404
    assert list(head.get("/notifications/").context["page"].object_list) == []
    assert head.get("/notifications/").context["notifications_unread"] == 0
    # Incident reports' own panels (the filtering panels warn the headteacher about other things).
    with PANELS.only(*INCIDENT_PANELS):
        assert not [i for g in needs_me_for(headteacher) for i in g.items]
    from socialgov.notifications.models import Notification

    assert not Notification.objects.filter(recipient=headteacher).exists()  # withdrawn
    assert Notification.objects.filter(recipient=chair, kind="incident_routed").count() == 1
    assert client_as(chair).get(f"/incidents/{incident.pk}/").status_code == 200
