"""Settings for a benchmark run only: production settings (from the environment, as
`./scripts/benchmark` sets it) plus the two reference pages. Nothing here is used in normal
running: `socialgov.settings` never names this module, its URLs or its app."""

from socialgov.settings import *  # noqa: F403
from socialgov.settings import BASE_DIR, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "socialgov.benchmark"]
ROOT_URLCONF = "socialgov.benchmark.urls"
# Collected static files of the run (the manifest storage needs them), kept between runs.
STATIC_ROOT = BASE_DIR / "var" / "benchmark-static"
# gunicorn's access log would be the bottleneck of a load test.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
BENCHMARK = True
# Mail is not what is measured (reminders, invitations): dropped.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# Static files hashed into a manifest as in production, but not compressed: pages are measured,
# not static files, and compressing every icon font would add minutes to each run.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
