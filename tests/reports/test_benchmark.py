"""The reports in the benchmark (socialgov/reports/benchmark.py): the pages open for the people
they are registered for, and both PDFs render at small scale."""

import pytest

from socialgov.benchmark import registry
from socialgov.benchmark.registry import SCALES, Bench
from tests.conftest import sign_in_client

pytestmark = pytest.mark.django_db

PAGES = {"governors' report (governor)", "trust roll-up (trust executive)"}
PDFS = {"governors' report PDF", "trust roll-up PDF"}


def test_the_reports_pages_and_pdfs_are_registered():
    registry.discover()
    assert {p.name for p in registry.PAGES.entries()} >= PAGES
    assert {"dashboard (DSL)", "dashboard (governor)"} <= {p.name for p in registry.PAGES.entries()}
    assert {c.name for c in registry.PDFS.entries()} >= PDFS


def test_at_small_scale_the_pages_open_and_the_pdfs_render(client):
    registry.discover()
    bench = Bench(SCALES["small"])
    for generator in registry.GENERATORS.entries():
        generator.generate(bench)
    for page in registry.PAGES.entries():
        if page.name in PAGES:
            person = bench.person(bench.large, page.as_role)
            response = sign_in_client(client, person).get(page.path(bench, bench.large))
            assert response.status_code == 200, page.name
    for case in registry.PDFS.entries():
        if case.name in PDFS:
            assert case.render(bench).startswith(b"%PDF-"), case.name
