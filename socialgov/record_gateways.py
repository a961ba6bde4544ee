"""Record gateways: for a model, the app's function giving the records a person may see.

Two core features show something about other apps' records and must not reveal records a person
may not see: the access log (socialgov.audit.registry) and notifications about a record
(socialgov.notifications.registry). Each keeps a `RecordGatewayRegistry` of `RecordGateway`
entries, one per model, which apps fill in their `AppConfig.ready()`. What a missing gateway
means is each feature's own decision (the access log denies, notifications show).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from socialgov.registry import Registry


@dataclass(frozen=True)
class RecordGateway:
    model: type[Model]
    # `visible_to(user)` returns the records of `model` the person may see (the app's gateway).
    visible_to: Callable[..., QuerySet]

    @property
    def name(self) -> str:
        return self.model._meta.label


class RecordGatewayRegistry(Registry[RecordGateway]):
    """One gateway per model: the same one again is harmless, a different one is an error."""

    def register_gateway(self, model: type[Model], visible_to: Callable[..., QuerySet]) -> None:
        self.register(RecordGateway(model, visible_to))

    def unregister_gateway(self, model: type[Model]) -> None:
        self.unregister(model._meta.label)

    def is_registered(self, model: type[Model]) -> bool:
        return model._meta.label in self

    def visible_pks(
        self, user, *, content_type_ids: Collection[int] | None = None
    ) -> Iterator[tuple[ContentType, QuerySet]]:
        """For each registered model (of those whose content type `content_type_ids` names,
        when given), its content type and a subquery of the primary keys of the records `user`
        may see (to be used inside a filter: no extra round trips)."""
        for gateway in self.entries():
            content_type = ContentType.objects.get_for_model(gateway.model)
            if content_type_ids is not None and content_type.pk not in content_type_ids:
                continue
            yield content_type, gateway.visible_to(user).values("pk")
