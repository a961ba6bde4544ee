"""The pages through the client: who may open what, each step's form with its errors, the
decision log's filters and CSV, the check log, the roles and the reviews (HTML and PDF)."""

import datetime as dt

import pytest
from django.utils.html import escape

from incidents.filtering.models import (
    FilteringCheck,
    FilteringReview,
    RequestStatus,
    UnblockRequest,
)
from socialgov.dates import today
from tests.incidents.filtering.helpers import (
    approved,
    check_for,
    request_for,
    review_for,
    reviewed,
    unblocked,
)

pytestmark = pytest.mark.django_db


def _uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _request_form(**fields):
    data = {
        "submission_key": "5a0c4c1e-8d8e-4d87-9d27-3f7ad3f0c001",
        "url": "https://Video.Example.com/watch?v=volcano",
        "site_contents": "Science videos.",
        "reasons": "A Year 5 lesson on volcanoes.",
        "risks": "Adverts beside the video.",
        "control_measures": "Shown from the teacher's screen.",
        "scope": "requester",
        "scope_detail": "",
        "end_date": _uk(today() + dt.timedelta(days=14)),
    }
    data.update(fields)
    return data


def test_a_teacher_asks_and_sees_their_request(client_for, school, staff, network_manager):
    client = client_for(staff)
    response = client.post("/incidents/filtering/requests/new/", _request_form())
    unblock = UnblockRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/filtering/requests/{unblock.pk}/"
    assert unblock.url == "https://video.example.com/watch?v=volcano"
    page = client.get(response["Location"]).content.decode()
    assert unblock.reference in page and "Waiting for the network manager" in page
    assert unblock.reference in client.get("/incidents/filtering/").content.decode()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.com/", "not a url"]
)
def test_a_bad_address_gets_a_clear_message_and_nothing_is_saved(client_for, staff, url):
    response = client_for(staff).post("/incidents/filtering/requests/new/", _request_form(url=url))
    assert response.status_code == 200
    (message,) = response.context["form"].errors["url"]
    assert "web address" in message and escape(message) in response.content.decode()
    assert not UnblockRequest.objects.exists()


def test_every_missing_field_gets_its_own_message(client_for, staff):
    response = client_for(staff).post(
        "/incidents/filtering/requests/new/",
        _request_form(
            url="",
            site_contents="",
            reasons="",
            risks="",
            control_measures="",
            end_date="31/02/2026",
            scope="class",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"url", "site_contents", "reasons", "risks", "control_measures", "end_date"} <= set(
        errors
    )
    assert not UnblockRequest.objects.exists()


def test_a_double_submit_makes_one_request(client_for, staff):
    client = client_for(staff)
    client.post("/incidents/filtering/requests/new/", _request_form())
    again = client.post("/incidents/filtering/requests/new/", _request_form())
    assert again.status_code == 302
    assert UnblockRequest.objects.count() == 1


def test_the_steps_through_their_pages(client_for, school, staff, network_manager, headteacher):
    unblock = request_for(school, staff)
    base = f"/incidents/filtering/requests/{unblock.pk}"
    nm = client_for(network_manager)
    assert nm.get(f"{base}/review/").status_code == 200
    response = nm.post(
        f"{base}/review/", {"technical_notes": "Video category.", "never_unblock": ""}
    )
    assert response.status_code == 302
    head = client_for(headteacher)
    refused = head.post(
        f"{base}/decide/", {"outcome": "approved", "reasons": "", "approved_until": ""}
    )
    assert refused.status_code == 200
    assert {"reasons", "approved_until"} <= set(refused.context["form"].errors)
    until = _uk(today() + dt.timedelta(days=14))
    response = head.post(
        f"{base}/decide/",
        {"outcome": "approved", "reasons": "Lesson need.", "approved_until": until},
    )
    assert response.status_code == 302
    nm = client_for(network_manager)
    assert nm.post(f"{base}/unblocked/", {"notes": "Opened."}).status_code == 302
    unblock.refresh_from_db()
    assert unblock.status == RequestStatus.ACTIVE
    assert nm.post(f"{base}/reblocked/", {"notes": ""}).status_code == 302
    unblock.refresh_from_db()
    assert unblock.status == RequestStatus.REBLOCKED


def test_step_pages_refuse_the_wrong_people(
    client_for, school, staff, colleague, network_manager, headteacher, outsider
):
    unblock = reviewed(request_for(school, staff), network_manager)
    base = f"/incidents/filtering/requests/{unblock.pk}"
    assert client_for(staff).get(f"{base}/decide/").status_code == 403
    assert client_for(network_manager).get(f"{base}/decide/").status_code == 403
    assert client_for(headteacher).get(f"{base}/review/").status_code == 403
    assert client_for(colleague).get(f"{base}/").status_code == 404
    assert client_for(outsider).get(f"{base}/").status_code == 404
    assert client_for(staff).get(f"{base}/history/").status_code == 403


def test_the_headteacher_cannot_decide_their_own_request_on_the_page(
    client_for, school, headteacher, network_manager
):
    unblock = reviewed(request_for(school, headteacher), network_manager)
    assert (
        client_for(headteacher)
        .get(f"/incidents/filtering/requests/{unblock.pk}/decide/")
        .status_code
        == 403
    )


def test_a_never_unblock_request_shows_refused_outright(client_for, school, staff, network_manager):
    unblock = reviewed(request_for(school, staff), network_manager, never_unblock="iwf")
    page = client_for(staff).get(f"/incidents/filtering/requests/{unblock.pk}/").content.decode()
    assert "Refused outright" in page and "Nobody can override" in page


def test_the_decision_log_filters_by_outcome_and_date_and_exports_csv(
    client_for, school, staff, colleague, network_manager, headteacher
):
    approved(request_for(school, staff), network_manager, headteacher)
    waiting = request_for(school, colleague)
    client = client_for(headteacher)
    page = client.get("/incidents/filtering/log/", {"outcome": "awaiting_review"})
    assert [r.pk for r in page.context["page"].object_list] == [waiting.pk]
    future = _uk(today() + dt.timedelta(days=1))
    assert (
        not client.get("/incidents/filtering/log/", {"start": future}).context["page"].object_list
    )
    bad = client.get("/incidents/filtering/log/", {"start": "yesterday"})
    assert bad.status_code == 200 and bad.context["form"].errors
    csv = client.get("/incidents/filtering/log.csv")
    body = b"".join(csv.streaming_content).decode()
    assert csv["Content-Type"].startswith("text/csv")
    assert "Reasons for the decision" in body and "A clear teaching need" in body


def test_the_decision_log_csv_neutralises_formulas(client_for, school, staff, headteacher):
    request_for(school, staff, reasons='=HYPERLINK("http://evil")')
    body = b"".join(
        client_for(headteacher).get("/incidents/filtering/log.csv").streaming_content
    ).decode()
    assert "'=HYPERLINK" in body


def test_plain_staff_and_governors_do_not_get_the_log(client_for, staff, governor):
    for person in (staff, governor):
        assert client_for(person).get("/incidents/filtering/log/").status_code == 403
        assert client_for(person).get("/incidents/filtering/log.csv").status_code == 403


def test_the_check_log_records_and_shows_coverage(client_for, school, network_manager, staff):
    client = client_for(network_manager)
    response = client.post(
        "/incidents/filtering/checks/new/",
        {
            "submission_key": "5a0c4c1e-8d8e-4d87-9d27-3f7ad3f0c002",
            "checked_on": _uk(today()),
            "device": "tablet",
            "place": "classroom",
            "user_group": "pupil",
            "tested": "Adult content test site.",
            "result": "not_blocked",
            "actions": "",
        },
    )
    assert response.status_code == 200 and "actions" in response.context["form"].errors
    assert not FilteringCheck.objects.exists()
    check_for(school, network_manager, device="tablet", place="classroom", user_group="pupil")
    page = client.get("/incidents/filtering/checks/")
    assert len(page.context["not_checked"]) == 44
    assert client.get("/incidents/filtering/checks/", {"year": "nonsense"}).status_code == 200
    assert client_for(staff).get("/incidents/filtering/checks/").status_code == 403


def test_the_headteacher_names_the_roles_and_others_only_read_them(
    client_for, school, headteacher, slt, governor, dsl
):
    client = client_for(headteacher)
    assert "Not named yet" in client.get("/incidents/filtering/roles/").content.decode()
    response = client.post(
        "/incidents/filtering/roles/",
        {"slt_lead": slt.pk, "governor": governor.pk, "it_provider": "", "it_contractor": "Fen IT"},
    )
    assert response.status_code == 302
    page = client_for(dsl).get("/incidents/filtering/roles/").content.decode()
    assert "Fen IT" in page and "Save the roles" not in page
    assert client_for(dsl).post("/incidents/filtering/roles/", {}).status_code == 403


def test_governors_see_reviews_and_the_page_shows_the_evidence(
    client_for, school, headteacher, slt, dsl, governor, staff, network_manager
):
    unblocked(request_for(school, staff), network_manager, headteacher)
    review = review_for(school, headteacher, slt_lead=slt, dsl=dsl, governor=governor)
    page = client_for(governor).get(f"/incidents/filtering/reviews/{review.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Evidenced" in html and "video.example.com" in html
    pdf = client_for(governor).get(f"/incidents/filtering/reviews/{review.pk}/review.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client_for(staff).get(f"/incidents/filtering/reviews/{review.pk}/").status_code == 404


def test_recording_a_review_needs_all_four_participants(client_for, school, headteacher, slt):
    response = client_for(headteacher).post(
        "/incidents/filtering/reviews/new/",
        {
            "submission_key": "5a0c4c1e-8d8e-4d87-9d27-3f7ad3f0c003",
            "held_on": _uk(today()),
            "slt_lead": slt.pk,
            "findings": "Fine.",
        },
    )
    assert response.status_code == 200
    assert {"dsl", "governor", "it_provider"} <= set(response.context["form"].errors)
    assert not FilteringReview.objects.exists()


def test_an_out_of_cycle_review_through_the_page_records_its_trigger(
    client_for, school, headteacher, slt, dsl, governor
):
    response = client_for(headteacher).post(
        "/incidents/filtering/reviews/new/out-of-cycle/",
        {
            "submission_key": "5a0c4c1e-8d8e-4d87-9d27-3f7ad3f0c004",
            "trigger": "generative_ai",
            "trigger_detail": "A new chatbot.",
            "held_on": _uk(today()),
            "slt_lead": slt.pk,
            "dsl": dsl.pk,
            "governor": governor.pk,
            "it_contractor": "Fen IT",
            "findings": "Block the chatbot for pupils.",
            "action_1": "Add the chatbot to the block list",
            "action_1_owner": slt.pk,
            "action_1_due": _uk(today() + dt.timedelta(days=7)),
        },
    )
    review = FilteringReview.objects.get()
    assert response.status_code == 302
    assert (review.kind, review.trigger) == ("out_of_cycle", "generative_ai")
    assert review.actions.get().owner == slt
    page = (
        client_for(headteacher).get(f"/incidents/filtering/reviews/{review.pk}/").content.decode()
    )
    assert "A new generative-AI tool" in page


def test_the_review_list_shows_overdue(client_for, school, headteacher):
    html = client_for(headteacher).get("/incidents/filtering/reviews/").content.decode()
    assert "overdue" in html
