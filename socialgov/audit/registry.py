"""Which access-log entries a viewer may see: each app registers its gateway for its models.

Deny by default: an entry is shown only when the app of its record registered a gateway for that
model and the gateway lets the viewer see the record. So the log never reveals a record's
existence (e.g. a concern about the headteacher, handled by the chair), and a record whose app
forgot to register stays out of everyone's log rather than showing to all (a test checks).
Apps register in `AppConfig.ready()`:

    from socialgov.audit.registry import register_gateway
    register_gateway(Incident, incident_visible_to)

Tests override with `ACCESS_LOG_GATEWAYS.only(...)` / `.added(...)` (socialgov.registry).
The entries are the core's `RecordGateway` (socialgov.record_gateways), as for notifications.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from django.db.models import Model, Q, QuerySet

from socialgov.record_gateways import RecordGateway, RecordGatewayRegistry

__all__ = [
    "ACCESS_LOG_GATEWAYS",
    "AccessLogGateway",
    "is_registered",
    "register_gateway",
    "visible_to",
]

# The name the access log's tests and callers know the entries by.
AccessLogGateway = RecordGateway

ACCESS_LOG_GATEWAYS = RecordGatewayRegistry("access-log gateway")


def register_gateway(model: type[Model], visible_to: Callable[..., QuerySet]) -> None:
    """Register the gateway of `model` (once; the same one again is harmless)."""
    ACCESS_LOG_GATEWAYS.register_gateway(model, visible_to)


def is_registered(model: type[Model]) -> bool:
    return ACCESS_LOG_GATEWAYS.is_registered(model)


def visible_to(user, *, content_type_ids: Collection[int] | None = None) -> Q:
    """Entries about records `user` may see through their app's registered gateway; entries about
    any other model match nothing (subqueries: no extra round trips). With `content_type_ids`,
    only the gateways of those kinds of record are asked (entries of other kinds match nothing)."""
    shown = Q(pk__in=[])
    for content_type, pks in ACCESS_LOG_GATEWAYS.visible_pks(
        user, content_type_ids=content_type_ids
    ):
        shown |= Q(content_type=content_type, object_id__in=pks)
    return shown
