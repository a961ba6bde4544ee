"""The approval queue: who each waiting post waits for (decided in the database), and its pages,
soonest planned first."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts_registry import selectors
from accounts_registry.models import PostAction
from accounts_registry.views.posts import QUEUE_PAGE_SIZE
from tests.accounts_registry.factories import account_for, draft, sign_aup, through

pytestmark = pytest.mark.django_db


def test_each_person_s_queue_holds_what_they_may_agree_or_approve_now(
    school, aup, account, staff, colleague, headteacher, deputy_head, slt, network_manager
):
    through(draft(account, staff, text="A by staff"), (PostAction.SUBMIT, staff))
    through(draft(account, colleague, text="B by colleague"), (PostAction.SUBMIT, colleague))
    through(
        draft(account, staff, text="C agreed by colleague"),
        (PostAction.SUBMIT, staff),
        (PostAction.AGREE, colleague),
    )
    through(
        draft(account, colleague, text="D agreed by the headteacher"),
        (PostAction.SUBMIT, colleague),
        (PostAction.AGREE, headteacher),
    )
    draft(account, staff, text="E a draft")  # a draft waits for nobody
    heads_account = account_for(school, headteacher, [staff, headteacher], name="Head's blog")
    sign_aup(aup, headteacher)
    through(
        draft(heads_account, headteacher, text="F by the headteacher"),
        (PostAction.SUBMIT, headteacher),
        (PostAction.AGREE, staff),
    )
    expected = {
        # the account's people agree the other's post; nobody their own
        staff: ["B"],
        colleague: ["A"],
        # leaders agree any submitted post and approve agreed ones they did not agree; a post
        # by the headteacher is the deputy's to approve
        headteacher: ["A", "B", "C"],
        deputy_head: ["A", "B", "C", "D", "F"],
        slt: ["A", "B", "C", "D"],
        network_manager: [],
    }
    for person, letters in expected.items():
        queue = selectors.posts_waiting_for(person, school)
        assert [post.text[0] for post in queue] == letters, person.full_name
        agree = sum(1 for post in queue if post.status == "submitted")
        assert selectors.post_waiting_counts(person, school) == (agree, len(letters) - agree)


def _rows(body: str) -> list[str]:
    return re.findall(r">(Club news \d+)</a>", body)


def test_the_queue_pages_soonest_planned_first(client_for, account, staff, headteacher):
    total = QUEUE_PAGE_SIZE + 3
    start = timezone.localdate() + dt.timedelta(days=1)
    for n in range(total):
        # written in the reverse of their planned order: the queue must sort them
        post = draft(
            account,
            staff,
            text=f"Club news {n:02}",
            planned_on=start + dt.timedelta(days=total - n),
        )
        through(post, (PostAction.SUBMIT, staff))
    soonest_first = [f"Club news {n:02}" for n in reversed(range(total))]
    client = client_for(headteacher)
    url = reverse("accounts_approval_queue")

    first = client.get(url).content.decode()
    assert _rows(first) == soonest_first[:QUEUE_PAGE_SIZE]
    assert "Page 1 of 2" in first and 'href="?page=2"' in first

    second = client.get(url, {"page": 2}).content.decode()
    assert _rows(second) == soonest_first[QUEUE_PAGE_SIZE:]
    assert "Page 2 of 2" in second and 'href="?page=1"' in second


def test_an_empty_queue_says_so(client_for, account, headteacher):
    body = client_for(headteacher).get(reverse("accounts_approval_queue")).content.decode()
    assert "No posts wait for you." in body and "Page 1" not in body
