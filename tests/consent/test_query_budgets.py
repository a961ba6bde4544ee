"""Query budgets (STYLE: Tests): the register's pages run the same number of queries with N and
10×N pupils and decisions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consent import services
from consent.models import ConsentDecision, GivenBy, Method, Outcome, ParentCarer
from tests.consent.factories import add_pupils, default_purposes

pytestmark = pytest.mark.django_db


def add_decisions(school, pupils, purposes, actor) -> None:
    """A parent's yes for every pupil and purpose that takes one, every third one withdrawn,
    bulk-created (setup only), then the stored states recomputed as the services would."""
    carers = ParentCarer.objects.bulk_create(
        ParentCarer(school=school, pupil=p, full_name=f"Parent of {p.pk}", relationship="parent")
        for p in pupils
    )
    decisions = []
    for n, (pupil, carer) in enumerate(zip(pupils, carers, strict=True)):
        for purpose in purposes:
            if not purpose.needs_consent:
                continue
            common = {"school": school, "pupil": pupil, "purpose": purpose, "carer": carer,
                      "given_by": GivenBy.PARENT_CARER, "method": Method.ENTRANT_FORM,
                      "recorded_by": actor}  # fmt: skip
            decisions.append(
                ConsentDecision(**common, outcome=Outcome.GRANTED,
                                received_on=dt.date(2025, 9, 1), effective_on=dt.date(2025, 9, 1))
            )  # fmt: skip
            if n % 3 == 0:
                decisions.append(
                    ConsentDecision(**common, outcome=Outcome.WITHDRAWN,
                                    received_on=dt.date(2026, 1, 5),
                                    effective_on=dt.date(2026, 1, 5))
                )  # fmt: skip
    ConsentDecision.objects.bulk_create(decisions)
    services.consent_states_recompute(pupils=pupils, purposes=purposes, actor=actor)


def count_queries(client, url, query=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
        assert response.status_code == 200, response.status_code
    return len(captured)


@pytest.fixture
def grow(school, office, dsl):
    purposes = list(default_purposes(school).values())
    made = []

    def more(count):
        pupils = add_pupils(school, count, group="6R", start=100_000 + len(made))
        made.extend(pupils)
        add_decisions(school, pupils, purposes, office)
        services.photo_restriction_set(pupil=pupils[-1], actor=dsl, reason="Court order")

    return more


@pytest.mark.parametrize(
    "name,query",
    [
        ("consent_register", {"group": "6R"}),
        ("consent_gaps", {}),
        ("consent_pupil_list", {}),
        ("consent_lookup", {"group": "6R", "purpose": "website"}),
        ("consent_counts", {}),
        ("consent_lapsing", {}),
        ("consent_class_sheet", {"group": "6R"}),
        ("consent_bulk_entry", {"group": "6R"}),
    ],
)
def test_register_pages_do_not_grow_with_pupils_and_decisions(
    client_for, school, office, grow, name, query
):
    client = client_for(office)
    url = reverse(name)
    if query.get("purpose"):
        query = {**query, "purpose": default_purposes(school)[query["purpose"]].pk}
    client.get(url, query)  # warm the session and the site's caches
    grow(8)
    small = count_queries(client, url, query)
    grow(72)
    large = count_queries(client, url, query)
    # The grid, for example: session, user, memberships + roles (the access API), classes,
    # purposes, the class's pupils (with settings and restrictions), their states, and the
    # page's menu and notifications. Pages that paginate count the rows once more.
    assert small == large, (name, small, large)


def test_the_grid_query_count_is_pinned(client_for, school, office, grow):
    client = client_for(office)
    url = reverse("consent_register")
    client.get(url, {"group": "6R"})
    grow(30)
    # session, user, memberships, roles, two-factor device (5); classes (1); purposes (1);
    # the class's pupils with their restrictions (1); their states (1); the school's competence
    # setting (1); the menu's trust memberships (1); unread notifications (1). Pinned: a new
    # query should be a decision.
    assert count_queries(client, url, {"group": "6R"}) == 12


def test_the_pupil_page_does_not_grow_with_its_decisions(client_for, school, office):
    from tests.consent.factories import pupil_for, record, social_media

    pupil = pupil_for(school, office)
    purpose = social_media(school)
    client = client_for(office)
    url = reverse("consent_pupil_detail", args=[pupil.pk])
    client.get(url)
    record(pupil, purpose, office)
    small = count_queries(client, url)
    for day in range(2, 22):
        outcome = Outcome.WITHDRAWN if day % 2 else Outcome.GRANTED
        record(pupil, purpose, office, outcome, received_on=dt.date(2025, 9, day),
               carer_name=f"Carer {day % 3}")  # fmt: skip
    assert count_queries(client, url) == small
