"""gunicorn settings for the web container (deploy/entrypoint.sh).

Workers: gunicorn reads WEB_CONCURRENCY (default here: 3). GUNICORN_CMD_ARGS overrides any line.
"""

import os

# Inside the container: the proxy service reaches web over the compose network.
bind = "0.0.0.0:8000"  # noqa: S104
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# PDF rendering and uploads can take a while; anything slower belongs in a Celery task.
timeout = 60
graceful_timeout = 30
# Requests come through the reverse proxy only; it sets X-Forwarded-Proto (settings.py trusts it).
forwarded_allow_ips = "*"
accesslog = "-"
errorlog = "-"
