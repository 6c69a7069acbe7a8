"""Quotetrail settings: one module, read from the environment.

`QUOTETRAIL_ENV` selects the profile: `development` (default, safe local
defaults, SQLite unless `DATABASE_URL` is set) or `production` (strict values,
every secret from the environment).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from apps.core.clientip import trusted_networks

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    """A string from the environment; `NAME_FILE` (a path) wins for secrets."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


QUOTETRAIL_ENV = env_str("QUOTETRAIL_ENV", "development")
if QUOTETRAIL_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("QUOTETRAIL_ENV must be 'development' or 'production'")
PRODUCTION = QUOTETRAIL_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) is required")
    SECRET_KEY = "development-only-insecure-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS",
    [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"],
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required in production (comma-separated)")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "simple_history",
    "axes",
    "ninja",
    "django_tasks_db",
    "apps.core",
    "apps.webhooks",
    "apps.articles",
    "apps.sources",
    "apps.quotes",
    "apps.claims",
    "apps.backup",
    "apps.demo",
    "apps.api",
]

MIDDLEWARE = [
    # Outermost: every log line of the request, its own included, carries the request's id.
    "apps.core.middleware.requestid.RequestIdMiddleware",
    # Next, so the logged status and duration are what the client got.
    "apps.core.middleware.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "apps.core.middleware.outage.DatabaseUnavailableMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise, which answers static files itself (precompressed in production),
    # above everything that writes or reads a body: pages, htmx fragments, JSON, exports.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "apps.core.middleware.nul.RejectNulCharactersMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as axes asks: turns a login axes refused itself into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "apps.core.context_processors.roles",
            ],
        },
    },
]


def database_settings(url: str | None) -> dict:
    """SQLite file by default; PostgreSQL (pooled, health-checked) from DATABASE_URL."""
    if not url:
        path = Path(env_str("SQLITE_PATH", str(BASE_DIR / "var" / "quotetrail.sqlite3")))
        path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not :memory:, so the live server used by browser tests gets
            # connections of its own in each of its threads.
            "TEST": {"NAME": str(path.with_name("test_" + path.name))},
        }
    config = dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 2),
            "max_size": env_int("DATABASE_POOL_MAX", 10),
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
        }
    return config


if PRODUCTION and not env_str("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL (or DATABASE_URL_FILE) is required in production")
DATABASES = {"default": database_settings(env_str("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# axes' backend comes first: it refuses a locked-out login before any password is checked.
# The signed-in user is loaded with their roles (groups) in one query: apps/core/auth.py.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "apps.core.auth.RoleAwareBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "articles:list"
LOGOUT_REDIRECT_URL = "login"
# A working day: the session ends after this many seconds, or when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 10 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Failed logins per username and client address before the form refuses (429) for
# QUOTETRAIL_LOGIN_LOCKOUT_SECONDS (apps/core/accounts.py).
QUOTETRAIL_LOGIN_MAX_FAILURES = env_int("QUOTETRAIL_LOGIN_MAX_FAILURES", 5)
QUOTETRAIL_LOGIN_LOCKOUT_SECONDS = env_int("QUOTETRAIL_LOGIN_LOCKOUT_SECONDS", 15 * 60)
# Reverse proxies whose X-Forwarded-For is believed (apps/core/clientip.py): addresses or
# CIDR blocks, comma-separated. Parsed here, so a bad entry stops startup with its reason.
QUOTETRAIL_TRUSTED_PROXIES = env_list("QUOTETRAIL_TRUSTED_PROXIES", [])
trusted_networks(tuple(QUOTETRAIL_TRUSTED_PROXIES))

# Login lockout (django-axes; apps/core/accounts.py explains the flow). Failures are rows
# in the database, shared by every worker and host; the limit and cool-off are read from
# the two QUOTETRAIL_LOGIN_ settings above when used.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = "apps.core.accounts.failure_limit"
AXES_COOLOFF_TIME = "apps.core.accounts.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "apps.core.accounts.lockout_username"
AXES_CLIENT_IP_CALLABLE = "apps.core.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "apps.core.accounts.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Attempts refused while locked are not counted, so they do not push the end back.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# No row per successful login or per failure beyond the counts themselves: the request
# log already records every login, and these tables would only grow.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Kept out of the failure rows (the password always is).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
# The admin shows the lockouts only (apps/core/admin.py): the logs above are off.
AXES_ENABLE_ADMIN = False
# axes' log lines name the lockout parameters only (masked above), never request headers.
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Outside production whitenoise serves straight from the app and static folders,
# so no collectstatic is needed to run or test.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Uploaded articles are read in memory and refused above this size (bytes).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# Longest article body accepted, in characters (about 30,000 words).
QUOTETRAIL_MAX_BODY_CHARS = env_int("QUOTETRAIL_MAX_BODY_CHARS", 200_000)

# Importing from the web (apps/articles/fetching.py): feeds and article pages.
# Seconds to connect and for each read, and for the whole download of one URL.
QUOTETRAIL_FETCH_TIMEOUT = env_int("QUOTETRAIL_FETCH_TIMEOUT", 15)
# Largest page or feed read, in bytes; a longer one is refused as soon as it passes this.
QUOTETRAIL_FETCH_MAX_BYTES = env_int("QUOTETRAIL_FETCH_MAX_BYTES", 5 * 1024 * 1024)
# Redirects followed for one URL, each checked like the URL itself.
QUOTETRAIL_FETCH_MAX_REDIRECTS = env_int("QUOTETRAIL_FETCH_MAX_REDIRECTS", 5)
# Fetching from loopback, private, link-local and other non-public addresses: allowed for
# a local run, refused in production (apps/webhooks/addresses.py is the guard). Apart from
# the webhooks' setting: a receiver on the internal network is not a reason to let editors'
# URLs reach it.
QUOTETRAIL_FETCH_ALLOW_PRIVATE = env_bool("QUOTETRAIL_FETCH_ALLOW_PRIVATE", not PRODUCTION)
# Web pages one import may name (the feed's entries count too).
QUOTETRAIL_IMPORT_MAX_URLS = env_int("QUOTETRAIL_IMPORT_MAX_URLS", 200)
# Where Quotetrail is served; used for ids in exports made outside a request.
# Requests a minute per API token (or signed-in user): "600/m", "20/s", "10000/h".
QUOTETRAIL_API_RATE = env_str("QUOTETRAIL_API_RATE", "600/m")
QUOTETRAIL_BASE_URL = env_str("QUOTETRAIL_BASE_URL", "http://127.0.0.1:8000")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every environment, so tests and development see what production enforces: no inline
# script or style, no eval (htmx runs with allowEval false), nothing from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
# htmx sends the token from <body hx-headers>; no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Background work (extraction, indexing, imports from the web, webhook deliveries) runs as
# Django tasks queued in the database itself: nothing else to run. `manage.py run_worker`
# (started by `make run`) sweeps for lost work, then works the queue as db_worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Seconds a webhook receiver has to answer one delivery attempt.
QUOTETRAIL_WEBHOOK_TIMEOUT = env_int("QUOTETRAIL_WEBHOOK_TIMEOUT", 10)
# Webhooks to loopback, private, link-local and other non-public addresses: allowed for a
# local run (a receiver on the same machine), refused in production (apps/webhooks/addresses.py).
QUOTETRAIL_WEBHOOKS_ALLOW_PRIVATE = env_bool("QUOTETRAIL_WEBHOOKS_ALLOW_PRIVATE", not PRODUCTION)


def cache_settings(redis_url: str | None) -> dict:
    """The two caches: in Redis, shared by every process and host, when REDIS_URL is set
    (e.g. redis://127.0.0.1:6379/0); otherwise in each process's memory.

    `default` holds the API rate-limit counts and the cached copy of sessions; `derived`
    the pages and fragments derived from the archive (apps/core/versions.py), whose keys
    carry the version counters of the data beneath them, so entries are never stale, only
    unused. Each has its own key prefix in the one Redis database."""
    if redis_url:
        shared = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            # Seconds: a Redis that is away costs a request this much at most, never a hang.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
        return {
            "default": {**shared, "KEY_PREFIX": "qt"},
            "derived": {**shared, "KEY_PREFIX": "qt-derived"},
        }
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "derived": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "quotetrail-derived",
            "OPTIONS": {"MAX_ENTRIES": env_int("QUOTETRAIL_DERIVED_CACHE_ENTRIES", 50_000)},
        },
    }


REDIS_URL = env_str("REDIS_URL")
CACHES = cache_settings(REDIS_URL)
# Sessions are rows in the database. With Redis they are also kept in the shared cache,
# for a minute, which saves most reads (apps/core/sessions.py). A per-process cache would
# let one worker go on serving a session another worker has ended at logout.
SESSION_ENGINE = "apps.core.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
# Everything goes to stderr through the root logger, each line with the id of the request
# it was written for ("-" outside one). `quotetrail.requests` writes one
# line per request (apps/core/middleware/requestlog.py: user, method, path, status, duration);
# `django.request` writes 4xx warnings and every 5xx with its traceback. Request bodies
# are never logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "apps.core.middleware.requestid.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's own handlers (console only when DEBUG, mail to ADMINS) so each
        # record is written once, by the root handler, in every environment.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "quotetrail.requests": {"handlers": [], "propagate": True},
        # axes writes several INFO lines per login; its warnings (failures, lockouts) stay.
        "axes": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}
