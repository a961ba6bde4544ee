"""Which access-log entries a viewer may see: each app registers its gateway for its models.

Deny by default: an entry is shown only when the app of its record registered a gateway for that
model and the gateway lets the viewer see the record. So the log never reveals a record's
existence (e.g. a concern about the headteacher, handled by the chair), and a record whose app
forgot to register stays out of everyone's log rather than showing to all (a test checks).
Apps register in `AppConfig.ready()`:

    from socialgov.audit.registry import register_gateway
    register_gateway(Incident, incident_visible_to)

Tests override with `ACCESS_LOG_GATEWAYS.only(...)` / `.added(...)` (socialgov.registry).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from socialgov.registry import Registry


@dataclass(frozen=True)
class AccessLogGateway:
    model: type[Model]
    # `visible_to(user)` returns the records of `model` the person may see (the app's gateway).
    visible_to: Callable[..., QuerySet]

    @property
    def name(self) -> str:
        return self.model._meta.label


ACCESS_LOG_GATEWAYS: Registry[AccessLogGateway] = Registry("access-log gateway")


def register_gateway(model: type[Model], visible_to: Callable[..., QuerySet]) -> None:
    """Register the gateway of `model` (once; the same one again is harmless)."""
    ACCESS_LOG_GATEWAYS.register(AccessLogGateway(model, visible_to))


def is_registered(model: type[Model]) -> bool:
    return model._meta.label in ACCESS_LOG_GATEWAYS


def visible_to(user) -> Q:
    """Entries about records `user` may see through their app's registered gateway; entries about
    any other model match nothing (subqueries: no extra round trips)."""
    shown = Q(pk__in=[])
    for gateway in ACCESS_LOG_GATEWAYS.entries():
        content_type = ContentType.objects.get_for_model(gateway.model)
        shown |= Q(content_type=content_type, object_id__in=gateway.visible_to(user).values("pk"))
    return shown
