"""Helpers the accounts services share: validation of people and of what may be written."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError

from accounts_registry import access as accounts_access
from socialgov import access

# Password managers whose names look like passwords (a digit and capitals): allowed by name.
_KNOWN_VAULTS = {"1password", "keepass", "keepassxc", "lastpass", "bitwarden", "dashlane"}
_PASSWORD_WORDS = re.compile(
    r"\b(password|passwd|pwd|passcode|pin)\b\s*(is\b|[:=])|\b(pw|pass)\s*[:=]", re.IGNORECASE
)


def looks_like_password(text: str) -> bool:
    """True when a credentials note seems to hold a password itself: 'password: …', or a word of
    8 or more characters mixing three of lower case, capitals, digits and symbols."""
    if _PASSWORD_WORDS.search(text or ""):
        return True
    for word in (text or "").split():
        word = word.strip(".,;()\"'“”‘’")
        if len(word) < 8 or word.lower() in _KNOWN_VAULTS or "://" in word or "@" in word:
            continue
        kinds = sum(
            (
                any(c.islower() for c in word),
                any(c.isupper() for c in word),
                any(c.isdigit() for c in word),
                any(not c.isalnum() for c in word),
            )
        )
        if kinds >= 3:
            return True
    return False


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def staff_of(school, users, field: str) -> list:
    """The people, each a current member of staff of the school, else a field error."""
    outsiders = [
        user for user in users if not access.has_role(user, school, *accounts_access.STAFF_ROLES)
    ]
    if outsiders:
        names = ", ".join(sorted(str(user) for user in outsiders))
        raise ValidationError({field: [f"Not a member of staff of {school.name}: {names}."]})
    return list(users)


def a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def clean_text(value: str | None) -> str:
    return (value or "").strip()
