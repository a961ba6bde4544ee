"""Leaver listeners: apps react when a person leaves a school or loses roles there.

An app registers a `LeaverListener` in `AppConfig.ready()`. Its function is called inside the
transaction that records the change (so its writes commit or roll back with it) — when a
membership's leaving date is recorded (today, in the past or in the future), and when roles are
taken away (by a role change or the staff import). Listeners must not send e-mail themselves:
notifications go out after commit through `socialgov.notifications`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from socialgov.registry import Registry

if TYPE_CHECKING:
    from socialgov.people.models import Membership


@dataclass(frozen=True)
class MembershipChange:
    membership: Membership
    actor: Any  # the User who recorded the change
    roles_removed: frozenset[str]  # every role held, when the person leaves
    leaving_date: dt.date | None  # set when the person leaves the school


@dataclass(frozen=True)
class LeaverListener:
    name: str  # e.g. "accounts_registry.flag_administrators"
    on_change: Callable[[MembershipChange], None]
    order: int = 100


LEAVER_LISTENERS: Registry[LeaverListener] = Registry("leaver listener")


def leaver_listeners_call(change: MembershipChange) -> None:
    """Tell every registered listener (inside the caller's transaction)."""
    if not change.roles_removed and change.leaving_date is None:
        return
    for listener in LEAVER_LISTENERS.entries():
        listener.on_change(change)
