"""Managing policies through the pages: who may and may not, bad input, query budgets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import ChangeSize, Policy, PolicyKind, Ratification, Signature
from socialgov.people.roles import Role, StaffGroup
from tests.factories import person_in
from tests.policies.factories import (
    POLICY_TEXT,
    draft_version_for,
    policy_for,
    published_version_for,
)


@pytest.fixture
def aup(school, headteacher):
    return policy_for(school, headteacher)


@pytest.fixture
def published(aup, headteacher):
    return published_version_for(aup, headteacher)


@pytest.fixture
def draft(aup, headteacher, published):
    return draft_version_for(aup, headteacher, text=POLICY_TEXT + "3. A new clause.\n")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _policy_data(owner, **overrides):
    data = {
        "kind": PolicyKind.SOCIAL_MEDIA,
        "title": "Social media policy",
        "owner": owner.pk,
        "review_cycle_months": "12",
        "next_review_on": "31/08/2027",
        "signer_groups": [StaffGroup.TEACHER],
        "signer_roles": [Role.NETWORK_MANAGER],
    }
    data.update(overrides)
    return data


# The list --------------------------------------------------------------------------------------


def test_every_member_sees_the_policy_list_but_only_editors_see_drafts(
    client_for, staff, governor, headteacher, draft
):
    for person in (staff, governor):
        response = client_for(person).get(reverse("policy_list"))
        assert response.status_code == 200
        assert "Staff acceptable use policy" in response.content.decode()
        assert reverse("version_detail", args=[draft.pk]) not in response.content.decode()
        assert "Add a policy" not in response.content.decode()
    page = client_for(headteacher).get(reverse("policy_list")).content.decode()
    assert "Add a policy" in page
    assert reverse("version_detail", args=[draft.pk]) in page


def test_the_list_highlights_overdue_reviews_and_review_requests(client_for, staff, aup):
    aup.next_review_on = timezone.localdate().replace(year=2020)
    aup.review_requested_at = timezone.now()
    aup.save()
    page = client_for(staff).get(reverse("policy_list")).content.decode()
    assert "Overdue" in page and "Review requested" in page


def test_policy_list_queries_do_not_grow_with_policies(
    client_for, school, headteacher, django_assert_num_queries
):
    # session, user, memberships, roles, two-factor device, trust memberships, the policies with
    # their published and open versions (subqueries) and owners, the unread bell, session save.
    client = client_for(headteacher)
    for n in range(3):
        published_version_for(policy_for(school, headteacher, title=f"Policy {n}"), headteacher)
    client.get(reverse("policy_list"))
    at_three = _queries(client, reverse("policy_list"))
    for n in range(3, 30):
        policy = policy_for(school, headteacher, title=f"Policy {n}")
        published_version_for(policy, headteacher)
        draft_version_for(policy, headteacher)
    with django_assert_num_queries(at_three):
        response = client.get(reverse("policy_list"))
    assert len(response.context["policies"]) == 30


# Adding and editing ----------------------------------------------------------------------------


def test_an_editor_adds_a_policy_with_links_and_uk_dates(client_for, dsl, school, aup):
    response = client_for(dsl).post(
        reverse("policy_create"), _policy_data(dsl, related=[aup.pk], statutory="on")
    )
    policy = Policy.objects.get(title="Social media policy")
    assert response.status_code == 302 and response["Location"] == reverse(
        "policy_detail", args=[policy.pk]
    )
    assert policy.school == school and policy.owner == dsl and policy.statutory
    assert policy.next_review_on.isoformat() == "2027-08-31"
    assert policy.signer_groups == ["teacher"] and policy.signer_roles == ["network_manager"]
    assert list(aup.related.all()) == [policy]  # links work both ways


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"title": "   "}, "title"),
        ({"next_review_on": "2027-08-31"}, "next_review_on"),
        ({"next_review_on": "31/13/2027"}, "next_review_on"),
        ({"kind": "nonsense"}, "kind"),
        ({"signer_groups": ["pupils"]}, "signer_groups"),
        ({"title": "staff ACCEPTABLE use policy"}, "title"),
    ],
)
def test_bad_policy_input_gives_field_errors_and_writes_nothing(
    client_for, headteacher, aup, overrides, field
):
    response = client_for(headteacher).post(
        reverse("policy_create"), _policy_data(headteacher, **overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Policy.objects.count() == 1


def test_the_owner_must_be_a_member_of_the_school(client_for, headteacher, outsider, aup):
    response = client_for(headteacher).post(reverse("policy_create"), _policy_data(outsider))
    assert response.status_code == 200 and "owner" in response.context["form"].errors
    response = client_for(headteacher).post(
        reverse("policy_edit", args=[aup.pk]), _policy_data(outsider, title=aup.title)
    )
    assert "owner" in response.context["form"].errors
    aup.refresh_from_db()
    assert aup.owner == headteacher


def test_a_policy_cannot_be_linked_to_another_schools_policy(
    client_for, headteacher, outsider, other_school, aup
):
    theirs = policy_for(other_school, outsider, title="Their policy")
    response = client_for(headteacher).post(
        reverse("policy_edit", args=[aup.pk]),
        _policy_data(headteacher, title=aup.title, related=[theirs.pk]),
    )
    assert "related" in response.context["form"].errors
    assert not aup.related.exists()


def test_an_editor_changes_a_policys_details(client_for, headteacher, dsl, aup):
    response = client_for(headteacher).post(
        reverse("policy_edit", args=[aup.pk]),
        _policy_data(dsl, title="Staff AUP", review_cycle_months="36", signer_groups=[]),
    )
    assert response.status_code == 302
    aup.refresh_from_db()
    assert aup.title == "Staff AUP" and aup.owner == dsl and aup.review_cycle_months == 36
    assert aup.signer_groups == [] and aup.history.count() == 2


@pytest.mark.parametrize("person", ["staff", "governor", "office", "network_manager"])
def test_people_who_do_not_edit_policies_cannot_add_or_edit_them(request, client_for, aup, person):
    client = client_for(request.getfixturevalue(person))
    assert client.get(reverse("policy_create")).status_code == 403
    assert client.post(reverse("policy_create"), _policy_data(aup.owner)).status_code == 403
    assert client.get(reverse("policy_edit", args=[aup.pk])).status_code == 403
    assert client.get(reverse("version_start", args=[aup.pk])).status_code == 403
    assert client.get(reverse("policy_history", args=[aup.pk])).status_code == 403
    assert Policy.objects.count() == 1


# The policy page -------------------------------------------------------------------------------


def test_staff_see_the_published_version_but_no_drafts_on_the_policy_page(
    client_for, staff, published, draft
):
    response = client_for(staff).get(reverse("policy_detail", args=[published.policy_id]))
    page = response.content.decode()
    assert [v.pk for v in response.context["versions"]] == [published.pk]
    assert reverse("version_detail", args=[published.pk]) in page
    assert reverse("version_detail", args=[draft.pk]) not in page
    assert "Start a new version" not in page and "Edit details" not in page
    assert response.context["sign_url"]  # teachers must sign this policy
    assert response.context["valid_signature_count"] is None  # no coverage figures for staff


def test_governors_see_published_information_and_the_signature_count_only(
    client_for, governor, published, draft, staff
):
    services.signature_create(
        version=published, signer=staff, typed_name=staff.full_name, agreed=True
    )
    response = client_for(governor).get(reverse("policy_detail", args=[published.policy_id]))
    assert [v.pk for v in response.context["versions"]] == [published.pk]
    assert response.context["valid_signature_count"] == 1
    assert staff.full_name not in response.content.decode()
    assert response.context["sign_url"] is None  # governors are not among its signers
    assert client_for(governor).get(reverse("version_detail", args=[draft.pk])).status_code == 404


def test_editors_see_drafts_and_actions_on_the_policy_page(client_for, dsl, published, draft):
    response = client_for(dsl).get(reverse("policy_detail", args=[published.policy_id]))
    assert [v.pk for v in response.context["versions"]] == [draft.pk, published.pk]
    assert response.context["open_version"] == draft
    assert "Edit details" in response.content.decode()


def test_policy_page_queries_do_not_grow_with_staff_and_signatures(
    client_for, school, headteacher, aup, django_assert_num_queries
):
    # session, user, memberships, roles, two-factor device, trust memberships, the policy
    # (gateway), its versions with approver and ratification, its owner, related policies,
    # one count of valid signatures (with the versions they count for), the unread bell and
    # the session save: never one query per person or signature.
    version = published_version_for(aup, headteacher)
    draft_version_for(aup, headteacher)
    url = reverse("policy_detail", args=[aup.pk])
    client = client_for(headteacher)

    def add_signing_staff(count):
        people = [person_in(school, Role.STAFF) for _ in range(count)]
        Signature.objects.bulk_create(
            Signature(
                version=version,
                signer=person,
                school=school,
                signed_at=timezone.now(),
                text_sha256=version.text_sha256,
                statement=services.AGREEMENT_STATEMENT,
                typed_name=person.full_name,
            )
            for person in people
        )

    add_signing_staff(30)
    client.get(url)
    at_thirty = _queries(client, url)
    add_signing_staff(270)
    with django_assert_num_queries(at_thirty):
        response = client.get(url)
    assert response.context["valid_signature_count"] == 300


# Reading a version -----------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["staff", "governor", "office", "chair", "network_manager"])
def test_only_editors_can_read_drafts(request, client_for, draft, published, person):
    client = client_for(request.getfixturevalue(person))
    assert client.get(reverse("version_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("version_edit", args=[draft.pk])).status_code == 404
    response = client.get(reverse("version_detail", args=[published.pk]))
    assert response.status_code == 200
    assert "Keep passwords private." in response.content.decode()


def test_the_reading_page_shows_the_frozen_hash_approver_and_ratification(
    client_for, staff, headteacher, published
):
    services.version_ratify(
        version=published,
        actor=headteacher,
        meeting_date=timezone.localdate(),
        minute_reference="FGB 12.3",
    )
    page = client_for(staff).get(reverse("version_detail", args=[published.pk])).content.decode()
    assert published.text_sha256 in page and "Hannah Head" in page and "FGB 12.3" in page
    assert reverse("version_ratify", args=[published.pk]) not in page


# Writing and moving a version on ---------------------------------------------------------------


def test_a_draft_is_started_from_the_published_text_and_edited(client_for, dsl, published):
    client = client_for(dsl)
    response = client.post(
        reverse("version_start", args=[published.policy_id]),
        {"change": ChangeSize.MINOR, "change_summary": "Tidy up", "copy_published": "on"},
    )
    version = published.policy.versions.get(number=2)
    assert response["Location"] == reverse("version_edit", args=[version.pk])
    assert version.body_markdown == published.body_markdown and version.change == "minor"
    response = client.post(
        reverse("version_edit", args=[version.pk]),
        {"body_markdown": "# New\n\nNew words.", "change": "major", "change_summary": "Rewrite"},
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.body_html == "<h1>New</h1>\n<p>New words.</p>" and version.change == "major"


def test_a_second_draft_is_refused_with_a_message(client_for, dsl, draft):
    response = client_for(dsl).post(
        reverse("version_start", args=[draft.policy_id]), {"change": "minor"}
    )
    assert response.status_code == 200
    assert "already has a version being written" in response.content.decode()
    assert draft.policy.versions.count() == 2


def test_the_preview_button_shows_sanitised_html_and_saves_nothing(client_for, dsl, draft):
    response = client_for(dsl).post(
        reverse("version_edit", args=[draft.pk]),
        {"body_markdown": "Hello <script>alert(1)</script>", "change": "minor", "preview": "1"},
    )
    assert response.status_code == 200
    assert response.context["preview_html"].startswith("<p>Hello ")
    assert "<script" not in response.context["preview_html"]
    assert "<script>alert" not in response.content.decode()
    draft.refresh_from_db()
    assert "Hello" not in draft.body_markdown


def test_the_live_preview_returns_sanitised_html_to_editors_only(client_for, dsl, staff, school):
    response = client_for(dsl).post(
        reverse("version_preview"), {"body_markdown": "**Bold** <img src=x onerror=alert(1)>"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<strong>Bold</strong>" in body and "<img" not in body and "onerror" not in body
    assert client_for(staff).post(reverse("version_preview"), {}).status_code == 403


def test_a_frozen_version_cannot_be_opened_for_editing(client_for, headteacher, published):
    response = client_for(headteacher).post(
        reverse("version_edit", args=[published.pk]), {"body_markdown": "changed"}
    )
    assert response["Location"] == reverse("version_detail", args=[published.pk])
    published.refresh_from_db()
    assert "changed" not in published.body_markdown


def test_a_version_goes_through_its_life_by_the_pages(client_for, dsl, headteacher, published):
    draft = draft_version_for(published.policy, dsl)
    dsl_client = client_for(dsl)
    assert dsl_client.post(reverse("version_submit", args=[draft.pk])).status_code == 302
    assert dsl_client.post(reverse("version_approve", args=[draft.pk])).status_code == 403
    head = client_for(headteacher)
    response = head.post(reverse("version_return_to_draft", args=[draft.pk]), follow=True)
    assert "Say what needs to change" in response.content.decode()  # a reason is required
    draft.refresh_from_db()
    assert draft.status == "awaiting_approval"
    head.post(
        reverse("version_return_to_draft", args=[draft.pk]), {"reason": "Add the date it starts."}
    )
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.return_reason == "Add the date it starts."
    page = dsl_client.get(reverse("version_detail", args=[draft.pk])).content.decode()
    assert "Add the date it starts." in page
    dsl_client.post(reverse("version_submit", args=[draft.pk]))
    head.post(reverse("version_approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.approved_by == headteacher
    response = head.post(reverse("version_publish", args=[draft.pk]), follow=True)
    assert "Published." in response.content.decode()
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == "published" and published.status == "superseded"


def test_a_double_click_is_refused_with_a_clear_message(client_for, headteacher, aup):
    version = draft_version_for(aup, headteacher)
    client = client_for(headteacher)
    client.post(reverse("version_submit", args=[version.pk]))
    response = client.post(reverse("version_submit", args=[version.pk]), follow=True)
    assert "Only a draft can be sent for approval." in response.content.decode()
    version.refresh_from_db()
    assert version.status == "awaiting_approval"


def test_submitting_an_empty_draft_is_refused(client_for, headteacher, aup):
    version = draft_version_for(aup, headteacher, text="")
    response = client_for(headteacher).post(
        reverse("version_submit", args=[version.pk]), follow=True
    )
    assert "Write the policy&#x27;s text before sending it" in response.content.decode()
    version.refresh_from_db()
    assert version.status == "draft"


def test_staff_cannot_move_a_published_version(client_for, staff, published):
    # Published versions are visible to staff (so not 404), but their role refuses (403).
    assert (
        client_for(staff).post(reverse("version_publish", args=[published.pk])).status_code == 403
    )


def test_action_urls_only_move_versions_on_post(client_for, headteacher, aup):
    version = draft_version_for(aup, headteacher)
    response = client_for(headteacher).get(reverse("version_submit", args=[version.pk]))
    assert response.status_code == 405
    version.refresh_from_db()
    assert version.status == "draft"


# Ratification ----------------------------------------------------------------------------------


def test_the_clerk_records_ratification(client_for, school, published):
    clerk = person_in(school, Role.CLERK, group=StaffGroup.GOVERNOR)
    response = client_for(clerk).post(
        reverse("version_ratify", args=[published.pk]),
        {"meeting_date": timezone.localdate().strftime("%d/%m/%Y"), "minute_reference": "FGB 4"},
    )
    assert response.status_code == 302
    assert published.current_ratification.recorded_by == clerk


@pytest.mark.parametrize(
    "data,message",
    [
        ({"meeting_date": "01/01/2099", "minute_reference": "X"}, "cannot be in the future"),
        ({"meeting_date": "01/01/2020", "minute_reference": "X"}, "before the version was"),
        ({"meeting_date": "2026-01-01", "minute_reference": "X"}, "Enter a date like 01/09/2026."),
        ({"meeting_date": "01/01/2026", "minute_reference": "  "}, "Enter the minute reference"),
        ({"meeting_date": "", "minute_reference": "FGB 1"}, "Enter the date of the meeting"),
    ],
)
def test_bad_ratification_input_is_explained_and_nothing_is_written(
    client_for, headteacher, published, data, message
):
    response = client_for(headteacher).post(
        reverse("version_ratify", args=[published.pk]), data, follow=True
    )
    assert message in response.content.decode()
    assert not Ratification.objects.filter(version=published).exists()


def test_ratification_is_recorded_once(client_for, headteacher, published):
    data = {"meeting_date": timezone.localdate().strftime("%d/%m/%Y"), "minute_reference": "FGB 1"}
    client = client_for(headteacher)
    client.post(reverse("version_ratify", args=[published.pk]), data)
    response = client.post(reverse("version_ratify", args=[published.pk]), data, follow=True)
    assert "Ratification recorded." in response.content.decode()  # the same post twice: harmless
    other = {**data, "minute_reference": "FGB 2"}
    response = client.post(reverse("version_ratify", args=[published.pk]), other, follow=True)
    assert "already recorded. Correct it instead." in response.content.decode()
    assert Ratification.objects.filter(version=published).count() == 1


@pytest.mark.parametrize("person", ["staff", "governor", "safeguarding_governor", "dsl"])
def test_only_the_clerk_chair_or_headteacher_records_ratification(
    request, client_for, published, person
):
    response = client_for(request.getfixturevalue(person)).post(
        reverse("version_ratify", args=[published.pk]),
        {"meeting_date": timezone.localdate().strftime("%d/%m/%Y"), "minute_reference": "FGB 1"},
    )
    assert response.status_code == 403


def test_a_draft_cannot_be_ratified(client_for, headteacher, draft):
    response = client_for(headteacher).post(
        reverse("version_ratify", args=[draft.pk]),
        {"meeting_date": "01/11/2026", "minute_reference": "FGB 1"},
        follow=True,
    )
    assert "Only an approved version can be ratified." in response.content.decode()


# Redline ---------------------------------------------------------------------------------------


def test_staff_see_what_changed_between_two_published_versions(
    client_for, staff, headteacher, published
):
    newer = published_version_for(
        published.policy, headteacher, text=POLICY_TEXT + "3. Never befriend pupils online.\n"
    )
    url = reverse("policy_redline", args=[published.policy_id])
    response = client_for(staff).get(url, {"from": published.pk, "to": newer.pk})
    assert response.status_code == 200
    assert "added: </span>Never befriend pupils online.</ins>" in response.content.decode()


def test_the_redline_refuses_drafts_for_staff_and_versions_of_other_policies(
    client_for, staff, headteacher, school, published, draft
):
    url = reverse("policy_redline", args=[published.policy_id])
    assert client_for(staff).get(url, {"from": published.pk, "to": draft.pk}).status_code == 404
    other = published_version_for(policy_for(school, headteacher, title="Other"), headteacher)
    assert (
        client_for(headteacher).get(url, {"from": published.pk, "to": other.pk}).status_code == 404
    )
    assert client_for(headteacher).get(url, {"from": "x", "to": draft.pk}).status_code == 404
    response = client_for(headteacher).get(url, {"from": published.pk, "to": draft.pk})
    assert response.status_code == 200 and "A new clause." in response.content.decode()


# History ---------------------------------------------------------------------------------------


def test_history_pages_for_editors(client_for, dsl, published):
    client = client_for(dsl)
    assert client.get(reverse("policy_history", args=[published.policy_id])).status_code == 200
    response = client.get(reverse("version_history", args=[published.pk]))
    assert response.status_code == 200 and len(response.context["page"].object_list) == 4


def test_policy_history_names_who_signs_in_words_not_as_a_python_list(client_for, dsl, aup):
    """Issue 9, item 11: "Signed by: teachers, support staff", never "['teacher', 'support']"."""
    aup.signer_groups = [StaffGroup.TEACHER, StaffGroup.SUPPORT]
    aup.signer_roles = [Role.NETWORK_MANAGER]
    aup.save()
    aup.signer_groups = [StaffGroup.TEACHER]
    aup.save()
    response = client_for(dsl).get(reverse("policy_history", args=[aup.pk]))
    newest, before = response.context["page"].object_list[:2]
    assert {c.label: (c.old, c.new) for c in newest.changes} == {
        "Signed by (staff groups)": ("Teacher, Support staff", "Teacher")
    }
    assert {c.label: c.new for c in before.changes}["Signed by (roles)"] == "Network manager"
    page = response.content.decode()
    assert "Teacher, Support staff" in page
    assert "[&#x27;" not in page and "['" not in page


def test_version_history_reads_as_words(client_for, dsl, published):
    response = client_for(dsl).get(reverse("version_history", args=[published.pk]))
    labels = {c.label for row in response.context["page"].object_list for c in row.changes}
    assert {"Text", "Size of the change", "Status"} <= labels
    assert not {"Body html", "Body markdown", "Text sha256"} & labels


def test_staff_cannot_see_version_history(client_for, staff, published):
    assert client_for(staff).get(reverse("version_history", args=[published.pk])).status_code == 403


def test_signature_history_shows_the_creation_to_the_signer_and_not_to_colleagues(
    client_for, staff, school, published
):
    signature = services.signature_create(
        version=published, signer=staff, typed_name=staff.full_name, agreed=True
    )
    url = reverse("signature_history", args=[signature.pk])
    response = client_for(staff).get(url)
    rows = response.context["page"].object_list
    assert [row.action for row in rows] == ["created"]
    colleague = person_in(school, Role.STAFF)
    assert client_for(colleague).get(url).status_code == 404


def test_deployment_admin_reads_signatures_but_cannot_change_them(
    admin_client, school, headteacher
):
    from policies import services
    from tests.policies.factories import policy_for, published_version_for

    policy = policy_for(school, headteacher)
    version = published_version_for(policy, headteacher)
    signature = services.signature_create(
        version=version, signer=headteacher, typed_name=headteacher.full_name, agreed=True
    )
    url = f"/admin/policies/signature/{signature.pk}/change/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"typed_name": "Someone Else"})
    assert response.status_code == 403
    signature.refresh_from_db()
    assert signature.typed_name == headteacher.full_name
