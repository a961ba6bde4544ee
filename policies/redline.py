"""A redline between two versions' sanitised HTML: what was removed and what was added.

The texts are split into blocks (headings, paragraphs, list items, table rows, …), the blocks are
compared in order, and blocks that changed are compared word by word. Removed words are wrapped in
<del>, added words in <ins>, each starting with hidden words ("removed:", "added:") so that screen
readers say what the styling shows. Inline formatting is not kept: a redline is about the words.
The output is built from escaped text and a fixed set of tags, and passed through nh3 again.

Comparing is quadratic in the worst case (difflib), so it is capped: beyond MAX_BLOCK_PAIRS the
blocks outside the common beginning and end are shown as removed and added whole, and once
MAX_WORD_PAIRS word comparisons have been spent a changed block is shown whole too (a note says
so). `redline_for(old, new)` caches the result per pair of versions and texts.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

import nh3
from django.core.cache import cache

BLOCK_TAGS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "dt", "dd", "pre", "caption"}
)
# Containers whose own loose text (outside any block) still forms a block.
LOOSE_TEXT_TAGS = frozenset({"blockquote", "td", "th", "ul", "ol", "table", "dl"})
CELL_TAGS = frozenset({"td", "th"})
REDLINE_TAGS = {"p", "strong", "del", "ins", "span"}
REDLINE_ATTRIBUTES = {"span": {"class"}}
# Caps on difflib's work (its time grows with the product of the two lengths): about a second
# at most on a slow machine, whatever the texts.
MAX_BLOCK_PAIRS = 1_000_000  # e.g. 1,000 blocks against 1,000
MAX_WORD_PAIRS = 2_000_000  # in all changed blocks together, e.g. two 1,400-word paragraphs
CAPPED_NOTE = (
    "<p><strong>Some long passages are shown as removed and added in full, not word by "
    "word.</strong></p>"
)
CACHE_SECONDS = 30 * 24 * 3600


@dataclass
class Block:
    kind: str  # "heading", "item", "row" or "text"
    marker: str = ""  # "1." or "•" for list items
    parts: list[str] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return " ".join(self.parts).split()

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        # Not the list marker: a clause added above renumbers the ones below without changing them.
        return (self.kind, tuple(self.words))


class _BlockParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.lists: list[list] = []  # [tag, next number] per open list
        self.in_row_cells = 0

    def _start(self, kind: str, marker: str = "") -> None:
        self._finish()
        self.current = Block(kind=kind, marker=marker)

    def _finish(self) -> None:
        if self.current is not None and self.current.words:
            self.blocks.append(self.current)
        self.current = None

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self._finish()
            start = dict(attrs).get("start") or "1"
            self.lists.append([tag, int(start) if start.isdigit() else 1])
        elif tag == "li":
            marker = "•"
            if self.lists and self.lists[-1][0] == "ol":
                marker = f"{self.lists[-1][1]}."
                self.lists[-1][1] += 1
            self._start("item", marker)
        elif tag in CELL_TAGS:
            if self.current is None or self.current.kind != "row":
                self._start("row")
            elif self.current.words:
                self.current.parts.append("|")
        elif tag == "tr":
            self._start("row")
        elif tag in BLOCK_TAGS:
            self._start("heading" if re.fullmatch(r"h[1-6]", tag) else "text")
        elif tag in ("br", "hr") and self.current is not None:
            self.current.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self._finish()
            if self.lists:
                self.lists.pop()
        elif tag in BLOCK_TAGS or tag in LOOSE_TEXT_TAGS - CELL_TAGS:
            self._finish()

    def handle_data(self, data):
        if not data.strip():
            if self.current is not None:
                self.current.parts.append(" ")
            return
        if self.current is None:
            self.current = Block(kind="text")
        self.current.parts.append(data)

    def close(self):
        super().close()
        self._finish()


def html_blocks(html: str) -> list[Block]:
    """The blocks of a sanitised HTML text, in reading order."""
    parser = _BlockParser()
    parser.feed(html or "")
    parser.close()
    return parser.blocks


def _words(words: list[str]) -> str:
    return escape(" ".join(words))


def _removed(words: list[str]) -> str:
    return f'<del><span class="visually-hidden">removed: </span>{_words(words)}</del>'


def _added(words: list[str]) -> str:
    return f'<ins><span class="visually-hidden">added: </span>{_words(words)}</ins>'


def _paragraph(block: Block, inner: str) -> str:
    if block.marker:
        inner = f"{escape(block.marker)} {inner}"
    if block.kind == "heading":
        inner = f"<strong>{inner}</strong>"
    return f"<p>{inner}</p>"


class _Budget:
    """Word comparisons left for this redline; `capped` once a block had to be shown whole."""

    def __init__(self, word_pairs: int) -> None:
        self.word_pairs = word_pairs
        self.capped = False

    def spend(self, old: list[str], new: list[str]) -> bool:
        cost = len(old) * len(new)
        if cost > self.word_pairs:
            self.capped = True
            return False
        self.word_pairs -= cost
        return True


def _word_diff(old: list[str], new: list[str], budget: _Budget) -> str:
    if not budget.spend(old, new):
        return f"{_removed(old)} {_added(new)}"
    pieces = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(_words(old[i1:i2]))
        if op in ("delete", "replace"):
            pieces.append(_removed(old[i1:i2]))
        if op in ("insert", "replace"):
            pieces.append(_added(new[j1:j2]))
    return " ".join(pieces)


def _changed_blocks(old: list[Block], new: list[Block], budget: _Budget) -> list[str]:
    """Blocks replaced by others: pair them in order and compare words; the rest are whole."""
    out = []
    for index in range(max(len(old), len(new))):
        before = old[index] if index < len(old) else None
        after = new[index] if index < len(new) else None
        if before is not None and after is not None:
            out.append(_paragraph(after, _word_diff(before.words, after.words, budget)))
        elif before is not None:
            out.append(_paragraph(before, _removed(before.words)))
        elif after is not None:
            out.append(_paragraph(after, _added(after.words)))
    return out


def _block_opcodes(old: list[Block], new: list[Block], budget: _Budget):
    """difflib's opcodes over the blocks, or, past MAX_BLOCK_PAIRS, the common beginning and
    end kept and everything between them replaced (linear)."""
    old_keys, new_keys = [b.key for b in old], [b.key for b in new]
    if len(old) * len(new) <= MAX_BLOCK_PAIRS:
        matcher = difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
        return matcher.get_opcodes()
    budget.capped = True
    head = 0
    while head < min(len(old), len(new)) and old_keys[head] == new_keys[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(old), len(new)) - head
        and old_keys[len(old) - 1 - tail] == new_keys[len(new) - 1 - tail]
    ):
        tail += 1
    opcodes = [("equal", 0, head, 0, head)] if head else []
    middle_old, middle_new = (head, len(old) - tail), (head, len(new) - tail)
    if middle_old[0] < middle_old[1] or middle_new[0] < middle_new[1]:
        # Shown whole: pairing blocks of an unaligned middle word by word says nothing useful.
        opcodes.append(("delete", *middle_old, middle_new[0], middle_new[0]))
        opcodes.append(("insert", middle_old[1], middle_old[1], *middle_new))
    if tail:
        opcodes.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    return opcodes


def redline_html(old_html: str, new_html: str) -> str:
    """Sanitised HTML showing `new_html` with what changed since `old_html` marked."""
    old, new = html_blocks(old_html), html_blocks(new_html)
    out: list[str] = []
    budget = _Budget(MAX_WORD_PAIRS)
    for op, i1, i2, j1, j2 in _block_opcodes(old, new, budget):
        if op == "equal":
            out.extend(_paragraph(b, _words(b.words)) for b in new[j1:j2])
        elif op == "delete":
            out.extend(_paragraph(b, _removed(b.words)) for b in old[i1:i2])
        elif op == "insert":
            out.extend(_paragraph(b, _added(b.words)) for b in new[j1:j2])
        else:
            out.extend(_changed_blocks(old[i1:i2], new[j1:j2], budget))
    if budget.capped:
        out.insert(0, CAPPED_NOTE)
    return nh3.clean(
        "\n".join(out), tags=REDLINE_TAGS, attributes=REDLINE_ATTRIBUTES, link_rel=None
    )


def _text_key(version) -> str:
    return version.text_sha256 or hashlib.sha256(version.body_html.encode("utf-8")).hexdigest()


def redline_for(old, new) -> str:
    """The redline between two versions, computed once per pair of versions and their texts
    (frozen texts never change; a draft's changed text is a new key)."""
    key = f"policies:redline:v1:{old.pk}:{_text_key(old)}:{new.pk}:{_text_key(new)}"
    html = cache.get(key)
    if html is None:
        html = redline_html(old.body_html, new.body_html)
        cache.set(key, html, CACHE_SECONDS)
    return html


def redline_has_changes(html: str) -> bool:
    return "<ins>" in html or "<del>" in html
