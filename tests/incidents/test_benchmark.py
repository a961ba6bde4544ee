"""Incident reports in the benchmark (incidents/reports/benchmark.py): 10,000 at trust scale, the
list for each role that handles them, 'my reports', an incident page and the chronology PDF."""

import pytest

from incidents.reports.access import incident_handling_visible_to, incident_visible_to
from incidents.reports.benchmark import _promised
from incidents.reports.models import CASE_MANAGER_ROUTES, Incident, Route
from socialgov.benchmark import registry
from socialgov.benchmark.registry import SCALES, Bench
from socialgov.people.roles import Role


def test_the_trust_scale_has_ten_thousand_incidents():
    assert _promised(SCALES["trust"]) == {"incidents": 10_000}


def test_the_incident_pages_and_pdf_are_registered():
    registry.discover()
    pages = {p.name for p in registry.PAGES.entries()}
    assert {
        "incident list (DSL)",
        "incident list (headteacher)",
        "incident list (network manager)",
        "incident list (chair of governors)",
        "my reports (member of staff)",
        "incident page (DSL)",
    } <= pages
    assert "incident chronology PDF" in [c.name for c in registry.PDFS.entries()]


@pytest.mark.django_db
def test_the_synthetic_incidents_follow_the_access_rules():
    registry.discover()
    bench = Bench(SCALES["small"])
    for generator in registry.GENERATORS.entries():
        generator.generate(bench)
    school = bench.large
    head = bench.person(school, Role.HEADTEACHER)
    about_head = Incident.objects.filter(school=school, route=Route.CASE_MANAGER_CHAIR)
    assert about_head.exists()
    assert not incident_visible_to(head).filter(pk__in=about_head).exists()
    chair = bench.person(school, Role.CHAIR_OF_GOVERNORS)
    assert set(incident_handling_visible_to(chair).filter(school=school)) >= set(about_head)
    assert _pdf_renders(bench)


@pytest.mark.django_db
def test_the_chair_has_a_concern_to_list_in_every_benchmark_school():
    """An empty list skips the page's query: the chair's list in the small school was empty, so
    its count differed from the large school's (9 and 8). Every school has one about its head."""
    registry.discover()
    bench = Bench(SCALES["small"])
    for generator in registry.GENERATORS.entries():
        generator.generate(bench)
    for school in bench.schools:
        # Whatever a school's size: its first concern about a member of staff is about its head.
        first = (
            Incident.objects.filter(school=school, route__in=CASE_MANAGER_ROUTES)
            .order_by("number")
            .first()
        )
        assert first is not None and first.route == Route.CASE_MANAGER_CHAIR, school
        chair = bench.person(school, Role.CHAIR_OF_GOVERNORS)
        assert incident_handling_visible_to(chair).filter(school=school).exists(), school


def _pdf_renders(bench) -> bool:
    case = next(c for c in registry.PDFS.entries() if c.name == "incident chronology PDF")
    return case.render(bench).startswith(b"%PDF-")


@pytest.mark.django_db
def test_every_benchmark_school_has_a_blocked_content_decision_this_year():
    """The review page's decisions table skips its query when empty: the small school at small
    scale had no decision in the year (15 queries and 14). Each school has one made this year."""
    from incidents.filtering.models import FilteringReview
    from incidents.filtering.selectors import review_evidence

    registry.discover()
    bench = Bench(SCALES["small"])
    for generator in registry.GENERATORS.entries():
        generator.generate(bench)
    for school in bench.schools:
        review = FilteringReview.objects.filter(school=school).latest("pk")
        assert review_evidence(review).decision_count >= 1, school.name
