"""The incidents app's part of the benchmark (found by socialgov.benchmark.registry.discover):
each sub-domain registers its own entries."""

from incidents.filtering import benchmark as _filtering  # noqa: F401
from incidents.reports import benchmark as _reports  # noqa: F401
