"""Sign-in throttling (socialgov.people.throttling): counted for the account sign-in would open,
per account and address, per address (password spraying) and per account (many addresses); a
stranger's lock on someone else's account is lifted by that person's password reset."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import person_in

LOGIN = "/accounts/login/"
WRONG = "wrong-password-123"


def sign_in(client, email, password, address="198.51.100.10"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("dashboard")


def case_variants(email: str, count: int) -> list[str]:
    """`count` spellings of one address that sign-in treats as the same account."""
    local, domain = email.split("@")
    variants = []
    for n in range(count):
        flipped = "".join(c.upper() if (n >> i) & 1 else c for i, c in enumerate(local))
        variants.append(f"{flipped}@{domain.upper() if n % 2 else domain}")
    assert len(set(variants)) == count
    return variants


def test_case_variants_share_one_count_so_the_right_password_is_refused(client, staff, password):
    # 20 wrong passwords, no spelling of the address used five times: before the fix each
    # spelling had five tries of its own and the right password then worked.
    for variant in case_variants(staff.email, 5):
        for _ in range(4):
            sign_in(client, f" {variant} ", WRONG)
    response = sign_in(client, staff.email, password)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_same_count_is_kept_for_an_address_with_no_account(client, staff, password, settings):
    for variant in case_variants("nobody@willow.test", settings.AXES_FAILURE_LIMIT):
        sign_in(client, variant, WRONG)
    assert sign_in(client, "NOBODY@willow.test", WRONG).status_code == 429
    # Another account from the same address is not locked by that (only the client count rose).
    assert signed_in(sign_in(client, staff.email, password))


def test_one_address_trying_many_accounts_is_stopped(client, school, staff, password, settings):
    settings.SIGN_IN_CLIENT_FAILURE_LIMIT = 12
    victims = [person_in(school, "staff", email=f"spray{n}@willow.test") for n in range(6)]
    for victim in victims:
        for _ in range(2):  # well under the per-account limit of 5
            sign_in(client, victim.email, WRONG, address="203.0.113.66")
    # The sprayer's address is stopped even with a right password...
    assert sign_in(client, staff.email, password, address="203.0.113.66").status_code == 429
    # ...and nobody else is.
    assert signed_in(sign_in(client, staff.email, password, address="198.51.100.20"))


def test_signing_in_to_ones_own_account_does_not_clear_a_sprayers_count(
    client, school, staff, password, settings
):
    settings.SIGN_IN_CLIENT_FAILURE_LIMIT = 8
    sprayer = person_in(school, "staff", email="sprayer@willow.test")
    for n in range(7):
        sign_in(client, f"target{n}@willow.test", WRONG, address="203.0.113.66")
    assert signed_in(sign_in(client, sprayer.email, password, address="203.0.113.66"))
    client.post(reverse("logout"))
    sign_in(client, "target9@willow.test", WRONG, address="203.0.113.66")
    assert sign_in(client, staff.email, password, address="203.0.113.66").status_code == 429


def test_one_account_tried_from_many_addresses_is_locked_for_every_address(
    client, staff, password, settings
):
    settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT = 12
    for n in range(4):
        for _ in range(3):  # under the per-address limit of 5
            sign_in(client, staff.email, WRONG, address=f"203.0.113.{n + 1}")
    assert sign_in(client, staff.email, password, address="198.51.100.99").status_code == 429


def test_a_password_reset_lifts_a_strangers_lock_on_the_account(client, staff, settings):
    settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT = 8
    for n in range(4):
        for _ in range(2):
            sign_in(client, staff.email, WRONG, address=f"203.0.113.{n + 1}")
    locked_out = sign_in(client, staff.email, "whatever-it-was", address="198.51.100.7")
    assert locked_out.status_code == 429
    assert reverse("password_reset").encode() in locked_out.content

    uid = urlsafe_base64_encode(force_bytes(staff.pk))
    token = default_token_generator.make_token(staff)
    link = client.get(reverse("password_reset_confirm", args=[uid, token]))
    new_password = "a-brand-new-passphrase-7"
    done = client.post(
        link["Location"], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert signed_in(sign_in(client, staff.email, new_password, address="198.51.100.7"))


def test_a_successful_sign_in_clears_only_ones_own_failures_from_that_address(
    client, staff, password, settings
):
    settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT = 9
    for _ in range(4):
        sign_in(client, staff.email, WRONG, address="203.0.113.1")  # a stranger
    for _ in range(4):
        sign_in(client, staff.email, WRONG, address="198.51.100.7")  # the person themselves
    assert signed_in(sign_in(client, staff.email, password, address="198.51.100.7"))
    client.post(reverse("logout"))
    # Their own four are gone; the stranger's four still count towards the account's limit.
    for _ in range(4):
        sign_in(client, staff.email, WRONG, address="198.51.100.7")
    assert sign_in(client, staff.email, WRONG, address="198.51.100.8").status_code == 429


@pytest.mark.parametrize("visitor", ["203.0.113.7", "2001:db8::7"])
def test_behind_the_proxy_the_visitors_address_is_counted_not_the_proxys(
    client, staff, dsl, password, settings, visitor
):
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "172.18.0.5"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": staff.email, "password": WRONG},
            HTTP_X_FORWARDED_FOR=f"10.9.9.9, {visitor}",
            **proxy,
        )
    locked = client.post(
        LOGIN,
        {"username": staff.email, "password": password},
        HTTP_X_FORWARDED_FOR=visitor,
        **proxy,
    )
    assert locked.status_code == 429
    # Another visitor coming through the same proxy is not locked out of the same account.
    other = client.post(
        LOGIN,
        {"username": staff.email, "password": password},
        HTTP_X_FORWARDED_FOR="198.51.100.2",
        **proxy,
    )
    assert signed_in(other)
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {visitor}


def test_trying_again_while_locked_does_not_restart_the_pause(client, staff, password, settings):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, staff.email, WRONG)
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        assert sign_in(client, staff.email, WRONG).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        assert signed_in(sign_in(client, staff.email, password))


def test_failures_are_recorded_under_the_accounts_stored_address(client, staff):
    from axes.models import AccessAttempt

    sign_in(client, f"  {staff.email.upper()} ", WRONG)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [staff.email]
