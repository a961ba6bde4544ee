from policies.redline import html_blocks, redline_has_changes, redline_html
from policies.text import markdown_to_html

BASE = (
    "# Staff AUP\n\n"
    "Staff use school accounts for school work.\n\n"
    "1. Keep passwords private.\n"
    "2. Report concerns to the DSL.\n"
)


def redline(old_md: str, new_md: str) -> str:
    return redline_html(markdown_to_html(old_md), markdown_to_html(new_md))


def test_identical_texts_have_no_insertions_or_deletions():
    html = redline(BASE, BASE)
    assert "<ins>" not in html and "<del>" not in html
    assert not redline_has_changes(html)
    assert "Keep passwords private." in html


def test_an_added_clause_is_marked_as_added():
    html = redline(BASE, BASE + "3. Never befriend pupils online.\n")
    assert (
        '<ins><span class="visually-hidden">added: </span>Never befriend pupils online.</ins>'
        in (html)
    )
    assert "<del>" not in html


def test_a_removed_clause_is_marked_as_removed():
    html = redline(BASE, BASE.replace("2. Report concerns to the DSL.\n", ""))
    assert "removed: </span>Report concerns to the DSL.</del>" in html
    assert "<ins>" not in html


def test_changed_words_are_marked_word_by_word():
    html = redline(BASE, BASE.replace("for school work", "for school work only"))
    assert "Staff use school accounts for school <del>" in html
    assert "removed: </span>work.</del>" in html
    assert "added: </span>work only.</ins>" in html


def test_a_clause_added_above_does_not_mark_the_renumbered_ones_as_changed():
    html = redline(
        BASE, BASE.replace("1. Keep", "1. Lock screens.\n2. Keep").replace("2. Rep", "3. Rep")
    )
    assert html.count("<ins>") == 1 and "<del>" not in html
    assert "<p>3. Report concerns to the DSL.</p>" in html


def test_text_that_looks_like_markup_stays_escaped():
    html = redline(
        "Pupils < 13 need consent.", "Pupils < 12 need consent. <script>alert(1)</script>"
    )
    assert "<script" not in html
    assert "Pupils &lt; <del>" in html


def test_table_rows_are_compared_cell_by_cell():
    table = "| Who | Signs |\n|---|---|\n| Staff | yearly |\n"
    html = redline(table, table.replace("yearly", "every term"))
    assert "Staff | <del>" in html and "every term</ins>" in html


def test_blocks_are_read_in_order_with_list_markers():
    blocks = html_blocks(markdown_to_html(BASE))
    assert [(b.kind, b.marker, " ".join(b.words)) for b in blocks] == [
        ("heading", "", "Staff AUP"),
        ("text", "", "Staff use school accounts for school work."),
        ("item", "1.", "Keep passwords private."),
        ("item", "2.", "Report concerns to the DSL."),
    ]


def test_empty_texts_give_an_empty_redline():
    assert redline_html("", "") == ""
    assert "added: </span>New text.</ins>" in redline_html("", "<p>New text.</p>")
