"""One small generic registry for what apps add to the core (explicit registries, not signals).

Each extension point is a `Registry` of frozen dataclass entries with a `name` (and optionally an
`order`): the menu, dashboard panels, demo seeders, leaver listeners, reminder kinds, and any
app's own listener registry (e.g. consent's withdrawal listeners). Apps register their entries in
`AppConfig.ready()`; the core reads `entries()` and never names an app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Generic, Protocol, TypeVar


class Named(Protocol):
    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


class Registry(Generic[T]):
    """Named entries of one kind. Registering the same entry twice is harmless (apps' `ready()`
    can run twice in tests); a different entry under a taken name is an error."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._entries: dict[str, T] = {}

    def register(self, entry: T) -> T:
        name = entry.name
        existing = self._entries.get(name)
        if existing is not None and existing != entry:
            raise ValueError(f"{self.what} {name!r} is already registered")
        self._entries[name] = entry
        return entry

    def entries(self) -> list[T]:
        """Every entry, by `order` (when entries have one) and then by name: a stable order."""
        return sorted(
            self._entries.values(),
            key=lambda e: (getattr(e, "order", 0), e.name),
        )

    def get(self, name: str) -> T:
        return self._entries[name]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def unregister(self, name: str) -> None:
        """Forget an entry (tests; entries registered at start-up stay in normal use)."""
        self._entries.pop(name, None)

    @contextmanager
    def added(self, *entries: T) -> Iterator[None]:
        """Tests: `entries` are registered for the length of the block, as well as the others."""
        fresh = [e for e in entries if e.name not in self._entries]
        for entry in entries:
            self.register(entry)
        try:
            yield
        finally:
            for entry in fresh:
                self.unregister(entry.name)

    @contextmanager
    def only(self, *entries: T) -> Iterator[None]:
        """Tests: within the block exactly `entries` are registered; restored afterwards."""
        saved = dict(self._entries)
        self._entries.clear()
        try:
            for entry in entries:
                self.register(entry)
            yield
        finally:
            self._entries.clear()
            self._entries.update(saved)
