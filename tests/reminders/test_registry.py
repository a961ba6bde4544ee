"""The reminder registry: apps register kinds at start-up; a clash of names is an error."""

import pytest

from socialgov.reminders import registry
from socialgov.reminders.registry import ReminderKind


def _kind(name="registry_test", label="Registry test", notification_kind="reminder_test"):
    return ReminderKind(name=name, label=label, notification_kind=notification_kind, due=_nothing)


def _nothing(on):
    return []


def test_a_registered_kind_is_listed_and_found_by_name():
    kind = _kind()
    with registry.registered_for(kind):
        assert kind in registry.registered()
        assert registry.get("registry_test") is kind
    assert kind not in registry.registered()
    with pytest.raises(KeyError):
        registry.get("registry_test")


def test_registering_the_same_kind_twice_is_harmless():
    kind = _kind()
    with registry.registered_for(kind):
        registry.register(_kind())  # equal: e.g. ready() running twice
        assert [k.name for k in registry.registered()].count("registry_test") == 1


def test_two_different_kinds_with_one_name_clash():
    with registry.registered_for(_kind()):
        with pytest.raises(ValueError, match="already registered"):
            registry.register(_kind(label="Something else"))
        assert registry.get("registry_test").label == "Registry test"


def test_kinds_are_listed_in_name_order():
    with registry.only(_kind("zebra_test"), _kind("aardvark_test")):
        assert [k.name for k in registry.registered()] == ["aardvark_test", "zebra_test"]


def test_only_restores_the_registry_afterwards():
    before = registry.registered()
    with registry.only(_kind()):
        assert [k.name for k in registry.registered()] == ["registry_test"]
    assert registry.registered() == before


def test_registered_for_leaves_a_kind_registered_before_it():
    kind = _kind()
    with registry.only(kind):
        with registry.registered_for(kind):
            pass
        assert registry.get("registry_test") is kind


def test_unregistering_an_unknown_kind_is_harmless():
    registry.unregister("never_registered")


def test_two_factor_enrolment_is_registered_at_start_up():
    kind = registry.get("twofactor_enrolment")
    assert kind.notification_kind == "twofactor_enrolment"
