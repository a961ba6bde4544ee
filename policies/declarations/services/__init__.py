"""Writes to declarations and policy exceptions."""

from policies.declarations.services.declarations import (
    declaration_confirm,
    declaration_decide,
    declaration_end,
    declaration_make,
)
from policies.declarations.services.exceptions import (
    exception_approve,
    exception_decline,
    exception_request,
)

__all__ = [
    "declaration_confirm",
    "declaration_decide",
    "declaration_end",
    "declaration_make",
    "exception_approve",
    "exception_decline",
    "exception_request",
]
