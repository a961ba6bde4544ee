"""SocialGov settings: one module, configured by the environment (see README "Configuration").

Two ways to run from one code base:
- embedded default: SQLite, Celery tasks run eagerly in process, e-mail to the console;
- production (DJANGO_ENV=production): refuses to start without SECRET_KEY and ALLOWED_HOSTS,
  and without EMAIL_HOST, SITE_URL, DATABASE_URL and REDIS_URL unless SOCIALGOV_EMBEDDED=1 says a
  one-machine install is intended; DEBUG forced off, HTTPS-only cookies and HSTS.
"""

import math
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from socialgov import env

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = env.text("DJANGO_ENV", "development").lower()
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}"
    )
PRODUCTION = DJANGO_ENV == "production"

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"


def _secret_key_bits(key: str) -> float:
    """An estimate of a key's entropy: its length times the Shannon entropy of its characters
    (a repeated word or a short alphabet scores low, a random string high)."""
    counts = {char: key.count(char) for char in set(key)}
    return -sum(n * math.log2(n / len(key)) for n in counts.values())


if PRODUCTION:
    SECRET_KEY = env.required(
        "SECRET_KEY", "production mode needs a long random secret (see README, Configuration)"
    )
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters")
    if SECRET_KEY.startswith("django-insecure") or _secret_key_bits(SECRET_KEY) < 180:
        raise ImproperlyConfigured(
            "SECRET_KEY is not random enough: make one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`"
        )
    ALLOWED_HOSTS = env.items("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set in production: the host names the site is served on, "
            "comma-separated"
        )
    if "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must name the site's host names, not '*': any Host header would be "
            "accepted"
        )
    DEBUG = False
else:
    SECRET_KEY = env.text("SECRET_KEY") or _DEV_SECRET_KEY
    ALLOWED_HOSTS = env.items("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
    DEBUG = env.flag("DEBUG", True)

CSRF_TRUSTED_ORIGINS = env.items("CSRF_TRUSTED_ORIGINS")
SITE_URL = env.text("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",  # for `manage.py clearsessions`, which SESSION_ENGINE's store serves
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
    "csp",
    # core
    "socialgov.people",
    "socialgov.sessions",
    "socialgov.twofactor",
    "socialgov.audit",
    "socialgov.notifications",
    "socialgov.reminders",
    "socialgov.uploads",
    "socialgov.outbox",
    "socialgov.terms",
    "socialgov.training",
    "socialgov.dashboard",
    "socialgov.reports",
    # feature apps
    "policies",
    "consent",
    "incidents",
    "accounts_registry",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "socialgov.people.middleware.CurrentSchoolMiddleware",
    # Before any view reads the request: NUL bytes in URLs and form fields are refused (400).
    # After the person is known, so the error page shows their menu.
    "socialgov.request_guard.RefuseNulBytesMiddleware",
    # Signed-in pages are never kept by a browser or proxy cache (shared school computers).
    "socialgov.request_guard.SignedInPagesNotStoredMiddleware",
    "socialgov.twofactor.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes must be last: it turns lockouts into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "socialgov.urls"
WSGI_APPLICATION = "socialgov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "socialgov.people.context_processors.school_context",
                "socialgov.notifications.context_processors.unread_count",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------
DATABASE_URL = env.text("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    SQLITE_PATH = Path(env.text("SQLITE_PATH") or BASE_DIR / "var" / "socialgov.sqlite3")
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and sign-in ----------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out address is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "socialgov.people.backends.MembershipBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sessions live in the database, so Redis being down never signs anyone out; each knows whose it
# is, so a leaver's sessions end with one indexed query (socialgov/sessions).
SESSION_ENGINE = "socialgov.sessions.backend"
SESSION_COOKIE_AGE = 60 * 60 * 10  # a school day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two-factor sign-in (socialgov.twofactor): who needs it is decided in twofactor/access.py.
OTP_TOTP_ISSUER = "SocialGov"
# Signed out after this long without using the site: people who need two-factor (privileged
# roles), and everyone else (shared school computers).
SOCIALGOV_IDLE_TIMEOUT_MINUTES = env.integer("IDLE_TIMEOUT_PRIVILEGED_MINUTES", 30)
SOCIALGOV_IDLE_TIMEOUT_OTHERS_MINUTES = env.integer("IDLE_TIMEOUT_MINUTES", 120)

# Sign-in throttling (django-axes, socialgov/people/throttling.py): failures kept in the database,
# counted for the account sign-in would open; per account and address, per address (password
# spraying) and per account (many addresses), each with its own limit.
AXES_HANDLER = "socialgov.people.throttling.SignInThrottle"
AXES_USERNAME_CALLABLE = "socialgov.people.throttling.throttle_username"
AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5)
SIGN_IN_CLIENT_FAILURE_LIMIT = env.integer("SIGN_IN_CLIENT_FAILURE_LIMIT", 30)
SIGN_IN_ACCOUNT_FAILURE_LIMIT = env.integer("SIGN_IN_ACCOUNT_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = env.integer("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
# A refused try while locked out does not restart the cool-off: a stranger cannot keep an account
# locked by trying once in a while; they must reach the limits again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# "Forgotten your password?": requests an hour per address typed and per visitor's address.
PASSWORD_RESET_EMAIL_LIMIT = env.integer("PASSWORD_RESET_EMAIL_LIMIT", 3)
PASSWORD_RESET_CLIENT_LIMIT = env.integer("PASSWORD_RESET_CLIENT_LIMIT", 20)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Reverse proxies in front of the site (socialgov.client_address): throttling, signatures and
# audit entries all read the visitor's address through the one function.
PROXY_COUNT = env.integer("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "socialgov.client_address.client_ip"

# --- Celery ----------------------------------------------------------------------------------
REDIS_URL = env.text("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # Embedded default: no broker; tasks run in process when queued.
    # A host name for the in-memory transport, so kombu does not warn that none was supplied.
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/London"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A page that queues a task waits at most about a second for a broker that is down: short
# timeouts, no retries (socialgov.outbox records what could not be queued; the sweep sends it).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "max_retries": 0,
    "interval_start": 0,
    "interval_step": 0,
    "interval_max": 0,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_TASK_IGNORE_RESULT = True

# --- E-mail ----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "SocialGov <no-reply@socialgov.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env.text("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.text("EMAIL_HOST")
    EMAIL_PORT = env.integer("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env.text("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env.text("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env.flag("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Production says what it lacks ---------------------------------------------------------
# A production start needs the services it talks to. A one-machine install (SQLite, tasks run in
# process, e-mail printed to the log) is allowed only when SOCIALGOV_EMBEDDED=1 says so, and then
# each start says what is missing and what that means.
SOCIALGOV_EMBEDDED = env.flag("SOCIALGOV_EMBEDDED", False)
PRODUCTION_NEEDS = {
    "EMAIL_HOST": "no mail server: e-mails (notifications, invitations, password resets) are "
    "printed to the log and never sent",
    "SITE_URL": f"links in e-mails point to {SITE_URL}",
    "DATABASE_URL": "the database is the SQLite file on this machine",
    "REDIS_URL": "no broker: tasks run in the web process and nothing runs on a schedule "
    "(no reminders) unless a cron job calls the management commands",
}
if PRODUCTION:
    _lacking = [name for name in PRODUCTION_NEEDS if not env.text(name)]
    if _lacking and not SOCIALGOV_EMBEDDED:
        raise ImproperlyConfigured(
            "production needs "
            + ", ".join(_lacking)
            + " (see README, Configuration); for a one-machine install without them set "
            "SOCIALGOV_EMBEDDED=1"
        )
    if _lacking:
        import sys

        print(
            "SOCIALGOV_EMBEDDED=1: a one-machine install.\n"
            + "".join(f"- {name} is not set: {PRODUCTION_NEEDS[name]}.\n" for name in _lacking),
            file=sys.stderr,
            end="",
        )

# --- Language, time --------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]

# --- Static files and private uploads --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm at setup (never a CDN: school networks filter them).
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
# Uploads are private: outside static, never under a public URL, served by checked views only.
PRIVATE_MEDIA_ROOT = Path(env.text("PRIVATE_MEDIA_ROOT") or BASE_DIR / "var" / "private")
# The embedded default serves static files straight from the app and node_modules, DEBUG on or
# off (the demo runs with DEBUG off to show the product's own error pages); production serves
# the collected, compressed files.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
UPLOAD_MAX_BYTES = env.integer("UPLOAD_MAX_MB", 10) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Forms -----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Security headers ------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

if PRODUCTION:
    # TLS ends at the reverse proxy, which sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.flag("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # A refused page (403) is one line, "Forbidden (Permission denied): /path": not a
        # traceback. Errors (500) keep theirs.
        "refusals_in_one_line": {"()": "socialgov.log_filters.RefusalsInOneLine"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["refusals_in_one_line"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print each of its records a second time (they also
        # reach the root's console): keep only its e-mail to ADMINS.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "axes": {"level": "WARNING"},
        # An incident that could be routed to nobody is e-mailed to ADMINS (and logged).
        "incidents": {"handlers": ["mail_admins"], "level": "INFO"},
        # WeasyPrint logs each rendering step at INFO; refused fetches still show as warnings.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

SOCIALGOV_STRICT = env.flag("SOCIALGOV_STRICT", False)
