"""Every notification kind's texts: neutral one-line subjects, a link, and no sensitive detail.

Kinds are found by globbing templates/notifications/email/, so kinds other apps add later are
checked too, with the same sample context (DESIGN §5: never safeguarding details in an e-mail).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from socialgov.notifications.rendering import render_text
from socialgov.notifications.services import notification_email_deliver, notification_send

EMAIL_DIR = Path(settings.BASE_DIR) / "templates" / "notifications" / "email"
KINDS = sorted(path.stem for path in EMAIL_DIR.glob("*.txt") if not path.stem.endswith("_subject"))

SENSITIVE_WORDS = [
    "safeguarding",
    "abuse",
    "abusive",
    "concern",
    "incident",
    "disclosure",
    "pupil",
    "child",
    "allegation",
    "nude",
    "exploitation",
    "police",
    "LADO",
    "bullying",
    "self-harm",
]

# Values a caller might (wrongly or for its own in-app use) pass: no template may print them.
SENSITIVE_CONTEXT = {
    "pupil_name": "Zara Example",
    "pupil": "Zara Example",
    "subject_name": "Quentin Subjectperson",
    "reporter_name": "Rita Reporterperson",
    "perpetrator_name": "Percy Perpetratorperson",
    "description": "Details-of-what-happened-XYZZY",
    "category": "Category-label-PLUGH",
    "notes": "Handling-notes-FROBOZZ",
}
# Neutral values a template may use, so kinds that need them still render.
SAMPLE_CONTEXT = {
    "policy_title": "Staff acceptable use policy",
    "due_date": "01/09/2025",
    "days": 30,
    "count": 3,
    "account_name": "Willow Bank on Instagram",
}


def test_kinds_are_found():
    assert "notice" in KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_all_three_templates(kind):
    assert (EMAIL_DIR / f"{kind}_subject.txt").is_file(), f"{kind}: no _subject.txt"
    assert (EMAIL_DIR.parent / f"{kind}_title.txt").is_file(), f"{kind}: no in-app _title.txt"


@pytest.mark.parametrize("kind", KINDS)
def test_subject_is_one_neutral_line(kind, staff, school):
    raw = render_text(
        f"notifications/email/{kind}_subject.txt",
        {**SAMPLE_CONTEXT, **SENSITIVE_CONTEXT, "recipient": staff, "school": school},
    ).strip()
    assert raw, f"{kind}: empty subject"
    assert "\n" not in raw, f"{kind}: the subject template renders more than one line"
    for word in SENSITIVE_WORDS:
        assert not re.search(rf"\b{re.escape(word)}", raw, re.IGNORECASE), (
            f"{kind}: the subject {raw!r} mentions {word!r}"
        )


@pytest.mark.parametrize("kind", KINDS)
def test_email_has_the_link_and_leaks_nothing_sensitive(kind, staff, school, settings, mailoutbox):
    settings.SITE_URL = "https://socialgov.example.org.uk"
    school.name = "St Mary's & All Saints"  # plain text: must not come out as &#x27; / &amp;
    school.save()
    notification = notification_send(
        recipient=staff,
        school=school,
        kind=kind,
        url="/sample/42/",
        context={**SAMPLE_CONTEXT, **SENSITIVE_CONTEXT},
    )
    assert notification_email_deliver(notification_id=notification.pk)
    email = mailoutbox[-1]
    assert "https://socialgov.example.org.uk/sample/42/" in email.body, f"{kind}: no link"
    for key, value in SENSITIVE_CONTEXT.items():
        for text, where in ((email.subject, "subject"), (email.body, "body")):
            assert value not in text, f"{kind}: the e-mail {where} prints {key}"
        assert value not in notification.title, f"{kind}: the in-app title prints {key}"
    assert "&#x27;" not in email.body and "&amp;" not in email.body, f"{kind}: HTML-escaped text"


def test_the_check_would_catch_a_leaking_template(staff, school, settings, tmp_path, mailoutbox):
    """The test above must be able to fail: a template printing a pupil's name is caught."""
    (tmp_path / "notifications" / "email").mkdir(parents=True)
    (tmp_path / "notifications" / "leaky_title.txt").write_text("Hello")
    (tmp_path / "notifications" / "email" / "leaky_subject.txt").write_text("Hello")
    (tmp_path / "notifications" / "email" / "leaky.txt").write_text("{{ pupil_name }} {{ url }}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    notification = notification_send(
        recipient=staff, school=school, kind="leaky", url="/x/", context=SENSITIVE_CONTEXT
    )
    notification_email_deliver(notification_id=notification.pk)
    assert "Zara Example" in mailoutbox[-1].body
