"""The error a task raises when a service it needs (the mail server) is down.

Not an OSError, so a task's own `autoretry_for=(SMTPException, OSError)` does not retry it on the
spot where tasks run in process: the outbox records the task and its sweep runs it again later.
"""


class ServiceDown(Exception):
    pass
