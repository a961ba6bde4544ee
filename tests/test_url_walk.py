"""Walks every URL pattern: anonymous visitors are sent to sign in, outsiders get 404, a person of
the same school without the role gets what tests/url_cases.py declares, the person a URL is for
can open it, action views refuse GET, no other GET writes anything, and every view names its
access rule (socialgov.access)."""

import inspect
import re
import typing

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from socialgov.access import SchoolRequest, SignedInRequest
from tests.url_cases import GET_WRITES, HIDDEN, OBJECT_URLS, OPEN, PUBLIC, REFUSED


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
BY_NAME = {p.name: p for _, p in APP}


def _has_args(route: str) -> bool:
    return "<" in route or "(?P" in route


def _is_action(pattern) -> bool:
    """Marked by socialgov.access.require_POST: changes state, POST only."""
    return getattr(pattern.callback, "changes_state", False)


def _dummy_url(route: str) -> str:
    """A concrete URL for a route, with made-up values (anonymous requests never reach a lookup)."""
    url = re.sub(
        r"<(?:(\w+):)?(\w+)>", lambda m: "1" if m.group(1) in (None, "int") else "x", route
    )
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", url).lstrip("^").rstrip("$")
    return "/" + url.replace("\\", "")


_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
# Written on any request: the session (idle timeout, current school) and the log of reads of
# sensitive records (reading is itself recorded, DESIGN §5).
WRITES_ON_ANY_GET = {"socialgov_person_session", "audit_accesslogentry"}


def _tables_written(queries) -> set[str]:
    tables = {m.group(1) for q in queries for m in [_WRITE.match(q["sql"])] if m}
    return tables - WRITES_ON_ANY_GET


def test_every_pattern_is_covered():
    names = [p.name for _, p in APP]
    assert all(names), f"unnamed URL patterns: {[r for r, p in APP if not p.name]}"
    uncovered = [
        p.name
        for route, p in APP
        if _has_args(route) and p.name not in OBJECT_URLS and p.name not in PUBLIC
    ]
    assert not uncovered, f"object URLs missing from tests/url_cases.OBJECT_URLS: {uncovered}"
    stale = (set(OBJECT_URLS) | PUBLIC | set(GET_WRITES)) - set(names)
    assert not stale, f"tests/url_cases names patterns that no longer exist: {stale}"
    undeclared = [
        n for n, case in OBJECT_URLS.items() if case.colleague not in (HIDDEN, REFUSED, OPEN)
    ]
    assert not undeclared, f"declare what a colleague gets (HIDDEN, REFUSED or OPEN): {undeclared}"


@pytest.mark.parametrize("route,pattern", APP, ids=[p.name for _, p in APP])
def test_every_view_names_its_access_rule(route, pattern):
    rule = getattr(pattern.callback, "access_rule", None)
    assert rule, f"{pattern.name}: decorate the view with require_role / require_signed_in / public"
    assert (rule == "public") == (pattern.name in PUBLIC), f"{pattern.name} is {rule!r}"


@pytest.mark.parametrize(
    "route,pattern",
    [(r, p) for r, p in APP if p.name not in PUBLIC],
    ids=[p.name for r, p in APP if p.name not in PUBLIC],
)
def test_every_view_types_its_request_by_its_rule(route, pattern):
    """`request: SchoolRequest` under @require_role (a current school is guaranteed),
    `request: SignedInRequest` under @require_signed_in (socialgov.access)."""
    view = inspect.unwrap(pattern.callback)
    wanted = SchoolRequest if pattern.callback.access_rule.startswith("role:") else SignedInRequest
    hints = typing.get_type_hints(view)
    first = next(iter(inspect.signature(view).parameters))
    assert hints.get(first) is wanted, f"{pattern.name}: annotate `{first}: {wanted.__name__}`"


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


@pytest.mark.parametrize("route,pattern", APP, ids=[p.name for _, p in APP])
def test_action_views_refuse_get_and_only_they_do(request, client, route, pattern):
    """An action view (socialgov.access.require_POST) answers a signed-in GET with 405; a view
    that refuses GET any other way must carry the mark too, so the walks below know it."""
    if pattern.name not in PUBLIC:
        client = request.getfixturevalue("client_for")(request.getfixturevalue("headteacher"))
    else:
        request.getfixturevalue("db")
    status = client.get(_dummy_url(route)).status_code
    if _is_action(pattern):
        assert status == 405, f"GET {pattern.name} -> {status}"
    else:
        assert status != 405, f"{pattern.name} refuses GET: mark it socialgov.access.require_POST"


def _methods(name: str) -> tuple[str, ...]:
    return ("post",) if _is_action(BY_NAME[name]) else ("get", "post")


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_outsider_gets_404_for_object_urls(request, client_for, outsider, name):
    kwargs = OBJECT_URLS[name].kwargs(request)
    url = reverse(name, kwargs=kwargs)
    client = client_for(outsider)
    for method in _methods(name):
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {url} -> {response.status_code}"


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_a_colleague_without_the_role_gets_what_is_declared(request, client_for, colleague, name):
    """The second kind of outsider: in the same school, holding no role for this URL."""
    case = OBJECT_URLS[name]
    url = reverse(name, kwargs=case.kwargs(request))
    client = client_for(colleague)
    methods = _methods(name) if case.colleague != OPEN else _methods(name)[:1]
    for method in methods:
        response = getattr(client, method)(url)
        assert response.status_code == case.colleague, (
            f"{method.upper()} {url} -> {response.status_code}, declared {case.colleague}"
        )


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_object_urls_open_for_the_person_they_are_for(request, client_for, name):
    """The walk's 404s mean something only if the same URL works for the right person of school A:
    a 200, or the declared redirect (an action view is POSTed)."""
    case = OBJECT_URLS[name]
    url = reverse(name, kwargs=case.kwargs(request))
    client = client_for(request.getfixturevalue(case.who))
    method = _methods(name)[0]
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url)
    if case.redirect is None:
        assert response.status_code == 200, f"{method.upper()} {url} -> {response.status_code}"
    else:
        assert response.status_code == 302, f"{method.upper()} {url} -> {response.status_code}"
        assert resolve(response["Location"].split("?")[0]).url_name == case.redirect
    if method == "get":
        written = _tables_written(queries.captured_queries)
        if name in GET_WRITES:
            assert written, f"GET {name} writes nothing: take it out of url_cases.GET_WRITES"
        else:
            assert not written, f"GET {name} wrote to {written}: make it an action view (POST)"


@pytest.mark.parametrize(
    "route,pattern",
    [(r, p) for r, p in APP if not _has_args(r) and not _is_action(p)],
    ids=[p.name for r, p in APP if not _has_args(r) and not _is_action(p)],
)
def test_pages_without_arguments_write_nothing_on_get(request, client, route, pattern):
    if pattern.name not in PUBLIC:
        client = request.getfixturevalue("client_for")(request.getfixturevalue("headteacher"))
    else:
        request.getfixturevalue("db")
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(pattern.name))
    written = _tables_written(queries.captured_queries)
    assert not written, f"GET {pattern.name} wrote to {written}: make it an action view (POST)"


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
