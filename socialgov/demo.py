"""Demo data: the core seeds the demo trust and its people; each app registers a `DemoSeeder`
in `AppConfig.ready()` for its own content, and `manage.py seed_demo` runs them in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from socialgov.registry import Registry


@dataclass(frozen=True)
class DemoSeeder:
    name: str  # e.g. "policies"
    # Adds the app's demo content after the people exist; idempotent; returns a line to print
    # (what it added, or that it was already there).
    seed: Callable[[], str]
    order: int = 100


DEMO_SEEDERS: Registry[DemoSeeder] = Registry("demo seeder")
