"""The redline is capped (issue 7.4): very long paragraphs or very many blocks never take
seconds, and a pair of versions is compared once, then served from the cache."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from policies import redline
from policies.models import ChangeSize
from policies.redline import CAPPED_NOTE, redline_for, redline_html
from tests.policies.factories import policy_for, published_version_for
from tests.policies.signing_helpers import sign


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def test_a_very_long_changed_paragraph_is_compared_quickly_and_shown_whole():
    # Word by word this took 7 s (8,000 words of repeated words, quadratic in difflib).
    old = "<p>" + " ".join(["staff", "must"] * 4_000) + "</p>"
    new = "<p>" + " ".join(["must", "staff"] * 4_000) + " now</p>"
    result = {}
    assert timed(lambda: result.update(html=redline_html(old, new))) < 1.0
    assert CAPPED_NOTE in result["html"]
    assert "<del>" in result["html"] and "<ins>" in result["html"]


def test_very_many_shuffled_blocks_are_compared_quickly_keeping_the_common_ends():
    old = "<h1>Title</h1>" + "<p>a b</p><p>c</p>" * 2_000 + "<p>The end.</p>"
    new = "<h1>Title</h1>" + "<p>c</p><p>a b</p>" * 2_000 + "<p>The end.</p>"
    result = {}
    assert timed(lambda: result.update(html=redline_html(old, new))) < 2.0
    html = result["html"]
    assert CAPPED_NOTE in html
    assert "<strong>Title</strong>" in html and "The end." in html


def test_an_ordinary_redline_is_word_by_word_without_the_note():
    html = redline_html("<p>Keep passwords private.</p>", "<p>Keep passwords secret.</p>")
    assert CAPPED_NOTE not in html
    assert "private." in html and "secret." in html


@pytest.mark.django_db
def test_the_redline_of_a_pair_of_versions_is_computed_once(
    client_for, school, headteacher, staff, monkeypatch
):
    cache.clear()
    policy = policy_for(school, headteacher)
    first = published_version_for(policy, headteacher)
    sign(first, staff)
    second = published_version_for(
        policy, headteacher, text="# Staff AUP\n\nNew text.\n", change=ChangeSize.MAJOR
    )
    computed = []
    real = redline.redline_html

    def counting(old, new):
        computed.append(1)
        return real(old, new)

    monkeypatch.setattr(redline, "redline_html", counting)
    client = client_for(staff)
    for _ in range(3):
        page = client.get(reverse("version_sign", args=[second.pk])).content.decode()
        assert "<ins>" in page
    assert computed == [1]
    assert redline_for(first, second) == redline_for(first, second)
    assert computed == [1]
