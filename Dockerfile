# SocialGov production image. One image runs the web (gunicorn), the Celery worker and Celery beat
# (docker-compose.yml). Front-end packages come from npm at build time, never from a CDN.

# --- Front-end packages (Bootstrap, icons, htmx) ------------------------------------------------
FROM python:3.11-slim AS assets
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- The application ----------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # Run the code from /app (templates, static and manage.py live beside it), not the copy pip
    # puts in site-packages.
    PYTHONPATH=/app \
    DJANGO_ENV=production \
    PRIVATE_MEDIA_ROOT=/data/private

# WeasyPrint draws PDFs with Pango and HarfBuzz; the fonts are what the PDFs are set in.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
COPY --from=assets /build/node_modules ./node_modules
RUN pip install . \
    && chmod +x deploy/entrypoint.sh

# Static files are collected into the image (whitenoise serves them). The key below exists only
# so production settings load for this one build step; the running container needs its own.
RUN SECRET_KEY=collectstatic-at-build-time-only-never-used-to-sign-anything-0000 \
    ALLOWED_HOSTS=build.invalid \
    SOCIALGOV_EMBEDDED=1 \
    python manage.py collectstatic --noinput -v 0

# Run as an unprivileged user; the code is read-only to it, private uploads live on a volume.
RUN useradd --system --create-home --uid 10001 socialgov \
    && mkdir -p /data/private \
    && chown socialgov:socialgov /data/private
USER socialgov

EXPOSE 8000
CMD ["deploy/entrypoint.sh"]
