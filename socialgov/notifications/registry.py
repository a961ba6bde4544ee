"""Which notifications a person may still see: each app registers its gateway for the records
its notifications are about.

A notification sent with `notification_send(..., about=obj)` remembers the record it is about.
While that record is outside `visible_to(recipient)` the notification is left out of the
person's list, unread count and e-mail, and opening it is a 404: e.g. a member of staff named as
the subject of an incident after being told about it no longer sees that they were told.
Apps register in `AppConfig.ready()`:

    notifications_registry.register_gateway(SomeRecord, some_record_visible_to)
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
        raise ValueError(f"a notification gateway for {model.__name__} is already registered")
    _GATEWAYS[model] = visible_to


def unregister_gateway(model: type[Model]) -> None:
    _GATEWAYS.pop(model, None)


def is_registered(model: type[Model]) -> bool:
    return model in _GATEWAYS


def hidden_from(user) -> Q:
    """Notifications about records that `user` may not see (subqueries: no extra round trips)."""
    hidden = Q(pk__in=[])
    for model, visible_to in _GATEWAYS.items():
        content_type = ContentType.objects.get_for_model(model)
        hidden |= Q(about_type=content_type) & ~Q(about_id__in=visible_to(user).values("pk"))
    return hidden
