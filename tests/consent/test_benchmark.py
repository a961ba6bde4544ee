"""The consent register's part of the benchmark: its data read as the services would have
written it, and its pages, PDF and import run."""

import pytest

from consent import benchmark as consent_benchmark
from consent import services
from consent.models import ConsentState, Pupil, Purpose
from socialgov.benchmark import registry
from socialgov.benchmark.registry import SCALES, Bench

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench():
    registry.discover()
    bench = Bench(SCALES["small"])
    for generator in registry.GENERATORS.entries():
        if generator.name in ("people", "consent"):
            generator.generate(bench)
    return bench


def test_the_trust_scale_promises_20000_pupils_and_150000_decisions():
    promised = consent_benchmark._promised(SCALES["trust"])
    assert promised["pupils"] == 20_000
    assert promised["consent decisions"] == 150_000


def test_the_generated_states_are_what_the_services_compute(bench):
    school = bench.large
    pupils = list(Pupil.objects.filter(school=school).order_by("pk")[:60])
    before = {
        (s.pupil_id, s.purpose_id): s.timeline
        for s in ConsentState.objects.filter(pupil__in=pupils)
    }
    changes = services.consent_states_recompute(
        pupils=pupils, purposes=Purpose.objects.filter(school=school), actor=None
    )
    assert changes == []
    after = {
        (s.pupil_id, s.purpose_id): s.timeline
        for s in ConsentState.objects.filter(pupil__in=pupils)
    }
    assert after == before
    assert {t[-1][1] for t in before.values()} >= {"allowed", "refused", "withdrawn"}


def test_the_consent_pages_answer_for_both_schools(bench, client_for):
    pages = [p for p in registry.PAGES.entries() if p.name.startswith("consent")]
    assert len(pages) == 6
    for page in pages:
        for school in (bench.large, bench.small):
            response = client_for(bench.person(school, page.as_role)).get(page.path(bench, school))
            assert response.status_code == 200, (page.name, response.status_code)


def test_the_class_sheet_and_the_import_run(bench):
    assert consent_benchmark.render_class_sheet(bench).startswith(b"%PDF")
    assert consent_benchmark.run_pupil_import(bench) == "2,000 rows: 2000 created, 0 refused"
