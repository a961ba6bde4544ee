"""Requests no browser sends are refused at the door with a 400, for every view at once.

A NUL byte has no place in any text a person types, in a URL, or in a form field's name or value,
and PostgreSQL cannot store or even compare one: a NUL reaching a query is a 500 there (SQLite
takes it). Django's forms already refuse NULs in text fields; this also covers URL arguments,
query parameters read without a form, and field names. Uploaded files' contents are not text and
are not looked at here.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.utils.cache import add_never_cache_headers, patch_vary_headers


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class RefuseNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or _has_nul(request.GET):
            raise BadRequest("NUL byte in the URL")
        if request.method == "POST" and _has_nul(request.POST):
            raise BadRequest("NUL byte in a form field")
        return self.get_response(request)


class SignedInPagesNotStoredMiddleware:
    """`Cache-Control: private, no-store` (and no-cache, max-age=0) on every response to a
    signed-in person, whatever the view: on a shared school computer the back button or a
    proxy must not show the last person's pages. Static files are served before this (by
    WhiteNoise) and keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False):
            if "no-store" not in response.get("Cache-Control", ""):
                add_never_cache_headers(response)  # a view's own no-store header is kept
            patch_vary_headers(response, ["Cookie"])
        return response
