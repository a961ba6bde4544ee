"""The visitor's address behind trusted proxies (socialgov.client_address), as signing and
sign-in throttling see it."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from socialgov.client_address import client_ip


def _request(remote="172.18.0.5", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_proxies_the_connection_address_is_the_visitor(settings):
    settings.PROXY_COUNT = 0
    assert client_ip(_request(forwarded="198.51.100.9")) == "172.18.0.5"


@pytest.mark.parametrize(
    "forwarded,expected",
    [
        ("203.0.113.7", "203.0.113.7"),
        # The visitor wrote the left-hand entry themselves: never trusted.
        ("198.51.100.1, 203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("2001:db8::1", "2001:db8::1"),
        # Not through the proxy, or nonsense from it: the connection's own address.
        ("", "172.18.0.5"),
        ("not-an-address", "172.18.0.5"),
    ],
)
def test_behind_one_proxy_its_forwarded_entry_is_the_visitor(settings, forwarded, expected):
    settings.PROXY_COUNT = 1
    assert client_ip(_request(forwarded=forwarded)) == expected


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_visitor(settings):
    settings.PROXY_COUNT = 2
    request = _request(forwarded="6.6.6.6, 203.0.113.7, 10.0.0.2")
    assert client_ip(request) == "203.0.113.7"


def test_a_signature_behind_the_proxy_records_the_visitors_address(
    settings, client_for, school, headteacher, staff
):
    from policies.models import Signature
    from tests.policies.factories import policy_for, published_version_for

    settings.PROXY_COUNT = 1
    policy = policy_for(school, headteacher, title="Staff AUP")
    version = published_version_for(policy, headteacher)
    response = client_for(staff).post(
        reverse("version_sign", kwargs={"pk": version.pk}),
        {"agreed": "on", "typed_name": staff.full_name},
        REMOTE_ADDR="172.18.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
    )
    assert response.status_code == 302, response.content[:500]
    assert Signature.objects.get(signer=staff).ip_address == "203.0.113.7"


def test_sign_in_throttling_counts_the_visitors_address(settings):
    from axes.helpers import get_client_ip_address

    settings.PROXY_COUNT = 1
    assert get_client_ip_address(_request(forwarded="203.0.113.7")) == "203.0.113.7"
