"""The training log in the benchmark (socialgov/training/benchmark.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialgov.benchmark import registry
from socialgov.benchmark.registry import SCALES, Bench
from socialgov.training.benchmark import _counted, _promised


def test_the_training_pages_are_registered():
    registry.discover()
    names = {p.name for p in registry.PAGES.entries()}
    assert {"training coverage (DSL)", "training sessions (office)"} <= names


@pytest.mark.django_db
def test_the_generator_makes_what_it_promises_and_the_coverage_page_is_constant(client_for):
    registry.discover()
    bench = Bench(SCALES["small"])
    for generator in registry.GENERATORS.entries():
        if generator.order <= 260:
            generator.generate(bench)
    assert _counted(bench) == _promised(SCALES["small"])
    counts = []
    for school in (bench.large, bench.small):
        page = next(p for p in registry.PAGES.entries() if p.name == "training coverage (DSL)")
        client = client_for(bench.person(school, page.as_role))
        url = page.path(bench, school)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
