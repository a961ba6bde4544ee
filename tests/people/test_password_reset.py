"""Password reset: the same work for known and unknown addresses, rate limited, links from
SITE_URL (issue 7, items 7 and 8)."""

import pytest
from django.urls import reverse

from socialgov.outbox.models import OutboxTask
from socialgov.outbox.services import outbox_tasks_hand_over


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def post(email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("password_reset"), {"email": email}, **extra)

    return post


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_work(ask, staff, mailoutbox):
    known = ask(staff.email)
    unknown = ask("nobody-here@example.org.uk")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    # Nothing is looked up or sent inside the request: one waiting task each, same shape.
    assert mailoutbox == []
    waiting = list(OutboxTask.objects.values_list("task_name", flat=True))
    assert waiting == ["socialgov.people.tasks.password_reset_email_send"] * 2
    assert outbox_tasks_hand_over() == 2
    assert [m.to for m in mailoutbox] == [[staff.email]]


def test_the_sent_page_says_the_email_will_come_shortly(ask, client, staff):
    response = client.get(ask(staff.email)["Location"])
    assert b"will be sent to it shortly" in response.content


def test_requests_for_one_address_are_rate_limited(ask, staff, settings, mailoutbox):
    settings.PASSWORD_RESET_EMAIL_LIMIT = 3
    for _ in range(5):
        assert ask(f"  {staff.email.upper()} ").status_code == 302
    assert OutboxTask.objects.count() == 3
    outbox_tasks_hand_over()
    assert len(mailoutbox) == 3


def test_requests_from_one_visitor_are_rate_limited_across_addresses(ask, settings, db):
    settings.PASSWORD_RESET_CLIENT_LIMIT = 4
    for n in range(6):
        ask(f"person{n}@example.org.uk", REMOTE_ADDR="203.0.113.9")
    assert OutboxTask.objects.count() == 4
    ask("person9@example.org.uk", REMOTE_ADDR="203.0.113.10")
    assert OutboxTask.objects.count() == 5


def test_the_link_comes_from_site_url_never_from_the_host_header(ask, staff, settings, mailoutbox):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://governance.example.org.uk"
    ask(staff.email, HTTP_HOST="attacker.example")
    outbox_tasks_hand_over()
    body = mailoutbox[0].body
    assert "https://governance.example.org.uk/accounts/password-reset/" in body
    assert "attacker.example" not in body
