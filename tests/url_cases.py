"""What the URL walk (tests/test_url_walk.py) needs to know about each URL pattern.

Every named URL pattern must appear in exactly one place here, or the walk fails:
- PUBLIC: reachable without signing in (kept short on purpose).
- OBJECT_URLS: patterns with arguments. Each maps to a function taking the pytest `request`
  (use `request.getfixturevalue("headteacher")` etc.) and returning the URL kwargs of an object
  in school A (the `school` fixture). The walk proves an outsider from school B gets a 404.
Patterns without arguments need no entry: the walk proves anonymous visitors are sent to sign in.
Django admin patterns are walked separately (anonymous → admin login; staff → not allowed).
"""

PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "invitation_accept",
}


def _school(request):
    return {"pk": request.getfixturevalue("school").pk}


def _notification(request):
    """A notification of school A's headteacher (another person's: 404 for everyone else)."""
    from socialgov.notifications.services import notification_send

    headteacher = request.getfixturevalue("headteacher")
    school = request.getfixturevalue("school")
    notification = notification_send(
        recipient=headteacher, kind="notice", url=f"/schools/{school.pk}/", school=school
    )
    return {"pk": notification.pk}


def _staff_membership(request):
    """The membership of a plain member of staff of school A (the headteacher may reset it)."""
    staff = request.getfixturevalue("staff")
    return {"membership_pk": staff.memberships.get().pk}


def _membership(request):
    """The membership of school A's member of staff (its history: headteacher and office)."""
    return {"pk": request.getfixturevalue("staff").memberships.get().pk}


def _school_with_logo(request):
    """School A with a logo in private storage (a school without one has a 404 logo URL)."""
    from tests.uploads.images import give_school_a_logo

    school = request.getfixturevalue("school")
    give_school_a_logo(school)
    return {"pk": school.pk}


OBJECT_URLS = {
    "membership_history": _membership,
    "school_history": _school,
    "notification_open": _notification,
    "notification_read": _notification,
    "person_detail": _membership,
    "person_edit": _membership,
    "person_leave": _membership,
    "person_invitation_resend": _membership,
    "school_detail": _school,
    "school_edit": _school,
    "school_logo": _school_with_logo,
    "twofactor_reset": _staff_membership,
}
