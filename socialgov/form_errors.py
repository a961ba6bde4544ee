"""Showing a service's refusal on the form that asked for it."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: by field where the form has it, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)
