"""E-mails about incidents say only that there is something to look at, with a link (issue 13,
Access): for every kind of incident notification, the e-mail carries neither the reference, the
category, the description nor anyone's name but the recipient's."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from incidents.reports.models import Category
from incidents.reports.services.common import notify
from tests.incidents.helpers import concern_about

TEMPLATES = Path(django_settings.BASE_DIR) / "templates" / "notifications" / "email"
KINDS = sorted(
    path.name.removesuffix("_subject.txt") for path in TEMPLATES.glob("incident_*_subject.txt")
)


def test_the_kinds_are_found():
    assert {"incident_new", "incident_new_urgent", "incident_routed"} <= set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_the_email_names_nothing_but_the_link(
    kind,
    school,
    headteacher,
    dsl,
    staff,
    mailoutbox,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://socialgov.example.org.uk"
    incident = concern_about(school, dsl, staff, description="Secret-XYZZY details")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify([headteacher], incident, kind, days=7, category=incident.category)
    [email] = mailoutbox
    text = f"{email.subject}\n{email.body}"
    assert f"https://socialgov.example.org.uk/incidents/{incident.pk}/" in email.body
    assert incident.reference not in text
    assert "XYZZY" not in text
    assert staff.full_name not in text and dsl.full_name not in text
    for label in (Category.STAFF_CONDUCT.label, "safeguarding", "conduct", "concern"):
        assert label.lower() not in text.lower(), label
