"""Policy text: Markdown to sanitised HTML, and the hash that freezes it."""

import hashlib

import markdown
import nh3

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "b", "i", "u",
    "ul", "ol", "li", "blockquote", "code", "pre", "a", "table", "thead", "tbody", "tfoot",
    "tr", "th", "td", "caption", "sup", "sub", "dl", "dt", "dd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start", "type"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}


def sanitise_html(html: str) -> str:
    """Only structural tags survive: no scripts, styles, images, event handlers or odd links."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def markdown_to_html(text: str) -> str:
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    return sanitise_html(html)


def text_sha256(html: str) -> str:
    """SHA-256 of the frozen, sanitised HTML exactly as served on the reading page (UTF-8)."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()
