"""Imported text as editable Markdown, and how much of a text a change would remove (issue 9.3).

A Word document is imported as sanitised HTML (policies.docx_import). To edit it in the browser
its HTML is converted to Markdown with markdownify (a well-kept converter), written so that
the Markdown renderer (policies.text, CommonMark) reads it back to the same text: nested lists
indented by four spaces, the marks that would start a heading, list or quote escaped, a "<"
kept as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

_ESCAPE = re.compile(r"([\\`*_\[\]])")
# Marks that would start a heading, a list item, a quote or a rule where they begin a line.
_HASHES = re.compile(r"^([ \t]*)(#{1,6}(?:\s|$))", re.MULTILINE)
_LIST_ITEMS = re.compile(r"^([ \t]*[0-9]{1,9})([.)](?:\s|$))", re.MULTILINE)
_DASHES = re.compile(r"^([ \t]*)([-+>]+(?:\s|$))", re.MULTILINE)
# A list inside a list item is indented by four spaces: CommonMark reads it as nested.
LIST_INDENT = 4


class _PolicyMarkdown(MarkdownConverter):
    def escape(self, text, parent_tags):
        if not text:
            return ""
        text = _ESCAPE.sub(r"\\\1", text)
        text = text.replace("<", "&lt;")
        text = _HASHES.sub(r"\1\\\2", text)
        text = _LIST_ITEMS.sub(r"\1\\\2", text)
        if parent_tags and {"td", "th"} & set(parent_tags):
            text = text.replace("|", r"\|")  # a cell's own bar, not the table's
        return _DASHES.sub(r"\1\\\2", text)

    def convert_li(self, el, text, parent_tags):
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = parent.get("start")
            first = int(start) if start and str(start).isdigit() else 1
            bullet = f"{first + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        bullet = f"{bullet} ".ljust(LIST_INDENT)
        indent = " " * len(bullet)
        lines = text.split("\n")
        body = "\n".join(indent + line if line else "" for line in lines[1:])
        return f"{bullet}{lines[0]}" + (f"\n{body}" if body else "") + "\n"


def html_to_markdown(html: str) -> str:
    """The sanitised HTML of a policy as Markdown to edit (tables keep their first row as the
    header; merged cells become separate ones)."""
    markdown = _PolicyMarkdown(
        heading_style="ATX", bullets="-", table_infer_header=True, escape_misc=False
    ).convert(html or "")
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"


def words_of(html: str) -> list[str]:
    """The words a reader sees in a policy's HTML."""
    return BeautifulSoup(html or "", "html.parser").get_text(" ").split()


def _letters(html: str) -> str:
    return "".join(BeautifulSoup(html or "", "html.parser").get_text("").split())


def same_words(html: str, other_html: str) -> bool:
    """Do readers see the same text in both, whatever the spacing between elements? (A web
    address made a link, or a cell's paragraph dropped, changes no word.)"""
    return _letters(html) == _letters(other_html)


# Saving a text that keeps less than this share of the words asks for a confirmation first...
KEEP_AT_LEAST = 0.8
# ...when it removes at least this many words.
REMOVED_AT_LEAST = 20


@dataclass(frozen=True)
class Removal:
    before: int
    after: int

    @property
    def removed(self) -> int:
        return self.before - self.after

    @property
    def needs_confirmation(self) -> bool:
        return self.removed >= REMOVED_AT_LEAST and self.after < self.before * KEEP_AT_LEAST

    def sentence(self) -> str:
        return (
            f"Saving this replaces a text of {self.before:,} words with one of {self.after:,} "
            f"words: {self.removed:,} words will be removed. Tick the box to confirm, or go back "
            "to the draft to keep them."
        )


def removal(old_html: str, new_html: str) -> Removal:
    return Removal(before=len(words_of(old_html)), after=len(words_of(new_html)))
