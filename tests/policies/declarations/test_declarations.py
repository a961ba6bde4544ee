"""Declarations through the pages and the services: declaring, deciding, the yearly prompt,
history and notifications (issue 15)."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from policies.declarations import services
from policies.declarations.models import (
    Declaration,
    DeclarationConfirmation,
    DeclarationDecision,
    DeclarationStatus,
)
from socialgov.dates import today
from socialgov.notifications.models import Notification
from tests.policies.declarations.factories import decide, declaration_for

pytestmark = pytest.mark.django_db


def _form(**fields):
    return {
        "submission_key": str(uuid.uuid4()),
        "concerns": "family",
        "concerns_name": "My neighbour's daughter, Year 5",
        "nature": "We are friends with her parents on Facebook.",
        "platforms": "Facebook",
        "since": "01/09/2019",
        **fields,
    }


def test_staff_declare_and_the_headteacher_and_dsl_are_told(
    client_for, school, staff, headteacher, dsl, colleague
):
    response = client_for(staff).post(reverse("declaration_create"), _form())
    declaration = Declaration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("declaration_detail", args=[declaration.pk])
    assert declaration.declarer == staff and declaration.status == DeclarationStatus.AWAITING
    told = set(
        Notification.objects.filter(kind="declaration_new").values_list("recipient", flat=True)
    )
    assert told == {headteacher.pk, dsl.pk}
    # The notification names nobody.
    assert "neighbour" not in Notification.objects.first().title


def test_bad_input_is_refused_per_field_and_nothing_is_written(client_for, school, staff):
    response = client_for(staff).post(
        reverse("declaration_create"),
        _form(concerns="nonsense", concerns_name="", nature="  ", since="31/02/2020"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"concerns", "concerns_name", "nature", "since"}
    assert not Declaration.objects.exists()


def test_a_future_since_date_is_refused(client_for, school, staff):
    future = (today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    response = client_for(staff).post(reverse("declaration_create"), _form(since=future))
    assert "since" in response.context["form"].errors
    assert not Declaration.objects.exists()


def test_the_same_form_sent_twice_makes_one_declaration(client_for, school, staff, headteacher):
    data = _form()
    client = client_for(staff)
    client.post(reverse("declaration_create"), data)
    client.post(reverse("declaration_create"), data)
    assert Declaration.objects.count() == 1


def test_a_declaration_links_to_the_pupil_record(client_for, school, staff):
    from tests.consent.factories import pupil_for

    pupil = pupil_for(school)
    response = client_for(staff).post(
        reverse("declaration_create"), _form(concerns="pupil", pupil=str(pupil.pk))
    )
    assert response.status_code == 302
    assert Declaration.objects.get().pupil == pupil


def test_the_declaration_page_is_for_the_declarer_and_the_deciders_only(
    client_for, school, staff, headteacher, dsl, colleague, governor, outsider
):
    declaration = declaration_for(staff)
    url = reverse("declaration_detail", args=[declaration.pk])
    for person in (staff, headteacher, dsl):
        assert client_for(person).get(url).status_code == 200
    for person in (colleague, governor, outsider):
        assert client_for(person).get(url).status_code == 404


def test_the_declarations_list_shows_all_to_deciders_and_own_to_others(
    client_for, school, staff, colleague, dsl
):
    mine = declaration_for(staff)
    theirs = declaration_for(colleague)
    page = client_for(staff).get(reverse("declaration_list")).context["page"]
    assert [d.pk for d in page.object_list] == [mine.pk]
    page = client_for(dsl).get(reverse("declaration_list")).context["page"]
    assert {d.pk for d in page.object_list} == {mine.pk, theirs.pk}


def test_the_dsl_records_the_decision_and_the_declarer_sees_it(
    client_for, school, staff, dsl, headteacher
):
    declaration = declaration_for(staff)
    response = client_for(dsl).post(
        reverse("declaration_decide", args=[declaration.pk]),
        {
            "decisions_seen": "0",
            "outcome": "allowed",
            "advice": "Keep to family matters.",
            "conditions": "Never discuss school online.",
            "discussed_with": "Headteacher and DSL",
            "review_on": (today() + dt.timedelta(days=300)).strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.DECIDED
    assert declaration.outcome == "allowed"
    assert Notification.objects.filter(recipient=staff, kind="declaration_decided").exists()
    page = client_for(staff).get(reverse("declaration_detail", args=[declaration.pk]))
    assert b"Keep to family matters." in page.content


def test_a_decision_without_advice_is_refused(client_for, school, staff, dsl):
    declaration = declaration_for(staff)
    response = client_for(dsl).post(
        reverse("declaration_decide", args=[declaration.pk]),
        {
            "decisions_seen": "0",
            "outcome": "must_end",
            "advice": "   ",
            "review_on": (today() + dt.timedelta(days=30)).strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 200
    assert "advice" in response.context["form"].errors
    assert not DeclarationDecision.objects.exists()
    with pytest.raises(ValidationError) as refused:
        decide(declaration, dsl, advice="")
    assert "advice" in refused.value.message_dict
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.AWAITING


def test_allowed_with_conditions_needs_conditions_and_a_future_review(school, staff, dsl):
    declaration = declaration_for(staff)
    with pytest.raises(ValidationError) as refused:
        decide(declaration, dsl, conditions="", review_on=today())
    assert set(refused.value.message_dict) == {"conditions", "review_on"}


def test_the_declarer_cannot_decide_on_their_own_declaration(client_for, school, dsl, headteacher):
    own = declaration_for(dsl)
    response = client_for(dsl).get(reverse("declaration_decide", args=[own.pk]))
    assert response.status_code == 403


def test_a_decision_recorded_meanwhile_stops_a_second_one(school, staff, dsl, headteacher):
    declaration = declaration_for(staff)
    decide(declaration, dsl)
    with pytest.raises(ValidationError):
        decide(declaration, headteacher, decisions_seen=0)
    assert DeclarationDecision.objects.count() == 1


def test_a_review_is_a_new_decision_and_the_latest_is_in_force(school, staff, dsl, headteacher):
    declaration = declaration_for(staff)
    decide(declaration, dsl)
    declaration.refresh_from_db()
    decide(declaration, headteacher, outcome="must_end", advice="Unfriend the family.")
    declaration.refresh_from_db()
    assert declaration.outcome == "must_end" and declaration.decisions_made == 2
    assert list(declaration.decisions.values_list("sequence", flat=True)) == [2, 1]


def test_history_is_kept_for_declarations_and_decisions(client_for, school, staff, dsl):
    declaration = declaration_for(staff)
    decide(declaration, dsl)
    assert declaration.history.count() == 2
    assert DeclarationDecision.history.filter(declaration_id=declaration.pk).count() == 1
    assert declaration.history.earliest().history_user == staff
    response = client_for(dsl).get(reverse("declaration_history", args=[declaration.pk]))
    assert response.status_code == 200
    assert (
        client_for(staff).get(reverse("declaration_history", args=[declaration.pk])).status_code
        == 403
    )


def test_the_yearly_prompt_appears_for_staff_who_have_not_confirmed(
    client_for, school, staff, governor
):
    prompt = b"Confirm your declarations for"
    assert prompt in client_for(staff).get(reverse("dashboard")).content
    assert prompt not in client_for(governor).get(reverse("dashboard")).content
    response = client_for(staff).post(reverse("declaration_confirm"), {"kind": "nothing"})
    assert response.status_code == 302
    assert DeclarationConfirmation.objects.get().kind == "nothing"
    assert prompt not in client_for(staff).get(reverse("dashboard")).content


def test_the_prompt_comes_back_the_next_academic_year(client_for, school, staff):
    with time_machine.travel(dt.datetime(2027, 7, 1, 12, 0), tick=False):
        services.declaration_confirm(school=school, person=staff, kind="nothing")
    with time_machine.travel(dt.datetime(2027, 7, 20, 12, 0), tick=False):
        assert b"Confirm your declarations for" not in client_for(staff).get("/").content
    with time_machine.travel(dt.datetime(2027, 9, 2, 12, 0), tick=False):
        assert b"Confirm your declarations for 2027/28" in client_for(staff).get("/").content


def test_nothing_to_declare_is_refused_with_a_declaration_that_still_applies(school, staff):
    declaration_for(staff)
    with pytest.raises(ValidationError):
        services.declaration_confirm(school=school, person=staff, kind="nothing")
    confirmation, created = services.declaration_confirm(
        school=school, person=staff, kind="still_accurate"
    )
    assert created
    again, created = services.declaration_confirm(
        school=school, person=staff, kind="still_accurate"
    )
    assert not created and again == confirmation


def test_deciders_see_declarations_waiting_on_their_dashboard(client_for, school, staff, dsl):
    declaration_for(staff)
    content = client_for(dsl).get(reverse("dashboard")).content
    assert b"1 staff declaration to discuss and decide" in content


def test_a_declaration_due_for_review_is_a_dashboard_alert_and_a_reminder(
    school, staff, dsl, headteacher
):
    from policies.declarations.reminders import REVIEW
    from socialgov.reminders import registry
    from socialgov.reminders.services import reminders_send_due

    declaration = declaration_for(staff)
    decide(declaration, dsl, review_on=today() + dt.timedelta(days=10))
    day = today() + dt.timedelta(days=10)
    with registry.only(REVIEW):
        reminders_send_due(on=day)
        reminders_send_due(on=day)
    told = Notification.objects.filter(kind="declaration_review_due")
    assert sorted(told.values_list("recipient", flat=True)) == sorted([dsl.pk, headteacher.pk])


def test_a_review_not_done_is_reminded_again_every_week_until_it_is_recorded(
    client_for, school, staff, dsl, headteacher, mailoutbox, django_capture_on_commit_callbacks
):
    from policies.declarations.reminders import REVIEW
    from socialgov.reminders import registry
    from socialgov.reminders.services import reminders_send_due

    declaration = declaration_for(staff)
    decide(declaration, dsl, review_on=dt.date(2027, 3, 1))
    told = Notification.objects.filter(kind="declaration_review_due")
    due = b"1 declaration due for review"

    def run_on(day: dt.date) -> None:
        with (
            time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, 0), tick=False),
            django_capture_on_commit_callbacks(execute=True),
            registry.only(REVIEW),
        ):
            reminders_send_due(on=day)

    def dashboard_on(person, day: dt.date) -> bytes:
        with time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, 0), tick=False):
            return client_for(person).get(reverse("dashboard")).content

    run_on(dt.date(2027, 2, 28))  # the day before: nothing yet
    assert not told.exists()
    assert due not in dashboard_on(dsl, dt.date(2027, 2, 28))

    run_on(dt.date(2027, 3, 1))  # the review date
    assert sorted(told.values_list("recipient", flat=True)) == sorted([dsl.pk, headteacher.pk])
    assert due in dashboard_on(dsl, dt.date(2027, 3, 1))

    run_on(dt.date(2027, 3, 4))  # in between: no second reminder yet
    assert told.count() == 2

    run_on(dt.date(2027, 3, 8))  # a week later, still not reviewed: reminded again
    assert told.count() == 4
    assert told.filter(recipient=dsl).count() == 2
    assert not told.filter(recipient=staff).exists()
    assert due in dashboard_on(headteacher, dt.date(2027, 3, 8))
    assert len(mailoutbox) == 4
    assert "was due for review on 1 March 2027 and has not been reviewed yet" in (
        mailoutbox[-1].body
    )

    with time_machine.travel(dt.datetime(2027, 3, 10, 9, 0), tick=False):
        declaration.refresh_from_db()
        decide(declaration, headteacher, review_on=dt.date(2028, 3, 1))  # the review is done
    run_on(dt.date(2027, 3, 15))
    assert told.count() == 4
    assert due not in dashboard_on(dsl, dt.date(2027, 3, 15))


def test_the_confirmation_reminder_goes_on_the_first_of_the_month(school, staff, governor):
    from policies.declarations.reminders import CONFIRM
    from socialgov.reminders import registry
    from socialgov.reminders.services import reminders_send_due

    with registry.only(CONFIRM):
        reminders_send_due(on=dt.date(2027, 1, 2))
        assert not Notification.objects.filter(kind="declaration_confirm").exists()
        reminders_send_due(on=dt.date(2027, 1, 1))
    told = Notification.objects.filter(kind="declaration_confirm")
    assert list(told.values_list("recipient", flat=True)) == [staff.pk]


def test_ending_a_declaration(client_for, school, staff, dsl):
    declaration = declaration_for(staff)
    response = client_for(staff).post(reverse("declaration_end", args=[declaration.pk]))
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.ENDED


def test_the_export_is_for_deciders_and_neutralises_formulas(client_for, school, staff, dsl):
    declaration_for(staff, concerns_name="=HYPERLINK(1)")
    response = client_for(dsl).get(reverse("declaration_export"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body
    assert client_for(staff).get(reverse("declaration_export")).status_code == 403


def test_governors_are_not_offered_pupils_names(client_for, school, governor, staff):
    from tests.consent.factories import pupil_for

    pupil_for(school)
    assert (
        "pupil"
        not in client_for(governor).get(reverse("declaration_create")).context["form"].fields
    )
    assert "pupil" in client_for(staff).get(reverse("declaration_create")).context["form"].fields
