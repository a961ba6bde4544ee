"""Rendering notification texts: plain text, so no HTML escaping (the HTML pages escape titles)."""

from django.conf import settings
from django.template import Context, engines
from django.template.loader import get_template


def template_names(kind: str) -> dict[str, str]:
    """The three templates every notification kind ships."""
    return {
        "title": f"notifications/{kind}_title.txt",
        "subject": f"notifications/email/{kind}_subject.txt",
        "body": f"notifications/email/{kind}.txt",
    }


def check_kind(kind: str) -> None:
    """Fail at once, inside the caller's transaction, when a kind's templates are missing."""
    for name in template_names(kind).values():
        get_template(name)


def render_text(template_name: str, context: dict) -> str:
    """Render a text template without HTML autoescaping (e-mails and titles are not HTML)."""
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(context, autoescape=False))


def one_line(text: str) -> str:
    return " ".join(text.split())


def absolute_url(url: str) -> str:
    return f"{settings.SITE_URL}{url}"
