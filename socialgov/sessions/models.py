"""Sign-in sessions that know whose they are (the person → session index).

Django's database sessions keep the signed-in person only inside the encoded session data, so
ending one person's sessions meant decoding every session of the site. `PersonSession` keeps the
person's id in its own indexed column, written each time the session is saved: ending a leaver's
sessions is one indexed DELETE (socialgov.people.services.sessions).
"""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class PersonSession(AbstractBaseSession):
    # Not a constraint: a session may outlive its person's row in a test or a purge, and signing
    # out must never fail on it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "socialgov_person_session"

    @classmethod
    def get_session_store_class(cls):
        from socialgov.sessions.backend import SessionStore

        return SessionStore
