"""The menu of a leader, who sees every app's entries, fits the screen at every width: on wide
screens the pages wrap onto another row rather than pushing the header off the side; below the
breakpoint they fold into the menu button. No width scrolls sideways."""

import pytest

from tests.browser.conftest import assert_no_horizontal_scroll, open_signed_in_as

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [992, 1200, 1400])
def test_a_leaders_full_menu_fits_a_wide_screen(
    transactional_db, live_server, page, console, client_for, headteacher, width
):
    page.set_viewport_size({"width": width, "height": 800})
    open_signed_in_as(page, live_server, client_for, headteacher)
    page.goto(f"{live_server.url}/")
    links = page.locator("#main-menu > .navbar-nav .nav-link")
    assert links.count() >= 8  # every app's entries: enough to overflow one row at 992 px
    assert_no_horizontal_scroll(page, width)
    for box in (links.nth(i).bounding_box() for i in range(links.count())):
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    sign_out = page.get_by_role("button", name="Sign out")
    box = sign_out.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width


def test_on_a_phone_the_menu_folds_into_its_button(
    transactional_db, live_server, page, console, client_for, headteacher
):
    page.set_viewport_size({"width": 375, "height": 800})
    open_signed_in_as(page, live_server, client_for, headteacher)
    page.goto(f"{live_server.url}/")
    assert_no_horizontal_scroll(page, 375)
    page.get_by_role("button", name="Show or hide the menu").click()
    page.locator("#main-menu > .navbar-nav .nav-link").last.wait_for(state="visible")
