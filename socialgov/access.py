"""The access API every app uses (DESIGN §3: deny by default).

Who someone is in a school
    `current_memberships(user)` lists the person's current school memberships (roles prefetched,
    cached on the user object for the request). `roles_in(user, school)` gives the roles held in one
    school; `has_role(user, school, *roles)` asks for any of them.

The current school
    `CurrentSchoolMiddleware` sets `request.school`, `request.membership` and `request.roles` from
    the session (the school switcher), and signs out anyone whose last membership has ended.
    `use_school(request, school)` switches it, e.g. when an object URL of another of the person's
    schools is opened.

Views name their rule
    Every view carries one of these decorators, and a test proves it:
    - `@require_role(Role.HEADTEACHER, Role.OFFICE)`: signed in, and holding one of the roles in
      the current school (no roles given: any current member). Otherwise 403.
    - `@require_signed_in`: signed in; the object gateway the view calls decides the rest.
    - `@public`: no sign-in (login, password reset, health). Kept to an allow-list in tests.
    A view that only changes state (a button: submit, approve, mark read, chase) also carries
    `@require_POST` from here, under the rule above; a GET is then refused with 405. The URL walk
    proves it for every such view, and that no other view writes anything on a GET.

Typed requests
    Views are annotated with what the middleware sets: `SchoolRequest` under `@require_role`
    (a current school and membership are guaranteed), `SignedInRequest` under
    `@require_signed_in` (the current school may be None, e.g. for a trust executive).

Gateways: one per app, for every list, detail, count, export, notification and history view
    `<thing>_visible_to(user)` returns the queryset the person may see (lists, counts, search).
    `<thing>_get_for_user(user, pk, *, write=False)` returns one object, raising Http404 when it
    is outside the person's schools (never 403: its existence is not revealed) and
    PermissionDenied when it is visible but `write=True` and the person may only read it.
    Build them with `get_visible_or_404()`; then call `use_school(request, obj.school)`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.views.decorators.http import require_POST as _django_require_POST

if TYPE_CHECKING:
    from socialgov.people.models import Membership, School, TrustMembership, User

M = TypeVar("M", bound=Model)

SESSION_SCHOOL_KEY = "socialgov_school_id"
_CACHE = "_socialgov_memberships"
_TRUST_CACHE = "_socialgov_trust_memberships"


class SignedInRequest(HttpRequest):
    """A request of a signed-in person, as views see it after CurrentSchoolMiddleware (for type
    checking only: Django creates a plain HttpRequest and the middleware sets these)."""

    user: User
    school: School | None  # the current school (None: the person has no school membership)
    membership: Membership | None  # the person's membership of the current school
    roles: frozenset[str]  # the roles held in the current school


class SchoolRequest(SignedInRequest):
    """A request under `@require_role`: the person is a current member of the current school."""

    school: School
    membership: Membership


def current_memberships(user) -> list[Membership]:
    """The person's current school memberships, roles and school loaded (two queries, cached)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        from socialgov.people.models import Membership

        cached = list(
            Membership.objects.current()
            .filter(user=user)
            .select_related("school", "school__trust")
            .prefetch_related("roles")
            .order_by("school__name")
        )
        setattr(user, _CACHE, cached)
    return cached


def current_trust_memberships(user) -> list[TrustMembership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _TRUST_CACHE, None)
    if cached is None:
        from socialgov.people.models import TrustMembership

        cached = list(TrustMembership.objects.current().filter(user=user).select_related("trust"))
        setattr(user, _TRUST_CACHE, cached)
    return cached


def forget_memberships(user) -> None:
    """Drop the per-request cache after memberships or roles change."""
    for attr in (_CACHE, _TRUST_CACHE):
        if hasattr(user, attr):
            delattr(user, attr)


def membership_in(user, school: School | int | None) -> Membership | None:
    school_id = getattr(school, "pk", school)
    for membership in current_memberships(user):
        if membership.school_id == school_id:
            return membership
    return None


def roles_in(user, school: School | int | None) -> frozenset[str]:
    membership = membership_in(user, school)
    return membership.role_names if membership else frozenset()


def has_role(user, school: School | int | None, *roles: str) -> bool:
    """True when the person holds any of `roles` in `school` (no roles: is a current member)."""
    membership = membership_in(user, school)
    if membership is None:
        return False
    return not roles or bool(membership.role_names & set(roles))


def member_school_ids(user) -> set[int]:
    return {m.school_id for m in current_memberships(user)}


def trust_ids(user) -> set[int]:
    return {m.trust_id for m in current_trust_memberships(user)}


def use_school(request: SignedInRequest, school: School) -> None:
    """Make `school` the current school (it must be one of the person's). The session is written
    only when the school changes: a plain read must not become a write (SQLite's write lock)."""
    membership = membership_in(request.user, school)
    if membership is None:
        raise Http404
    if request.session.get(SESSION_SCHOOL_KEY) != school.pk:
        request.session[SESSION_SCHOOL_KEY] = school.pk
    request.school = school
    request.membership = membership
    request.roles = membership.role_names


def get_visible_or_404(visible: QuerySet[M], pk) -> M:
    """One object from a gateway's visible queryset, or 404 (also for a malformed key)."""
    try:
        return visible.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def require_write(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _named(view: Callable, rule: str) -> Callable:
    view.access_rule = rule  # type: ignore[attr-defined]
    return view


def require_POST(view: Callable) -> Callable:
    """A view that changes state and shows nothing: POST only, anything else is 405.

    Goes under the access rule (`@require_signed_in` then `@require_POST`), so an anonymous GET is
    still sent to sign in. Marks the view `changes_state`, which the URL walk reads to prove that a
    GET is refused; form views (GET shows the form, POST saves) need no mark.
    """
    wrapped = _django_require_POST(view)
    wrapped.changes_state = True  # type: ignore[attr-defined]
    return wrapped


def public(view: Callable) -> Callable:
    """No sign-in needed: login, password reset and health only."""
    return _named(view, "public")


def require_signed_in(view: Callable) -> Callable:
    """Signed in; the object gateway the view calls decides visibility (404) and writes (403)."""
    return _named(login_required(view), "signed-in + gateway")


def require_role(*roles: str) -> Callable[[Callable], Callable]:
    """Signed in and holding one of `roles` in the current school (none given: any member)."""
    wanted = frozenset(roles)

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.school is None or request.membership is None:
                raise PermissionDenied
            if wanted and not (request.roles & wanted):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        label = ", ".join(sorted(wanted)) if wanted else "any member"
        return _named(login_required(wrapped), f"role: {label}")

    return decorator
