"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

One browser per session (pytest-playwright's `browser`); each test gets a fresh context and page.
Pages are checked with axe-core (bundled by axe-playwright-python, no network) and for
Content-Security-Policy reports in the console.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import TEST_PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM then refuses to run
# (SynchronousOnlyOperation) unless told that this is safe. It is: the loop only drives the browser.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
NO_CHROMIUM = "Browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)"

# WCAG 2.0, 2.1 and 2.2, levels A and AA, plus axe's best practices (landmarks, heading order).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
_axe = Axe()


def pytest_collection_modifyitems(config, items):
    """Without Chromium every browser test is skipped before any fixture tries to launch it."""
    if CHROMIUM.exists():
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def base_url():
    """Tests build URLs from live_server.url. (Overriding pytest-playwright's fallback fixture
    also avoids its PytestRemovedIn10Warning about session fixtures defined as methods.)"""
    return None


class ConsoleLog:
    """Console messages and uncaught page errors, collected while the test runs."""

    def __init__(self, page):
        self.messages: list[str] = []
        page.on("console", lambda msg: self.messages.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda error: self.messages.append(f"pageerror: {error}"))

    def csp_violations(self) -> list[str]:
        return [m for m in self.messages if "content security policy" in m.lower()]

    def assert_clean(self):
        """No CSP violations and no JavaScript errors."""
        problems = self.csp_violations() + [
            m for m in self.messages if m.startswith(("error:", "pageerror:"))
        ]
        assert not problems, "Browser console reported:\n" + "\n".join(dict.fromkeys(problems))


@pytest.fixture
def console(page):
    return ConsoleLog(page)


@pytest.fixture
def as_person(browser, live_server):
    """as_person(user): a page in a browser context of its own, signed in as `user` (two-factor
    done), its console errors in `page.console_errors`.

    The contexts are closed when the test ends. Left open, each keeps its keep-alive connections
    to the live server, so the server's request threads stay alive holding their database
    connections (CONN_MAX_AGE), and PostgreSQL then refuses to drop the test database at the end
    of the run ("is being accessed by other users")."""
    from django.conf import settings
    from django.test import Client

    from tests.conftest import sign_in_client

    contexts = []

    def open_page(user):
        client = sign_in_client(Client(), user)
        context = browser.new_context()
        contexts.append(context)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.console_errors = errors
        return page

    yield open_page
    for context in contexts:
        context.close()


def assert_accessible(page, *, what: str = ""):
    """Run axe-core on the page as it is now and fail listing every violation found. After a
    click that navigates, the new document may still be loading (axe-core then finds no
    `documentElement`): wait for it first."""
    page.wait_for_load_state("load")
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    if violations:
        lines = [f"axe-core found {len(violations)} violation(s) on {what or page.url}:"]
        for v in violations:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
            for node in v["nodes"]:
                lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}")
        pytest.fail("\n".join(lines), pytrace=False)


def assert_no_horizontal_scroll(page, width: int):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width}px wide at {width}px"


def sign_in(page, live_server, email: str, password: str = TEST_PASSWORD):
    """Sign in through the real login form; leaves the page wherever the form sends it."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def open_signed_in_as(page, live_server, client_for, user):
    """Hand the test client's signed-in session (two-factor done) to the browser."""
    from django.conf import settings

    client = client_for(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
