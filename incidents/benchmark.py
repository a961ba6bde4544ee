"""The incidents app's part of the benchmark (found by socialgov.benchmark.registry.discover):
each sub-domain registers its own entries."""

from incidents.reports import benchmark as _reports  # noqa: F401
