"""Which access-log entries a viewer may see: each app registers its gateway for its models.

An entry about a record the viewer may not see is left out of their access log, so the log never
reveals a record's existence (e.g. a concern about the headteacher, handled by the chair).
Apps register in `AppConfig.ready()`:

    audit_registry.register_gateway(Incident, incident_visible_to)
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

_GATEWAYS: dict[type[Model], Callable[..., QuerySet]] = {}


def register_gateway(model: type[Model], visible_to: Callable[..., QuerySet]) -> None:
    """`visible_to(user)` returns the records of `model` the person may see."""
    existing = _GATEWAYS.get(model)
    if existing is not None and existing is not visible_to:
        raise ValueError(f"an access-log gateway for {model.__name__} is already registered")
    _GATEWAYS[model] = visible_to


def unregister_gateway(model: type[Model]) -> None:
    _GATEWAYS.pop(model, None)


def hidden_from(user) -> Q:
    """Entries about records that `user` may not see (subqueries: no extra round trips)."""
    hidden = Q(pk__in=[])
    for model, visible_to in _GATEWAYS.items():
        content_type = ContentType.objects.get_for_model(model)
        hidden |= Q(content_type=content_type) & ~Q(object_id__in=visible_to(user).values("pk"))
    return hidden
