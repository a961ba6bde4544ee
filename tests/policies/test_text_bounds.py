"""Parser bombs in policy text (issue 7.4): Markdown renders in time linear in its length, and
text too long or nested too deeply is refused with a message, never a 500 or seconds of work."""

import contextlib
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from policies import services
from policies import text as policy_text
from policies.text import (
    MAX_MARKDOWN_CHARS,
    MAX_NESTING,
    TextRefused,
    nesting_depth,
    render_markdown,
    sanitise_html,
)
from tests.policies.factories import draft_version_for, policy_for

pytestmark = pytest.mark.django_db

DEEP_LIST = "".join("  " * level + "- item\n" for level in range(600))
ONE_LINE_DEEP_LIST = "- " * 600 + "item"


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def test_twelve_kilobytes_of_brackets_render_in_milliseconds_not_seconds():
    # Python-Markdown took 34 s on this (about 1.6 s for 3 KB); cmark-gfm is linear.
    assert timed(lambda: render_markdown("[" * 12_000)) < 0.5


@pytest.mark.parametrize(
    "pattern", ["[", "![", "[*", "*a ", "<a ", "> ", "[a](", "`", "|a"], ids=repr
)
def test_the_worst_inputs_at_the_length_limit_render_within_the_budget(pattern):
    text = pattern * (MAX_MARKDOWN_CHARS // len(pattern))

    def render():
        with contextlib.suppress(TextRefused):  # refused quickly is as good
            render_markdown(text)

    assert timed(render) < 3.0  # about 0.1-0.8 s on a busy shared machine


def test_text_longer_than_the_limit_is_refused_with_a_message():
    with pytest.raises(TextRefused, match="too long"):
        render_markdown("a" * (MAX_MARKDOWN_CHARS + 1))


@pytest.mark.parametrize("markdown", [ONE_LINE_DEEP_LIST, ">" * 600 + " quote"])
def test_text_nested_too_deeply_is_refused_with_a_message(markdown):
    with pytest.raises(TextRefused, match="nests lists or quotes too deeply"):
        render_markdown(markdown)


def test_ordinary_nesting_is_kept():
    html = render_markdown("- one\n  - two\n    - three\n\n> a quote\n")
    assert html.count("<ul>") == 3 and "<blockquote>" in html


def test_nesting_is_counted_from_the_tags_and_stray_end_tags_cannot_hide_it():
    assert nesting_depth("<ul><li><p>x</p></li></ul>") == 3
    assert nesting_depth("<p>a<br>b<hr></p>") == 1
    hidden = "<div></span>" * (MAX_NESTING + 1)  # the end tags close nothing
    assert nesting_depth(hidden) == MAX_NESTING + 1
    with pytest.raises(TextRefused):
        sanitise_html(hidden)


def test_raw_html_nested_deeply_is_refused_before_the_sanitiser_sees_it():
    # nh3's time grows with the square of the depth: 50,000 nested elements took 87 s.
    started = time.perf_counter()
    with pytest.raises(TextRefused):
        render_markdown("<div>" * 40_000)
    assert time.perf_counter() - started < 1.0


def test_saving_a_600_deep_list_is_a_form_error_not_a_500(client_for, dsl, school, headteacher):
    draft = draft_version_for(policy_for(school, headteacher), headteacher)
    response = client_for(dsl).post(
        reverse("version_edit", args=[draft.pk]),
        {"body_markdown": ONE_LINE_DEEP_LIST, "change_summary": ""},
    )
    assert response.status_code == 200
    assert "nests lists or quotes too deeply" in response.content.decode()
    draft.refresh_from_db()
    assert "item" not in draft.body_markdown


def test_the_service_refuses_text_too_long_on_the_text_field(school, headteacher):
    policy = policy_for(school, headteacher)
    with pytest.raises(ValidationError) as refused:
        services.version_create_draft(
            policy=policy, actor=headteacher, body_markdown="a" * (MAX_MARKDOWN_CHARS + 1)
        )
    assert "body_markdown" in refused.value.message_dict
    assert not policy.versions.exists()


@pytest.mark.parametrize("markdown", [DEEP_LIST, ONE_LINE_DEEP_LIST, "[" * 12_000])
def test_the_live_preview_answers_quickly_with_a_message_or_the_text(client_for, dsl, markdown):
    client = client_for(dsl)
    started = time.perf_counter()
    response = client.post(reverse("version_preview"), {"body_markdown": markdown})
    assert time.perf_counter() - started < 2.0
    assert response.status_code == 200
    page = response.content.decode()
    assert "too long" in page or "too deeply" in page or "[[[[" in page


def test_the_preview_is_rendered_outside_any_transaction(client_for, dsl, monkeypatch):
    # pytest's own test transaction is the only atomic block allowed around the rendering.
    outer = len(connection.atomic_blocks)
    seen = []
    real = policy_text.render_markdown

    def spy(markdown):
        seen.append(len(connection.atomic_blocks) - outer)
        return real(markdown)

    monkeypatch.setattr("policies.views.manage.render_markdown", spy)
    client_for(dsl).post(reverse("version_preview"), {"body_markdown": "Hello"})
    assert seen == [0]
