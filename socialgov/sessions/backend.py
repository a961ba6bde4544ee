"""The session engine (SESSION_ENGINE = "socialgov.sessions.backend"): Django's database
sessions, stored in `PersonSession` with the signed-in person's id beside the data."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from socialgov.sessions.models import PersonSession

        return PersonSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            session.user_id = None  # not signed in (yet), e.g. a visitor on the sign-in page
        return session
