"""Password reset pages (Django's, with what SocialGov adds).

Asking for a link does the same work whatever address is typed: it records the request (for the
rate limits) and queues one task with the address (socialgov.outbox); the task, outside the
request, finds the accounts and e-mails them. So the page answers in the same time for known and
unknown addresses, never waits for the mail server, and a mail server that is down only delays
the e-mail (the outbox's sweep sends it). Links are built from SITE_URL, never from the Host
header of the request.

Choosing a new password through a reset link also lifts every sign-in lock on the account: the
link reached the person's own mailbox, so whoever was guessing is not them (see
socialgov.people.throttling).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils import timezone

from socialgov.client_address import client_ip
from socialgov.outbox.errors import ServiceDown
from socialgov.people.models import PasswordResetRequest
from socialgov.people.throttling import account_unlock

SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
EMAIL_TEMPLATE = "registration/password_reset_email.txt"
RATE_WINDOW = dt.timedelta(hours=1)
KEEP_FOR = dt.timedelta(days=1)


def _digest(email: str) -> str:
    return hashlib.sha256(" ".join(email.split()).lower().encode()).hexdigest()


def password_reset_allowed(*, email: str, ip_address: str | None, now=None) -> bool:
    """Record a request and say whether it is within the limits: per address typed
    (PASSWORD_RESET_EMAIL_LIMIT an hour) and per visitor's address (PASSWORD_RESET_CLIENT_LIMIT
    an hour). Requests over a limit are recorded too, so hammering does not reset the window."""
    now = now or timezone.now()
    digest = _digest(email)
    since = now - RATE_WINDOW
    PasswordResetRequest.objects.filter(created_at__lt=now - KEEP_FOR).delete()
    by_email = PasswordResetRequest.objects.filter(email_digest=digest, created_at__gte=since)
    allowed = by_email.count() < settings.PASSWORD_RESET_EMAIL_LIMIT
    if ip_address:
        by_client = PasswordResetRequest.objects.filter(
            ip_address=ip_address, created_at__gte=since
        )
        allowed = allowed and by_client.count() < settings.PASSWORD_RESET_CLIENT_LIMIT
    PasswordResetRequest.objects.create(
        email_digest=digest, ip_address=ip_address or None, created_at=now
    )
    return allowed


class PasswordResetForm(auth_forms.PasswordResetForm):
    def queue(self, *, ip_address: str | None) -> None:
        from socialgov.outbox.services import task_queue
        from socialgov.people.tasks import password_reset_email_send

        email = self.cleaned_data["email"]
        if password_reset_allowed(email=email, ip_address=ip_address):
            # Where tasks run in process it waits for the sweep: its time must not show here.
            task_queue(password_reset_email_send, email, run_in_request=False)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        try:
            EmailMultiAlternatives(subject, body, from_email, [to_email]).send()
        except OSError as error:  # smtplib.SMTPException is an OSError
            raise ServiceDown(f"Mail server: {type(error).__name__}") from error


def password_reset_email_deliver(*, email: str) -> None:
    """E-mail a reset link to each active account with this address (none: nothing)."""
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        subject_template_name=SUBJECT_TEMPLATE,
        email_template_name=EMAIL_TEMPLATE,
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    subject_template_name = SUBJECT_TEMPLATE
    email_template_name = EMAIL_TEMPLATE

    def form_valid(self, form):
        form.queue(ip_address=client_ip(self.request))
        return super(auth_views.PasswordResetView, self).form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        account_unlock(form.user)
        return response
