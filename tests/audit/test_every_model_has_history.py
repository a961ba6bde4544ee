"""DESIGN §5: django-simple-history on every domain model. New models are covered automatically."""

from django.apps import apps

OUR_APPS = {
    "people", "socialgov_sessions", "twofactor", "audit", "notifications", "reminders", "uploads",
    "terms", "training",
    "policies", "consent", "incidents", "accounts_registry",
}  # fmt: skip
# Deliberately without history, each for a reason:
EXEMPT = {
    # per-person, short-lived messages; their content comes from records that have history
    "notifications.Notification",
    # the access log is itself the record of reads
    "audit.AccessLogEntry",
    # sign-in bookkeeping: history would keep copies of session data
    "socialgov_sessions.PersonSession",
    # password-reset rate-limit bookkeeping (a digest and an address, kept a day)
    "people.PasswordResetRequest",
}


def test_every_domain_model_keeps_history():
    missing = []
    for model in apps.get_models():
        label = f"{model._meta.app_label}.{model.__name__}"
        if model._meta.app_label not in OUR_APPS or label in EXEMPT:
            continue
        if model.__name__.startswith("Historical"):
            continue
        if not hasattr(model, "history"):
            missing.append(label)
    assert not missing, f"models without HistoricalRecords: {missing}"
