"""Signed-in pages are never stored by a browser or proxy cache (issue 7, item 9): on a shared
school computer the back button must not show the last person's pages."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("path", ["/", "/people/", "/notifications/"])
def test_signed_in_pages_are_private_and_not_stored(client_for, headteacher, path):
    response = client_for(headteacher).get(path)
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


def test_a_signed_in_download_is_not_stored_either(client_for, headteacher):
    response = client_for(headteacher).get(reverse("people_export"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
