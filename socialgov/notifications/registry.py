"""Which notifications a person may still see: each app registers its gateway for the records
its notifications are about.

A notification sent with `notification_send(..., about=obj)` remembers the record it is about.
While that record is outside `visible_to(recipient)` the notification is left out of the
person's list, unread count and e-mail, and opening it is a 404: e.g. a member of staff named as
the subject of an incident after being told about it no longer sees that they were told.
A notification about a model with no registered gateway is shown (it carries only a link; the
page behind it has its own gateway). Apps register in `AppConfig.ready()`:

    notifications_registry.register_gateway(SomeRecord, some_record_visible_to)

The entries are the core's `RecordGateway` (socialgov.record_gateways), as for the access log;
tests override with `NOTIFICATION_GATEWAYS.only(...)` / `.added(...)`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from django.db.models import Model, Q, QuerySet

from socialgov.record_gateways import RecordGatewayRegistry

__all__ = [
    "NOTIFICATION_GATEWAYS",
    "hidden_from",
    "is_registered",
    "register_gateway",
    "unregister_gateway",
]

NOTIFICATION_GATEWAYS = RecordGatewayRegistry("notification gateway")


def register_gateway(model: type[Model], visible_to: Callable[..., QuerySet]) -> None:
    """`visible_to(user)` returns the records of `model` the person may see (once; the same one
    again is harmless, a different one is an error)."""
    NOTIFICATION_GATEWAYS.register_gateway(model, visible_to)


def unregister_gateway(model: type[Model]) -> None:
    NOTIFICATION_GATEWAYS.unregister_gateway(model)


def is_registered(model: type[Model]) -> bool:
    return NOTIFICATION_GATEWAYS.is_registered(model)


def hidden_from(user, *, about_types: Collection[int] | None = None) -> Q:
    """Notifications about records that `user` may not see (subqueries: no extra round trips);
    only about the kinds of record `about_types` names (content type ids), when given."""
    hidden = Q(pk__in=[])
    for content_type, pks in NOTIFICATION_GATEWAYS.visible_pks(user, content_type_ids=about_types):
        hidden |= Q(about_type=content_type) & ~Q(about_id__in=pks)
    return hidden
