"""The Celery app: configured from Django settings (CELERY_*), tasks found in every app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")

app = Celery("socialgov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The core package is not an installed app; its tasks module is named here.
app.autodiscover_tasks(["socialgov"])
