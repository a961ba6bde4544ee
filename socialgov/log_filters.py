"""Logging filters (settings.LOGGING)."""

import logging


class RefusalsInOneLine(logging.Filter):
    """Django logs a refused request (PermissionDenied, 403) with the exception's traceback; a
    refusal is the access rules working, not a fault, so it is logged as its one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
