"""Which record gateways a read asks (socialgov.record_gateways): for tests that a page asks
only the gateways of the kinds of record it shows (the access log, the notifications badge).

    with gateways_asked() as asked:
        page_or_count()
    assert asked == [Membership]
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from socialgov.record_gateways import RecordGatewayRegistry


@contextmanager
def gateways_asked() -> Iterator[list[object]]:
    """The models whose gateways were asked, in order, while the block ran."""
    asked: list[object] = []
    original = RecordGatewayRegistry.visible_pks

    def spy(self, user, **kw):
        for content_type, pks in original(self, user, **kw):
            asked.append(content_type.model_class())
            yield content_type, pks

    RecordGatewayRegistry.visible_pks = spy  # type: ignore[method-assign]
    try:
        yield asked
    finally:
        RecordGatewayRegistry.visible_pks = original  # type: ignore[method-assign]
