"""Issue 9, item 11: tables on a 375 px screen wrap between words, never inside one. Every word of
every table cell on the policy pages a phone opens is on a single line, and the page does not
scroll sideways (a wide table scrolls inside its own box, which the keyboard can reach)."""

import pytest

from tests.browser.conftest import assert_accessible, open_signed_in_as
from tests.policies.factories import POLICY_TEXT, policy_for, published_version_for

pytestmark = pytest.mark.browser

PHONE_WIDTH = 375

TABLE_ROWS = [
    "| Who | What they must do | Contact |",
    "| --- | --- | --- |",
    "| Designated safeguarding lead | Investigates concerns about online behaviour and keeps "
    "records | safeguarding@example.org.uk |",
    "| Network manager | Monitors filtering, maintains accounts, reports unexpected activity "
    "| Extension 2345 |",
    "| Every member of staff | Reports worries straightaway, following procedures | Their line "
    "manager |",
]
TABLE_TEXT = POLICY_TEXT + "\n" + "\n".join(TABLE_ROWS) + "\n"

# For every table cell on the page: the words drawn on more than one line (split inside).
SPLIT_WORDS = """
() => {
  const split = [];
  for (const cell of document.querySelectorAll("main td, main th")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      for (const match of text.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                                         .map(r => Math.round(r.top)));
        if (tops.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}
"""


def _assert_words_whole(page, what: str) -> None:
    cells = page.locator("main td, main th").count()
    assert cells, f"no table on {what}"
    split = page.evaluate(SPLIT_WORDS)
    assert split == [], f"{what} at {PHONE_WIDTH} px breaks words inside: {split}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{what} scrolls sideways: {width}px"


def test_policy_tables_wrap_between_words_on_a_phone(
    transactional_db, live_server, page, client_for, school, headteacher, staff
):
    policy = policy_for(school, headteacher)
    version = published_version_for(policy, headteacher, text=TABLE_TEXT)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    open_signed_in_as(page, live_server, client_for, headteacher)
    for path, what in [
        (f"/policies/versions/{version.pk}/", "the version page (a table in the text)"),
        ("/policies/", "the policy list"),
        (f"/policies/{policy.pk}/", "the policy page"),
        (f"/policies/versions/{version.pk}/coverage/", "the coverage page"),
    ]:
        page.goto(f"{live_server.url}{path}")
        _assert_words_whole(page, what)
        assert_accessible(page, what=f"{what} at {PHONE_WIDTH} px")
