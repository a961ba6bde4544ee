"""The fuzz net: every URL pattern, every form a permitted person can reach, hostile values; never
a 500 (issue 7, item 12).

For each named URL pattern outside the admin (found by walking the URLconf, so a new app is
covered without more work), as school A's headteacher and as a person holding the role the view
asks for (anonymous for public pages):
1. GET the page, recording which query parameters the view reads; parse its forms;
2. GET it again with hostile values in every parameter read, the common ones, lists where one
   value is expected and broken query strings; and with hostile values in the URL's own
   arguments (25-digit ids, NUL bytes);
3. POST to it (when it takes POST): the fields of its own forms and every key the view reads
   from `request.POST` / `request.FILES`, each field taking every hostile value once (rotated,
   not the full cross product), then one hostile field at a time with the others plausible, so
   values that pass a form reach the service and the database; garbage uploads; broken
   multipart and urlencoded bodies.
Any 500 (or an exception, which the test client re-raises) fails the test for that pattern.
The suite runs on SQLite and on PostgreSQL, so the net runs on both.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)

from socialgov.people.roles import Role
from tests import fuzz
from tests.conftest import sign_in_client
from tests.url_cases import OBJECT_URLS, PUBLIC


def _walk(patterns, namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield entry, namespace


PATTERNS = {p.name: p for p, ns in _walk(get_resolver().url_patterns) if ns != "admin" and p.name}


def _invitation_link(request):
    from socialgov.people.services.invitations import invitation_create
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(email="invitee@willow.test", password=None)
    user.set_unusable_password()
    user.save()
    membership = MembershipFactory(user=user, school=request.getfixturevalue("school"))
    _, token = invitation_create(
        membership=membership, actor=request.getfixturevalue("headteacher")
    )
    return {"token": token}


def _password_reset_link(request):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    staff = request.getfixturevalue("staff")
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(staff.pk)),
        "token": default_token_generator.make_token(staff),
    }


# Public patterns with arguments: a live link, so the form behind it is fuzzed too.
PUBLIC_URLS = {
    "invitation_accept": _invitation_link,
    "password_reset_confirm": _password_reset_link,
}

ROLE_FIXTURES = {
    Role.HEADTEACHER: "headteacher",
    Role.DEPUTY_HEADTEACHER: "deputy_head",
    Role.DSL: "dsl",
    Role.DEPUTY_DSL: "deputy_dsl",
    Role.SLT: "slt",
    Role.OFFICE: "office",
    Role.DPO: "dpo",
    Role.NETWORK_MANAGER: "network_manager",
    Role.MARKETING_OFFICER: "marketing_officer",
    Role.STAFF: "staff",
    Role.GOVERNOR: "governor",
    Role.CHAIR_OF_GOVERNORS: "chair",
    Role.SAFEGUARDING_GOVERNOR: "safeguarding_governor",
    Role.CLERK: "clerk",
}

# Query parameters worth sending to every page even when the first visit did not read them
# (a view may read them only on a branch the first visit did not take).
COMMON_QUERY_KEYS = ["page", "next", "q", "year", "school", "leavers", "sort", "status", "kind"]


# Tried in turn when neither person `personas()` names may open a page (a trust executive's page,
# a page for one role reached through an object gateway).
FALLBACK_PERSONAS = ["trust_executive", "dsl", "office", "clerk", "network_manager", "governor"]


def personas(name, pattern) -> list[str | None]:
    """Who opens the page, the person it is for first: fixture names (None: anonymous). For an
    object URL, the person tests/url_cases.py says it is for; for a role's page, someone holding
    the first role it names besides the headteacher; then school A's headteacher, or plain staff
    when the headteacher came first."""
    rule = getattr(pattern.callback, "access_rule", "")
    if rule == "public":
        return [None]
    first = None
    if name in OBJECT_URLS:
        first = OBJECT_URLS[name].who
    elif rule.startswith("role: ") and rule != "role: any member":
        roles = [r for r in rule.removeprefix("role: ").split(", ") if r != Role.HEADTEACHER]
        first = ROLE_FIXTURES.get(roles[0]) if roles else None
    people = [first] if first and first != "headteacher" else []
    return [*people, "headteacher"] if people else ["headteacher", "staff"]


def _kwargs(request, name) -> dict:
    if name in OBJECT_URLS:
        return OBJECT_URLS[name].kwargs(request)
    if name in PUBLIC_URLS:
        return PUBLIC_URLS[name](request)
    return {}


class Net:
    """One pattern's fuzzing: sends requests and fails on a 500."""

    def __init__(self, request, name):
        self.request = request
        self.name = name
        self.sent = 0

    def client(self, persona) -> Client:
        client = Client()
        if persona is not None:
            sign_in_client(client, self.request.getfixturevalue(persona))
        self.persona = persona
        return client

    def check(self, response, what: str) -> None:
        self.sent += 1
        assert response.status_code != 500, f"{self.name}: {what} -> 500"
        if persona_signed_out(response) and self.persona is not None:
            # A hostile request may have signed the person out (sign out, a leaver): carry on
            # signed in, so the rest of the net still reaches the view.
            sign_in_client(self.live, self.request.getfixturevalue(self.persona))

    def get(self, url, data=None, what=""):
        response = self.live.get(url, data)
        self.check(response, f"GET {url} {what or data!r:.200}")
        return response

    def post(self, url, data, what=""):
        response = self.live.post(url, data)
        self.check(response, f"POST {url} {what or _short(data)}")
        return response


def persona_signed_out(response) -> bool:
    location = response.get("Location", "") if response.status_code == 302 else ""
    return location.startswith(reverse("login"))


def _short(data) -> str:
    return repr({k: (v[:40] if isinstance(v, str) else type(v).__name__) for k, v in data.items()})


def _own(form: fuzz.Form, url: str) -> bool:
    return not form.action or urlsplit(form.action).path == urlsplit(url).path


def _hostile_paths(name, kwargs):
    """The pattern's URL with each argument replaced by hostile values."""
    for key in kwargs:
        for replacement in ("9" * 25, "a\x00b", "x" * 300):
            try:
                yield reverse(name, kwargs={**kwargs, key: replacement})
            except NoReverseMatch:
                continue  # e.g. text in an <int:> argument: never routed to the view


def _fuzz_query(net: Net, url: str, keys: set[str], *, light: bool) -> None:
    names = sorted(keys)
    payloads = list(fuzz.rotations(names, fuzz.HOSTILE_QUERY))
    for payload in payloads[:1] if light else payloads:
        net.get(url, payload, what=f"query {_short(payload)}")
    if not light:
        net.get(url, {name: ["1", "2"] for name in names}, what="lists")
        net.get(f"{url}?{fuzz.RAW_QUERY}", what="raw query")


def _fuzz_post(net: Net, url: str, fields: dict[str, tuple[str, list[str]]], files: set[str]):
    names = sorted(fields)
    base = {name: fuzz.plausible(kind, values, name) for name, (kind, values) in fields.items()}
    for payload in fuzz.rotations(names):
        net.post(url, payload)
    for i, name in enumerate(names):
        deep = fuzz.deep_kind(fields[name][0], name)
        if deep is None:
            continue
        value = fuzz.DEEP[deep][i % len(fuzz.DEEP[deep])]
        net.post(url, {**base, name: value}, what=f"{name}={value[:30]!r}")
    net.post(url, {name: ["1", "2"] for name in names}, what="lists")
    for name in sorted(files):
        for upload in fuzz.garbage_files():
            net.post(url, {**base, name: upload}, what=f"{name}=file {upload.name!r}")
    for content_type, body in fuzz.BROKEN_BODIES:
        response = net.live.generic("POST", url, body, content_type=content_type)
        net.check(response, f"POST {url} broken body {content_type}")


def _fuzz_as(net: Net, persona, url: str, *, light: bool) -> bool:
    """Fuzz the page as one person; `light`: a few requests only (a second person, whose forms
    are mostly the same). False when the page is closed to them (nothing of it fuzzed)."""
    net.live = net.client(persona)
    recorder = fuzz.ParameterRecorder()
    with recorder.active():
        response = net.get(url, what="first visit")
    closed = response.status_code in (403, 404)
    if closed and light:
        return False
    if response.status_code == 302 and _same_pattern(response["Location"], net.name):
        url = response["Location"]  # e.g. a password-reset link moves its token into the session
        with recorder.active():
            response = net.get(url, what="first visit")
    query_keys = recorder.keys_of(response.wsgi_request.GET)
    html = response.get("Content-Type", "").startswith("text/html")
    if html or not query_keys:
        # A page may read a parameter only on a branch the first visit did not take. A file
        # (a PDF, a CSV) is slow to make and reads what it reads: only those.
        query_keys |= set(COMMON_QUERY_KEYS)
    light = light or not (html or recorder.keys_of(response.wsgi_request.GET))
    forms = []
    if response.status_code == 200 and html:
        forms = fuzz.forms_in(response.content.decode())
    for form in forms:
        if form.method == "get" and _own(form, url):
            query_keys |= set(form.fields)
    _fuzz_query(net, url, query_keys - {"csrfmiddlewaretoken"}, light=light)

    fields: dict[str, tuple[str, list[str]]] = {}
    for form in forms:
        if form.method == "post" and _own(form, url):
            for name, spec in form.fields.items():
                fields.setdefault(name, spec)
    fields.pop("csrfmiddlewaretoken", None)
    base = {name: fuzz.plausible(kind, values, name) for name, (kind, values) in fields.items()}
    with recorder.active():
        response = net.post(url, base, what="plausible values")
    if response.status_code in (403, 404, 405):
        return not (closed and response.status_code in (403, 404, 405))
    request = response.wsgi_request
    for key in recorder.keys_of(request.POST):
        fields.setdefault(key, ("text", []))
    files = recorder.keys_of(request.FILES) | {n for n, (k, _) in fields.items() if k == "file"}
    for name in files:
        fields.pop(name, None)
    if light:
        for payload in list(fuzz.rotations(sorted(fields)))[:1]:
            net.post(url, payload)
    else:
        _fuzz_post(net, url, fields, files)
    return True


def _same_pattern(location: str, name: str) -> bool:
    try:
        return resolve(urlsplit(location).path).url_name == name
    except Resolver404:
        return False


def test_the_net_reaches_every_pattern():
    """Every pattern with arguments has a real URL to fuzz (tests/url_cases.py or here)."""
    missing = [
        name
        for name, pattern in PATTERNS.items()
        if ("<" in str(pattern.pattern) or "(?P" in str(pattern.pattern))
        and name not in OBJECT_URLS
        and name not in PUBLIC_URLS
    ]
    assert not missing, f"no URL to fuzz for: {missing} (add them to tests/url_cases.OBJECT_URLS)"
    assert set(PUBLIC_URLS) <= PUBLIC


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_hostile_request_gets_a_500(request, name):
    pattern = PATTERNS[name]
    kwargs = _kwargs(request, name)
    url = reverse(name, kwargs=kwargs)
    net = Net(request, name)
    # The first person the page is open to gets the whole net, anyone after them a light one.
    reached = False
    for persona in personas(name, pattern):
        reached = _fuzz_as(net, persona, url, light=reached) or reached
    for persona in FALLBACK_PERSONAS:
        if reached:
            break
        reached = _fuzz_as(net, persona, url, light=False)
    assert reached, f"{name}: nobody the net tried could open {url}"
    net.live = net.client(personas(name, pattern)[0])
    for path in _hostile_paths(name, kwargs):
        net.get(path, what="hostile path")
        if "9" * 25 in path:
            net.post(path, {"a": "b"}, what="hostile path")


def _admin_changelists():
    from django.contrib import admin

    return sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    )


ADMIN_QUERIES = [
    {"q": "a\x00b"},
    {"q": "x" * 5000, "o": "abc"},
    {"p": "9" * 25, "o": "-99.1"},
    {"pk__in": "9" * 25, "e": "1"},
    {"q": "'\"%_\\", "all": ""},
]


@pytest.mark.parametrize("changelist", _admin_changelists())
def test_no_hostile_admin_search_gets_a_500(admin_client, changelist):
    """The Django admin (superusers only): every list page with hostile searches, orderings and
    page numbers."""
    url = reverse(changelist)
    for query in ADMIN_QUERIES:
        response = admin_client.get(url, query)
        assert response.status_code != 500, f"GET {url} {query!r:.100} -> 500"
