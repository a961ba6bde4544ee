"""Withdrawal listeners: other apps react when a pupil may no longer appear for a purpose.

An app registers a `WithdrawalListener` in its `AppConfig.ready()`:

    from consent.listeners import WITHDRAWAL_LISTENERS, WithdrawalListener
    WITHDRAWAL_LISTENERS.register(WithdrawalListener("accounts_registry.takedowns", on_withdrawal))

Contract (official accounts build takedown tasks on it; keep it stable):
- `on_withdrawal(change: ConsentWithdrawal)` is a plain function, called **inside the transaction
  that records the change**, so what it writes commits or rolls back with it. It must not send
  e-mail itself (notifications go out after commit through `socialgov.notifications`) and must
  not call back into consent's services.
- It is called once per pupil and purpose, with `change.pupil`, `change.purpose`, `change.on`
  (the first day the pupil may no longer appear for that purpose: may be in the past, for a
  backdated letter, or in the future, for a withdrawal that takes effect later), `change.cause`
  and `change.actor` (who recorded it; None for a system job).
- Causes:
  - `decision`: a recorded decision (a withdrawal, a refusal or objection after a yes, a
    correction) made the pupil blocked on a day they were allowed before;
  - `restriction`: a photo restriction was set (called for every purpose of the school in use);
  - `left`: the pupil was marked as having left (every purpose in use; `on` is the leaving date).
- Not called for lapses that happen by themselves (expiry, re-confirmation): the daily sweep of
  published posts catches those.
- Not Django signals: the registry is explicit so that reading consent's code shows who listens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from socialgov.registry import Registry

if TYPE_CHECKING:
    from consent.models import Pupil, Purpose


class Cause:
    DECISION = "decision"
    RESTRICTION = "restriction"
    LEFT = "left"


@dataclass(frozen=True)
class ConsentWithdrawal:
    pupil: Pupil
    purpose: Purpose
    on: dt.date
    cause: str  # Cause.DECISION, Cause.RESTRICTION or Cause.LEFT
    actor: Any  # the User who recorded it, or None


@dataclass(frozen=True)
class WithdrawalListener:
    name: str  # e.g. "accounts_registry.takedowns"
    on_withdrawal: Callable[[ConsentWithdrawal], None]
    order: int = 100


WITHDRAWAL_LISTENERS: Registry[WithdrawalListener] = Registry("withdrawal listener")


def withdrawal_listeners_call(change: ConsentWithdrawal) -> None:
    """Tell every registered listener (inside the caller's transaction)."""
    for listener in WITHDRAWAL_LISTENERS.entries():
        listener.on_withdrawal(change)
