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
}


def _school(request):
    return {"pk": request.getfixturevalue("school").pk}


OBJECT_URLS = {
    "school_detail": _school,
    "school_edit": _school,
}
