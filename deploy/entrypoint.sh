#!/bin/sh
# The web container's start (docker-compose.yml, service web): bring the database schema up to
# date, then hand the process over to gunicorn so it receives the container's signals.
# Settings come from the environment (DJANGO_ENV=production: SECRET_KEY and ALLOWED_HOSTS required).
# Extra arguments go to gunicorn; GUNICORN_CMD_ARGS overrides deploy/gunicorn.conf.py (e.g. --bind).
set -eu
cd "$(dirname "$0")/.."

python manage.py migrate --noinput
exec gunicorn socialgov.wsgi --config deploy/gunicorn.conf.py "$@"
