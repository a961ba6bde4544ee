"""Policy text: Markdown to sanitised HTML, and the hash that freezes it.

Markdown is rendered by cmark-gfm (GitHub's C implementation of CommonMark, through cmarkgfm),
whose time is linear in the input: 12 KB of "[" or a 600-deep list take milliseconds (the
Python-Markdown used before took 34 s on the first and failed on the second). The input is still
bounded, and so is the nesting of the HTML handed to nh3, whose time grows with the square of
the depth: text longer than MAX_MARKDOWN_CHARS, or nested deeper than MAX_NESTING (lists in
lists, quotes in quotes), is refused with a message instead.
"""

import hashlib
import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from django.core.exceptions import ValidationError

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

# The longest real policy seen is about 45,000 characters; four times that is plenty.
MAX_MARKDOWN_CHARS = 200_000
# HTML from a Word document or Markdown: elements open at once (a list item in a list is 2).
MAX_NESTING = 40
MAX_HTML_CHARS = 2_000_000

TOO_LONG = (
    f"The text is too long: at most {MAX_MARKDOWN_CHARS:,} characters. Split the policy, or "
    "move appendices into a related policy."
)
TOO_DEEP = (
    "The text nests lists or quotes too deeply to show. Use at most a few levels of lists "
    "within lists."
)

# Elements that never contain others (no closing tag).
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr", "param"}
)  # fmt: skip
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")


class TextRefused(ValueError):
    """The text is too long or too deeply nested to render safely; str() is the message."""


def nesting_depth(html: str) -> int:
    """How deep the elements of `html` nest, counted from its tags in one linear pass.

    An upper bound on what an HTML parser builds (give or take the few elements it inserts
    itself, such as tbody): every start tag opens an element, and an end tag closes one only
    when it matches the innermost open element, so stray or misnested end tags cannot hide
    depth; elements a parser closes by itself (p, li) only make the real depth smaller."""
    open_tags: list[str] = []
    deepest = 0
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in VOID_TAGS:
            continue
        if not closing:
            open_tags.append(name)
            deepest = max(deepest, len(open_tags))
        elif open_tags and open_tags[-1] == name:
            open_tags.pop()
    return deepest


def sanitise_html(html: str) -> str:
    """Only structural tags survive: no scripts, styles, images, event handlers or odd links.
    TextRefused when the HTML is too long or too deeply nested to sanitise in bounded time."""
    if len(html) > MAX_HTML_CHARS:
        raise TextRefused(TOO_LONG)
    if nesting_depth(html) > MAX_NESTING:
        raise TextRefused(TOO_DEEP)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def render_markdown(text: str) -> str:
    """Markdown (CommonMark with GitHub's tables) to sanitised HTML; TextRefused when too long
    or too deeply nested."""
    text = text or ""
    if len(text) > MAX_MARKDOWN_CHARS:
        raise TextRefused(TOO_LONG)
    # Raw HTML in the Markdown is kept for nh3 to sanitise (as before), not dropped by cmark.
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    return sanitise_html(html)


def markdown_to_html(text: str, *, field: str = "body_markdown") -> str:
    """`render_markdown` for services: a refusal is a ValidationError on `field`."""
    try:
        return render_markdown(text)
    except TextRefused as refusal:
        raise ValidationError({field: str(refusal)}) from None


def text_sha256(html: str) -> str:
    """SHA-256 of the frozen, sanitised HTML exactly as served on the reading page (UTF-8)."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()
