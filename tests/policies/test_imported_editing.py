"""Editing an imported draft never loses text (issue 9.3): the editor shows the imported text as
Markdown, its preview matches what readers see, and saving a much shorter text asks first,
saying how much would go.

tests/policies/fixtures/staff_aup.docx is a school's Word policy as python-docx writes one:
a title, numbered headings, paragraphs with bold text, numbered and bulleted lists, a table,
and the characters Markdown treats specially (* _ # < & | and curly quotes).
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from policies import services
from policies.markdown_source import html_to_markdown, removal, same_words, words_of
from policies.models import PolicyVersion
from policies.text import markdown_to_html, sanitise_html
from tests.policies.factories import policy_for

DOCX = Path(__file__).parent / "fixtures" / "staff_aup.docx"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LINE = "Staff write to parents only from their school email address."


def imported_draft(client, policy) -> PolicyVersion:
    response = client.post(
        reverse("policy_import", args=[policy.pk]),
        {
            "document": SimpleUploadedFile("Staff AUP.docx", DOCX.read_bytes(), DOCX_TYPE),
            "change": "major",
            "change_summary": "",
        },
    )
    assert response.status_code == 302
    return PolicyVersion.objects.get(policy=policy)


@pytest.fixture
def client(client_for, headteacher):
    return client_for(headteacher)


@pytest.fixture
def draft(client, school, headteacher):
    return imported_draft(client, policy_for(school, headteacher))


@pytest.mark.django_db
def test_the_editor_shows_the_imported_text_and_its_preview_matches_the_reading_page(client, draft):
    page = client.get(reverse("version_edit", args=[draft.pk]))
    source = page.context["form"].initial["body_markdown"]
    assert source == draft.body_markdown and "| A lost device | School office |" in source
    # The preview shown with the editor is exactly the text readers will see...
    assert page.context["preview_html"] == draft.body_html
    # ...and it is what the Markdown in the editor reads back to.
    assert markdown_to_html(source) == draft.body_html
    assert not page.context["simplified"]
    assert "download the original" in page.content.decode()


@pytest.mark.django_db
def test_import_edit_one_line_and_save_keeps_the_rest(client, draft):
    before = words_of(draft.body_html)
    source = (
        client.get(reverse("version_edit", args=[draft.pk]))
        .context["form"]
        .initial["body_markdown"]
    )
    assert LINE in source
    edited = source.replace(LINE, "Staff write to parents only from the school's office address.")
    response = client.post(
        reverse("version_edit", args=[draft.pk]),
        {"body_markdown": edited, "change_summary": "", "save": ""},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    after = words_of(draft.body_html)
    assert "office address." in draft.body_html and LINE not in draft.body_html
    # Only the edited words changed: every other word of the document is still there, in order.
    assert len(after) == len(before)
    changed = [(b, a) for a, b in zip(after, before, strict=True) if a != b]
    assert changed == [("their", "the"), ("school", "school's"), ("email", "office")]
    for kept in (
        "<table>",
        "<ol>",
        "<ul>",
        "5 * 3 = 15",
        "file_names_with_underscores",
        "&lt;brackets&gt;",
        "Smith &amp; Jones",
        "O’Neill’s “quotes”",
        "a bar | between",
    ):  # noqa: RUF001
        assert kept in draft.body_html, kept


@pytest.mark.django_db
def test_saving_a_much_shorter_text_asks_first_and_says_how_much_goes(client, draft):
    imported = draft.body_html
    total = len(words_of(imported))
    url = reverse("version_edit", args=[draft.pk])
    response = client.post(url, {"body_markdown": "Short.", "change_summary": "", "save": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert f"replaces a text of {total:,} words with one of 1 words" in body
    assert f"{total - 1:,} words will be removed" in body
    assert 'name="confirm_removal"' in body
    assert response.context["form"]["body_markdown"].value() == "Short."  # kept to reconsider
    draft.refresh_from_db()
    assert draft.body_html == imported  # nothing was written
    response = client.post(
        url,
        {"body_markdown": "Short.", "change_summary": "", "confirm_removal": "on", "save": ""},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body_html == "<p>Short.</p>"


@pytest.mark.django_db
def test_removing_a_paragraph_needs_no_confirmation(client, draft):
    source = draft.body_markdown
    paragraph = next(p for p in source.split("\n\n") if p.startswith("The governing board"))
    response = client.post(
        reverse("version_edit", args=[draft.pk]),
        {"body_markdown": source.replace(paragraph, ""), "change_summary": "", "save": ""},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_draft_with_no_markdown_is_shown_converted_never_empty(
    client, school, headteacher, draft
):
    # As drafts imported before the editor showed imported text, or copied from one, have.
    PolicyVersion.objects.filter(pk=draft.pk).update(body_markdown="")
    source = (
        client.get(reverse("version_edit", args=[draft.pk]))
        .context["form"]
        .initial["body_markdown"]
    )
    assert source == html_to_markdown(draft.body_html)
    assert LINE in source


@pytest.mark.django_db
def test_the_service_refuses_an_unconfirmed_wipe_whatever_the_page(headteacher, draft):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.version_update_draft(version=draft, actor=headteacher, body_markdown="")
    assert "confirm_removal" in refused.value.message_dict


# The conversion itself ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<p>5 * 3 and file_name and [brackets] and `ticks` and back\\slash</p>",
        "<p>a &lt;tag&gt; and Smith &amp; Jones</p>",
        "<p># not a heading</p><p>- not a list</p><p>&gt; not a quote</p><p>1. not a list</p>",
        "<p>--- not a rule</p><p>+ plus</p>",
        "<ol><li>One<ol><li>One A</li><li>One B<ul><li>deep</li></ul></li></ol></li>"
        "<li>Two</li></ol>",
        '<ol start="4"><li>four</li><li>five</li></ol>',
        "<table><tr><td>a | b</td><td>c</td></tr><tr><td>d</td><td>e</td></tr></table>",
        '<p><strong>bold</strong> <em>it</em> <a href="https://example.org">link</a></p>',
        "<p>line<br>1. after a break</p>",
        "<blockquote><p>Quoted</p></blockquote><h3>Third</h3>",
    ],
)
def test_markdown_of_a_policy_reads_back_to_the_same_words(html):
    html = sanitise_html(html)
    assert same_words(html, markdown_to_html(html_to_markdown(html)))


def test_nested_lists_stay_nested():
    from bs4 import BeautifulSoup

    html = sanitise_html("<ol><li>One<ol><li>Inner<ul><li>Deep</li></ul></li></ol></li></ol>")
    read_back = BeautifulSoup(markdown_to_html(html_to_markdown(html)), "html.parser")
    assert read_back.select_one("ol > li > ol > li > ul > li").get_text() == "Deep"


@pytest.mark.parametrize(
    "before,after,asks",
    [(100, 79, True), (100, 80, False), (30, 0, True), (19, 0, False), (100, 200, False)],
)
def test_when_a_save_asks_for_confirmation(before, after, asks):
    old = "<p>" + " ".join(["word"] * before) + "</p>"
    new = "<p>" + " ".join(["word"] * after) + "</p>"
    assert removal(old, new).needs_confirmation is asks
