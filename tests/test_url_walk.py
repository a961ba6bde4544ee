"""Walks every URL pattern: anonymous visitors are sent to sign in, outsiders get 404, and every
view names its access rule (socialgov.access)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.url_cases import OBJECT_URLS, PUBLIC


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespace


ALL = list(_walk(get_resolver().url_patterns))
ADMIN = [(route, p) for route, p, ns in ALL if ns == "admin"]
APP = [(route, p) for route, p, ns in ALL if ns != "admin"]


def _has_args(route: str) -> bool:
    return "<" in route or "(?P" in route


def _dummy_url(route: str) -> str:
    """A concrete URL for a route, with made-up values (anonymous requests never reach a lookup)."""
    url = re.sub(
        r"<(?:(\w+):)?(\w+)>", lambda m: "1" if m.group(1) in (None, "int") else "x", route
    )
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", url).lstrip("^").rstrip("$")
    return "/" + url.replace("\\", "")


def test_every_pattern_is_covered():
    names = [p.name for _, p in APP]
    assert all(names), f"unnamed URL patterns: {[r for r, p in APP if not p.name]}"
    uncovered = [
        p.name
        for route, p in APP
        if _has_args(route) and p.name not in OBJECT_URLS and p.name not in PUBLIC
    ]
    assert not uncovered, f"object URLs missing from tests/url_cases.OBJECT_URLS: {uncovered}"
    stale = (set(OBJECT_URLS) | PUBLIC) - set(names)
    assert not stale, f"tests/url_cases names patterns that no longer exist: {stale}"


@pytest.mark.parametrize("route,pattern", APP, ids=[p.name for _, p in APP])
def test_every_view_names_its_access_rule(route, pattern):
    rule = getattr(pattern.callback, "access_rule", None)
    assert rule, f"{pattern.name}: decorate the view with require_role / require_signed_in / public"
    assert (rule == "public") == (pattern.name in PUBLIC), f"{pattern.name} is {rule!r}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route,pattern",
    [(r, p) for r, p in APP if p.name not in PUBLIC],
    ids=[p.name for r, p in APP if p.name not in PUBLIC],
)
def test_anonymous_visitor_is_sent_to_sign_in(client, route, pattern):
    url = _dummy_url(route)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 302, f"{method.upper()} {url} -> {response.status_code}"
        assert response["Location"].startswith(reverse("login")), response["Location"]


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_outsider_gets_404_for_object_urls(request, client_for, outsider, name):
    kwargs = OBJECT_URLS[name](request)
    url = reverse(name, kwargs=kwargs)
    client = client_for(outsider)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {url} -> {response.status_code}"


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_object_urls_open_for_someone_in_the_school(request, client_for, headteacher, name):
    """The walk's 404s mean something only if the same URL works for a person of school A."""
    url = reverse(name, kwargs=OBJECT_URLS[name](request))
    response = client_for(headteacher).get(url)
    assert response.status_code in (200, 302), f"GET {url} -> {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route,pattern",
    [a for a in ADMIN if a[1].name not in ("login", "logout")],
    ids=[a[0] for a in ADMIN if a[1].name not in ("login", "logout")],
)
def test_admin_is_closed_to_anonymous_visitors(client, route, pattern):
    response = client.get(_dummy_url(route))
    assert response.status_code in (302, 404), response.status_code
    if response.status_code == 302:
        assert "/admin/login/" in response["Location"]


def test_admin_is_for_superusers_only(client_for, headteacher, admin_client):
    headteacher.is_staff = True  # even a staff flag is not enough
    headteacher.save()
    response = client_for(headteacher).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert admin_client.get("/admin/").status_code == 200
