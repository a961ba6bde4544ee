"""Handling: reported → triaged → investigating → action taken → closed, each change with a
reason; the append-only chronology of actions; the ICT section; the case manager's harm
threshold with the LADO, low-level concerns and their patterns; the parents' escalation ladder;
closing with a debrief that flags policies for review through the policies app."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from incidents.reports import services
from incidents.reports.models import (
    ActionType,
    Category,
    EntryKind,
    HarmThreshold,
    IncidentEntry,
    Status,
)
from incidents.reports.selectors import incident_page
from policies.models import PolicyKind
from socialgov.notifications.models import Notification
from tests.incidents.helpers import (
    client_as,
    close,
    concern_about,
    parent,
    pupil,
    report,
    subject,
    triage,
)
from tests.policies.factories import policy_for


def _kinds(incident):
    return list(
        IncidentEntry.objects.filter(incident=incident)
        .order_by("happened_at", "pk")
        .values_list("kind", flat=True)
    )


def test_a_report_starts_the_chronology_with_its_routing(school, dsl, staff):
    incident = report(school, staff, Category.CYBERBULLYING)
    assert incident.reference == f"INC-{timezone.localdate().year}-0001"
    assert incident.status == Status.REPORTED
    assert _kinds(incident) == [EntryKind.REPORTED, EntryKind.ROUTED]


def test_references_count_per_school_and_year(school, other_school, staff, outsider):
    first = report(school, staff)
    second = report(school, staff)
    theirs = report(other_school, outsider)
    year = timezone.localdate().year
    assert [first.reference, second.reference] == [f"INC-{year}-0001", f"INC-{year}-0002"]
    assert theirs.reference == f"INC-{year}-0001"


def test_triage_confirms_category_severity_and_handler_and_tells_the_reporter(
    school, dsl, deputy_dsl, staff
):
    incident = report(school, staff, Category.CYBERBULLYING)
    services.incident_triage(
        incident=incident,
        actor=dsl,
        category=Category.CYBERBULLYING,
        severity="high",
        handler=deputy_dsl,
        reason="Sustained and affecting attendance.",
        external_reference="CPOMS-4411",
    )
    incident.refresh_from_db()
    assert (incident.status, incident.severity, incident.handler) == ("triaged", "high", deputy_dsl)
    assert incident.external_reference == "CPOMS-4411"
    assert incident.severity_reported == "medium"  # the report as made is kept
    assert Notification.objects.filter(recipient=deputy_dsl, kind="incident_assigned").exists()
    assert Notification.objects.filter(recipient=staff, kind="incident_report_update").exists()
    triaged = IncidentEntry.objects.get(incident=incident, kind=EntryKind.TRIAGED)
    assert "Reason: Sustained and affecting attendance." in triaged.notes


def test_triage_to_another_category_routes_it_again(school, dsl, network_manager, staff):
    incident = report(school, staff, Category.OTHER)
    triage(incident, dsl, handler=network_manager, category=Category.FILTER_BYPASS)
    assert incident.route == "ict"
    assert incident.category_reported == Category.OTHER
    assert client_as(dsl).get(f"/incidents/{incident.pk}/").status_code == 404
    assert client_as(network_manager).get(f"/incidents/{incident.pk}/").status_code == 200


def test_status_moves_only_along_the_table_and_always_with_a_reason(school, dsl, staff):
    incident = report(school, staff)
    with pytest.raises(ValidationError):
        services.incident_status_change(
            incident=incident, actor=dsl, status=Status.INVESTIGATING, reason="Too early."
        )
    triage(incident, dsl)
    with pytest.raises(ValidationError) as error:
        services.incident_status_change(
            incident=incident, actor=dsl, status=Status.INVESTIGATING, reason="  "
        )
    assert error.value.message_dict == {"reason": ["Give the reason for this change."]}
    with pytest.raises(ValidationError):
        services.incident_status_change(
            incident=incident, actor=dsl, status=Status.CLOSED, reason="Done."
        )
    services.incident_status_change(
        incident=incident, actor=dsl, status=Status.INVESTIGATING, reason="Speaking to both."
    )
    services.incident_status_change(
        incident=incident, actor=dsl, status=Status.ACTION_TAKEN, reason="Sanction given."
    )
    changes = IncidentEntry.objects.filter(incident=incident, kind=EntryKind.STATUS)
    assert [(e.status_from, e.status_to, e.notes) for e in changes] == [
        ("triaged", "investigating", "Speaking to both."),
        ("investigating", "action_taken", "Sanction given."),
    ]


def test_the_reporter_cannot_handle_their_report(school, dsl, staff):
    incident = report(school, staff)
    with pytest.raises(PermissionDenied):
        triage(incident, staff)
    client = client_as(staff)
    for step in ("triage", "status", "actions/add", "close", "history", "chronology.pdf"):
        suffix = step if step.endswith(".pdf") else f"{step}/"
        assert client.get(f"/incidents/{incident.pk}/{suffix}").status_code == 403, step


def test_the_reporter_sees_status_but_no_handling_notes(school, dsl, staff):
    incident = report(school, staff, Category.CYBERBULLYING, people=[pupil("Zara Example")])
    triage(incident, dsl, reason="Handling-notes-FROBOZZ")
    services.incident_action_record(
        incident=incident,
        actor=dsl,
        action_type=ActionType.PARENT_SPOKEN_TO,
        notes="Spoke to Zara's mother about the group chat.",
    )
    page = client_as(staff).get(f"/incidents/{incident.pk}/").content.decode()
    assert incident.reference in page and "Triaged" in page
    for hidden in ("FROBOZZ", "Zara", "mother", "Dev Singh", "Parent spoken to"):
        assert hidden not in page, hidden
    handler_page = client_as(dsl).get(f"/incidents/{incident.pk}/").content.decode()
    assert "FROBOZZ" in handler_page and "Zara" in handler_page


def test_actions_form_a_chronology_with_who_when_and_notes(school, dsl, deputy_dsl, staff):
    incident = report(school, staff)
    triage(incident, dsl)
    when = timezone.now() - dt.timedelta(days=2)
    services.incident_action_record(
        incident=incident,
        actor=dsl,
        action_type=ActionType.SUPPORT_OFFERED,
        done_by=deputy_dsl,
        happened_at=when,
        notes="Daily check-ins.",
    )
    entry = IncidentEntry.objects.get(incident=incident, kind=EntryKind.ACTION)
    assert (entry.done_by, entry.recorded_by, entry.happened_at) == (deputy_dsl, dsl, when)
    with pytest.raises(ValidationError):
        services.incident_action_record(
            incident=incident,
            actor=dsl,
            action_type=ActionType.POLICE,
            happened_at=timezone.now() + dt.timedelta(days=1),
            notes="",
        )


def test_a_correction_is_an_entry_beside_the_original(school, dsl, staff):
    incident = report(school, staff, description="It happened on Tuesday.")
    response = client_as(dsl).post(
        f"/incidents/{incident.pk}/entries/add/",
        {"kind": "correction", "notes": "It was Wednesday, not Tuesday."},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.description == "It happened on Tuesday."
    assert IncidentEntry.objects.filter(
        incident=incident, kind=EntryKind.CORRECTION, notes="It was Wednesday, not Tuesday."
    ).exists()


def test_the_network_manager_completes_the_ict_section_once(school, network_manager, dsl, staff):
    incident = report(school, staff, Category.INAPPROPRIATE_CONTENT)
    client = client_as(network_manager)
    response = client.post(
        f"/incidents/{incident.pk}/ict/",
        {"action_taken": "Site blocked.", "done_by": network_manager.pk, "done_on": "01/01/2026"},
    )
    assert response.status_code == 302
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Site blocked." in page
    with pytest.raises(ValidationError):
        services.incident_ict_record(
            incident=incident,
            actor=network_manager,
            action_taken="Again",
            done_by=network_manager,
            done_on=timezone.localdate(),
        )
    assert client_as(dsl).get(f"/incidents/{incident.pk}/ict/").status_code == 404


def test_harm_threshold_met_needs_when_the_lado_was_consulted(school, headteacher, dsl, staff):
    concern = concern_about(school, dsl, staff)
    with pytest.raises(ValidationError) as error:
        services.incident_threshold_decide(
            incident=concern, actor=headteacher, threshold_met=True, reasons="Risk to children."
        )
    assert "lado_consulted_at" in error.value.message_dict
    consulted = timezone.now() - dt.timedelta(hours=2)
    services.incident_threshold_decide(
        incident=concern,
        actor=headteacher,
        threshold_met=True,
        reasons="Risk to children.",
        lado_consulted_at=consulted,
    )
    concern.refresh_from_db()
    assert concern.harm_threshold == HarmThreshold.MET


def test_low_level_concerns_need_context_and_action_and_show_patterns(
    school, headteacher, dsl, staff
):
    first = concern_about(school, dsl, staff)
    with pytest.raises(ValidationError) as error:
        services.incident_threshold_decide(
            incident=first, actor=headteacher, threshold_met=False, reasons="No risk."
        )
    assert set(error.value.message_dict) == {"context", "action_taken"}
    services.incident_threshold_decide(
        incident=first,
        actor=headteacher,
        threshold_met=False,
        reasons="No risk.",
        context="Followed a parent on a personal account.",
        action_taken="Reminded of the code of conduct.",
    )
    second = concern_about(school, dsl, staff)
    page = incident_page(headteacher, second)
    assert page.earlier_low_level == [(page.subjects[0], [first])]
    html = client_as(headteacher).get(f"/incidents/{second.pk}/").content.decode()
    assert first.reference in html


def test_a_parents_postings_case_shows_where_it_stands_on_the_ladder(
    school, headteacher, slt, staff
):
    incident = report(school, staff, Category.ABUSIVE_POST, people=[parent()])
    triage(incident, headteacher)
    for action_type in (ActionType.PARENT_SPOKEN_TO, ActionType.WRITTEN_REQUEST):
        services.incident_action_record(
            incident=incident, actor=headteacher, action_type=action_type, notes=""
        )
    page = incident_page(headteacher, incident)
    assert page.ladder_stage.label == "Written request to remove"
    assert page.ladder_next.label == "Legal advice"
    html = client_as(headteacher).get(f"/incidents/{incident.pk}/").content.decode()
    assert 'This case stands at: <strong id="ladder-stage">Written request to remove' in html


def test_closing_needs_a_debrief_and_flags_policies_for_review(school, headteacher, dsl, staff):
    social_media = policy_for(
        school,
        headteacher,
        kind=PolicyKind.SOCIAL_MEDIA,
        title="Social media policy",
        signer_groups=[],
    )
    incident = report(school, staff)
    triage(incident, dsl)
    with pytest.raises(ValidationError) as error:
        services.incident_close(
            incident=incident, actor=dsl, reason="", lessons_learnt="", governor_summary=""
        )
    assert set(error.value.message_dict) == {"reason", "lessons_learnt", "governor_summary"}
    close(
        incident,
        dsl,
        policies=[social_media],
        policy_changes="Say how pupils report group chats.",
    )
    assert incident.status == Status.CLOSED and incident.closed_at is not None
    social_media.refresh_from_db()
    assert social_media.review_requested_by == dsl
    assert social_media.review_request_reason == "Say how pupils report group chats."
    assert Notification.objects.filter(
        recipient=headteacher, kind="policy_review_requested"
    ).exists()
    assert Notification.objects.filter(recipient=staff, kind="incident_report_update").count() == 2


def test_the_summary_for_governors_may_not_name_anyone(school, dsl, staff):
    incident = report(school, staff, people=[pupil("Zara Example")])
    triage(incident, dsl)
    with pytest.raises(ValidationError) as error:
        close(incident, dsl, governor_summary="Zara was bullied by classmates.")
    assert "Zara" in error.value.message_dict["governor_summary"][0]
    with pytest.raises(ValidationError):
        close(incident, dsl, governor_summary="Sam Staff reported bullying.")


def test_a_staff_concern_cannot_close_before_the_threshold_is_decided(
    school, headteacher, dsl, staff
):
    concern = concern_about(school, dsl, staff)
    triage(concern, headteacher)
    with pytest.raises(ValidationError) as error:
        close(concern, headteacher)
    assert "harm threshold" in str(error.value)


def test_naming_a_subject_on_the_page_reroutes_and_the_handler_stays_out(
    school, headteacher, dsl, staff, colleague
):
    incident = report(school, staff, Category.CYBERBULLYING)
    triage(incident, dsl)
    response = client_as(dsl).post(
        f"/incidents/{incident.pk}/people/add/",
        {"kind": "staff", "role": "alleged_perpetrator", "staff_member": colleague.pk},
    )
    assert response.status_code == 302 and response["Location"] == "/incidents/"
    incident.refresh_from_db()
    assert incident.route == "case_head" and incident.handler is None
    assert client_as(dsl).get(f"/incidents/{incident.pk}/").status_code == 404
    assert client_as(colleague).get(f"/incidents/{incident.pk}/").status_code == 404
    assert client_as(headteacher).get(f"/incidents/{incident.pk}/").status_code == 200
    assert not Notification.objects.filter(recipient=dsl, about_id=incident.pk).exists()


def test_a_subject_cannot_be_made_the_handler(school, headteacher, dsl, staff):
    concern = concern_about(school, dsl, staff)
    with pytest.raises(ValidationError) as error:
        triage(concern, headteacher, handler=staff)
    assert "subject" in error.value.message_dict["handler"][0]


def test_governors_figures_are_counts_with_small_numbers_suppressed(school, dsl, staff):
    from incidents.reports.selectors import incident_counts_for_governors

    for _ in range(2):
        report(school, staff, Category.SAFEGUARDING)
    for _ in range(4):
        report(school, staff, Category.PARENT_CONDUCT)
    report(school, staff, Category.CYBERBULLYING, people=[subject(dsl, "alleged_perpetrator")])
    today = timezone.localdate()
    counts = {
        c.category: c for c in incident_counts_for_governors(school, since=today, until=today)
    }
    assert counts[Category.SAFEGUARDING].shown == "fewer than 3"
    assert counts[Category.PARENT_CONDUCT].shown == "4"
    # Counted as staff conduct, not as the cyberbullying it was reported as.
    assert counts[Category.CYBERBULLYING].count == 0
    assert counts[Category.STAFF_CONDUCT].shown == "fewer than 3"
    assert counts[Category.OTHER].shown == "0"
    yesterday = today - dt.timedelta(days=1)
    assert not any(
        c.count for c in incident_counts_for_governors(school, since=yesterday, until=yesterday)
    )


def test_the_network_manager_who_triages_a_report_as_safeguarding_passes_it_on(
    school, network_manager, dsl, staff
):
    """The network manager does not see safeguarding categories, even one they triaged."""
    incident = report(school, staff, Category.INAPPROPRIATE_CONTENT)
    with pytest.raises(ValidationError) as error:
        triage(
            incident,
            network_manager,
            handler=network_manager,
            category=Category.SAFEGUARDING,
            safeguarding_kind="grooming",
        )
    assert "“DSL team”" in error.value.message_dict["handler"][0]
    incident.refresh_from_db()
    assert (incident.status, incident.category, incident.route) == (
        Status.REPORTED,
        Category.INAPPROPRIATE_CONTENT,
        "ict",
    )
    triage(
        incident,
        network_manager,
        handler=dsl,
        category=Category.SAFEGUARDING,
        safeguarding_kind="grooming",
    )
    assert incident.route == "dsl" and incident.handler == dsl
    assert client_as(network_manager).get(f"/incidents/{incident.pk}/").status_code == 404
    assert client_as(dsl).get(f"/incidents/{incident.pk}/").status_code == 200
