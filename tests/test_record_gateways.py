"""The core's record gateways (socialgov.record_gateways), shared by the access log and
notifications: one entry type, one gateway per model, and each feature's own default."""

import pytest

from socialgov.audit import registry as audit_registry
from socialgov.notifications import registry as notifications_registry
from socialgov.notifications.selectors import notification_inbox
from socialgov.notifications.services import notification_send
from socialgov.people.models import Membership
from socialgov.record_gateways import RecordGateway, RecordGatewayRegistry


def _nobody(user):
    return Membership.objects.none()


def _everybody(user):
    return Membership.objects.all()


def test_both_features_keep_the_same_kind_of_registry():
    assert isinstance(audit_registry.ACCESS_LOG_GATEWAYS, RecordGatewayRegistry)
    assert isinstance(notifications_registry.NOTIFICATION_GATEWAYS, RecordGatewayRegistry)
    assert audit_registry.AccessLogGateway is RecordGateway


@pytest.mark.parametrize(
    "module,gateways",
    [
        (audit_registry, audit_registry.ACCESS_LOG_GATEWAYS),
        (notifications_registry, notifications_registry.NOTIFICATION_GATEWAYS),
    ],
    ids=["access log", "notifications"],
)
def test_one_gateway_per_model_the_same_again_harmless(module, gateways):
    with gateways.only():
        assert not module.is_registered(Membership)
        module.register_gateway(Membership, _nobody)
        module.register_gateway(Membership, _nobody)  # apps' ready() may run twice
        assert module.is_registered(Membership)
        with pytest.raises(ValueError, match="'people.Membership' is already registered"):
            module.register_gateway(Membership, _everybody)
        assert gateways.get("people.Membership") == RecordGateway(Membership, _nobody)
    assert gateways.is_registered(Membership) is (module is audit_registry)


def test_notifications_unregister_a_gateway():
    gateways = notifications_registry.NOTIFICATION_GATEWAYS
    with gateways.only(RecordGateway(Membership, _nobody)):
        notifications_registry.unregister_gateway(Membership)
        assert not notifications_registry.is_registered(Membership)
        assert list(gateways.entries()) == []


def test_notifications_show_what_no_gateway_covers_and_hide_what_one_denies(staff, school, office):
    """Unlike the access log (deny by default, tests/audit/test_access_log.py), a notification
    about a model without a gateway is shown; one whose gateway denies the record is hidden."""
    notification = notification_send(
        recipient=staff, school=school, kind="notice", url="/x/", about=office.memberships.get()
    )
    gateways = notifications_registry.NOTIFICATION_GATEWAYS
    with gateways.only():
        assert list(notification_inbox(staff)) == [notification]
    with gateways.only(RecordGateway(Membership, _nobody)):
        assert list(notification_inbox(staff)) == []
    with gateways.only(RecordGateway(Membership, _everybody)):
        assert list(notification_inbox(staff)) == [notification]
