"""Container health check for web: GET /healthz on gunicorn; exit 0 when it answers 200.

The request names the first ALLOWED_HOSTS entry as its Host, because Django refuses any other.
"""

import os
import sys
import urllib.error
import urllib.request

hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
host = hosts[0].lstrip(".") if hosts and hosts[0] != "*" else "localhost"
request = urllib.request.Request("http://127.0.0.1:8000/healthz", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (fixed local URL)
        sys.exit(0 if response.status == 200 else 1)
except (urllib.error.URLError, OSError) as error:
    print(f"healthz: {error}", file=sys.stderr)
    sys.exit(1)
