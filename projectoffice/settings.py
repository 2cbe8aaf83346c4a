"""Settings for Project Office, configured entirely by environment variables.

PMO_DATA_DIR   where the SQLite database, uploaded files and the secret key live (default ./data)
DATABASE_URL   e.g. postgres://user@127.0.0.1:5432/pmo; SQLite in PMO_DATA_DIR when unset
PMO_DEBUG      "1" to turn on Django's debug mode (never in production)
PMO_ALLOWED_HOSTS  comma-separated host names (default: localhost names)
PMO_TRUSTED_PROXIES  the reverse proxies whose X-Forwarded-For is believed (docs/security.md)
PMO_OIDC_* / PMO_LDAP_*  single sign-on by OpenID Connect and LDAP, each optional (docs/security.md)
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF, UNSAFE_INLINE

# Lets admin and queryset classes be subscripted at run time, as the type stubs expect.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PMO_DATA_DIR", Path.cwd() / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Read the key from the environment or from the data directory, creating it on first run."""
    if key := os.environ.get("PMO_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Written whole under another name and linked into place: when several processes
        # start at once on a new data directory, exactly one key wins and all read it.
        draft = DATA_DIR / f".secret_key.{os.getpid()}"
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(draft, key_file)
        draft.unlink()
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("PMO_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get(
    "PMO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver"
).split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("PMO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "js_lib_htmx",
    "ninja",  # serves Swagger UI's own files from the office, not from a CDN
    "projectoffice.web",
    "projectoffice.accounts",
    "projectoffice.audit",
    "projectoffice.portfolio",
    "projectoffice.background",
    "projectoffice.registers",
    "projectoffice.controls",
    "projectoffice.planning",
    "projectoffice.resources",
    "projectoffice.timesheets",
    "projectoffice.finance",
    "projectoffice.search",
    "projectoffice.documents",
    "projectoffice.meetings",
    "projectoffice.people",
    "projectoffice.facilities",
    "projectoffice.notices",
    "projectoffice.work",
    "projectoffice.engagement",
    "projectoffice.training",
    "projectoffice.orgdesign",
    "projectoffice.reports",
    "projectoffice.schedulerisk",
    "projectoffice.reportbuilder",
    "projectoffice.assurance",
    "projectoffice.support",
    "projectoffice.architecture",
    "projectoffice.infosec",
    "django_tasks",
    "django_tasks_db",
    "projectoffice.jobs",
    "projectoffice.datamgmt",
    "projectoffice.website",
]

MIDDLEWARE = [
    "projectoffice.requestlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "projectoffice.uploads.UploadLimitMiddleware",
    "projectoffice.accounts.twofactor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "projectoffice.urls"
WSGI_APPLICATION = "projectoffice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "projectoffice.shell.context.navigation",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "pmo.sqlite3"),
        # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue instead of failing half-way through a transaction.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA foreign_keys=ON;",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Failed sign-ins allowed per (user name, client address) within the window; four times as
# many per user name from new addresses, and per address across names (accounts/throttle.py).
LOGIN_THROTTLE_ATTEMPTS = int(os.environ.get("PMO_LOGIN_THROTTLE_ATTEMPTS", "5"))
LOGIN_THROTTLE_WINDOW_SECONDS = 15 * 60
# Addresses or networks of the reverse proxies in front of the office (comma-separated, e.g.
# "127.0.0.1,10.0.0.0/24"). Only from these is X-Forwarded-For believed for the client address.
PMO_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("PMO_TRUSTED_PROXIES", "").split(",")
                       if p.strip()]

# Single sign-on (docs/security.md). OpenID Connect is on when PMO_OIDC_ISSUER is set; LDAP
# when PMO_LDAP_URL is. Both map directory groups to global roles through PMO_SSO_ROLE_GROUPS,
# e.g. "pmo_manager=PMO Managers;pmo_staff=PMO Staff,PMO Analysts;executive=Directors".
PMO_OIDC_ISSUER = os.environ.get("PMO_OIDC_ISSUER", "").rstrip("/")
PMO_OIDC_DISCOVERY_URL = os.environ.get("PMO_OIDC_DISCOVERY_URL", "")
PMO_OIDC_CLIENT_ID = os.environ.get("PMO_OIDC_CLIENT_ID", "")
PMO_OIDC_CLIENT_SECRET = os.environ.get("PMO_OIDC_CLIENT_SECRET", "")
PMO_OIDC_NAME = os.environ.get("PMO_OIDC_NAME", "your organisation")
PMO_OIDC_SCOPES = os.environ.get("PMO_OIDC_SCOPES", "openid email profile")
PMO_OIDC_USERNAME_CLAIM = os.environ.get("PMO_OIDC_USERNAME_CLAIM", "preferred_username")
PMO_OIDC_GROUPS_CLAIM = os.environ.get("PMO_OIDC_GROUPS_CLAIM", "groups")
PMO_LDAP_URL = os.environ.get("PMO_LDAP_URL", "")
PMO_LDAP_BIND_DN = os.environ.get("PMO_LDAP_BIND_DN", "")
PMO_LDAP_BIND_PASSWORD = os.environ.get("PMO_LDAP_BIND_PASSWORD", "")
PMO_LDAP_USER_BASE = os.environ.get("PMO_LDAP_USER_BASE", "")
PMO_LDAP_USER_FILTER = os.environ.get("PMO_LDAP_USER_FILTER", "(uid={username})")
PMO_LDAP_GROUP_BASE = os.environ.get("PMO_LDAP_GROUP_BASE", "")
PMO_LDAP_GROUP_FILTER = os.environ.get("PMO_LDAP_GROUP_FILTER",
                                       "(|(member={dn})(uniqueMember={dn}))")
PMO_LDAP_START_TLS = os.environ.get("PMO_LDAP_START_TLS", "0") == "1"
PMO_SSO_ROLE_GROUPS = os.environ.get("PMO_SSO_ROLE_GROUPS", "")
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "projectoffice.accounts.oidc.OidcBackend",
    *(["projectoffice.accounts.ldap.LdapBackend"] if PMO_LDAP_URL else []),
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("PMO_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("PMO_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded files: a directory (shared between app servers, e.g. NFS) or an S3-compatible store.
MEDIA_ROOT = Path(os.environ.get("PMO_MEDIA_ROOT", DATA_DIR / "media"))
PMO_S3_BUCKET = os.environ.get("PMO_S3_BUCKET", "")


def _file_storage() -> dict[str, object]:
    if not PMO_S3_BUCKET:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": PMO_S3_BUCKET,
        "endpoint_url": os.environ.get("PMO_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("PMO_S3_REGION") or None,
        "access_key": os.environ.get("PMO_S3_ACCESS_KEY") or None,
        "secret_key": os.environ.get("PMO_S3_SECRET_KEY") or None,
        "location": os.environ.get("PMO_S3_PREFIX", ""),
        "default_acl": None, "querystring_auth": True, "file_overwrite": False,
    }}


# Static files: with PMO_STATIC_MANIFEST=1 (after `pmo manage collectstatic`) names carry a
# hash of their content and are served with a one-year cache lifetime (WhiteNoise).
PMO_STATIC_MANIFEST = os.environ.get("PMO_STATIC_MANIFEST") == "1"
STORAGES = {
    "default": _file_storage(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if PMO_STATIC_MANIFEST
                    else "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not PMO_STATIC_MANIFEST
WHITENOISE_MAX_AGE = 365 * 24 * 60 * 60 if PMO_STATIC_MANIFEST else 60
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
PMO_MAX_ATTACHMENT_BYTES = int(os.environ.get("PMO_MAX_ATTACHMENT_BYTES", str(50 * 1024 * 1024)))
# Larger uploads are refused from Content-Length and stopped while streaming (uploads.py).
FILE_UPLOAD_HANDLERS = [
    "projectoffice.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# The cache is shared by every app server: the database's (default; keeps login throttling
# shared) or Redis when PMO_REDIS_URL is set. Sessions live in the database, or in the cache
# backed by the database with PMO_SESSIONS=cache (both work across servers).
PMO_REDIS_URL = os.environ.get("PMO_REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": PMO_REDIS_URL} if PMO_REDIS_URL else
    {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "pmo_cache"},
}
SESSION_ENGINE = ("django.contrib.sessions.backends.cached_db"
                  if os.environ.get("PMO_SESSIONS") == "cache"
                  else "django.contrib.sessions.backends.db")

# Security headers and cookies; HTTPS-only flags follow PMO_HTTPS so local http works.
HTTPS = os.environ.get("PMO_HTTPS") == "1"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
# Whether HSTS covers subdomains and asks for the browsers' preload list: the office's owner
# decides (other services may live on subdomains); `pmo check --deploy` accepts either.
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("PMO_HSTS_SUBDOMAINS") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("PMO_HSTS_PRELOAD") == "1"
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every page: scripts only from the office's own files (no inline script: behaviours are
# declared with data- attributes, web/office.js); inline style attributes are allowed, as
# templates and SVG charts use them; nothing may frame the office.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None

# Outgoing mail: through the SMTP server PMO_EMAIL_HOST when one is given; otherwise every
# message is kept in the office's outbox (a page for the Project Office manager).
EMAIL_HOST = os.environ.get("PMO_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("PMO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("PMO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PMO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("PMO_EMAIL_TLS", "1") == "1"
EMAIL_TIMEOUT = 20
# Messages are enqueued as jobs and delivered by the worker (PMO_MAIL_IN_BACKGROUND=0 sends
# them from the request instead) through the delivery backend: SMTP, the outbox, or
# PMO_EMAIL_BACKEND (e.g. django.core.mail.backends.filebased.EmailBackend with
# PMO_EMAIL_FILE_PATH).
PMO_EMAIL_DELIVERY_BACKEND = os.environ.get("PMO_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "projectoffice.notices.outbox.OutboxBackend")
EMAIL_BACKEND = ("projectoffice.jobs.mail.QueuedEmailBackend"
                 if os.environ.get("PMO_MAIL_IN_BACKGROUND", "1") == "1"
                 else PMO_EMAIL_DELIVERY_BACKEND)
EMAIL_FILE_PATH = os.environ.get("PMO_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
# Absolute links in e-mail start with this (e.g. https://pmo.example.org, no trailing slash).
PMO_BASE_URL = os.environ.get("PMO_BASE_URL", "").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("PMO_FROM_EMAIL", "pmo@localhost")
PMO_OUTBOX_DAYS = int(os.environ.get("PMO_OUTBOX_DAYS", "30"))

NINJA_PAGINATION_PER_PAGE = 50

# Background jobs (docs/jobs.md): kept in the database and run by the worker (`pmo serve`
# starts one; `pmo worker` runs more). PMO_JOBS_BACKEND=at-once runs each job in the process
# that enqueues it (still listed on the Jobs page): no worker needed, but pages wait for it.
PMO_JOBS_BACKEND = os.environ.get("PMO_JOBS_BACKEND", "database")
TASKS = {"default": {
    "BACKEND": {"database": "django_tasks_db.DatabaseBackend",
                "at-once": "projectoffice.jobs.backends.AtOnceDatabaseBackend",
                }.get(PMO_JOBS_BACKEND, PMO_JOBS_BACKEND),
    "QUEUES": [],  # any queue name
}}
# PMO_TASKS=redis://host:6379/0 keeps the queue in Redis instead (django-tasks-rq, the
# `redis` extra): for offices with many workers. The database keeps the Jobs page's list
# only for the database backends.
PMO_TASKS = os.environ.get("PMO_TASKS", "")
if PMO_TASKS.startswith(("redis://", "rediss://", "unix://")):
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": PMO_TASKS, "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
# A register file of more rows than this is imported by a job, not in the request.
PMO_IMPORT_IN_BACKGROUND_ROWS = int(os.environ.get("PMO_IMPORT_IN_BACKGROUND_ROWS", "100"))
# Levelling a plan of more tasks than this is worked out by a job, not in the page.
PMO_LEVEL_IN_BACKGROUND_TASKS = int(os.environ.get("PMO_LEVEL_IN_BACKGROUND_TASKS", "400"))
PMO_JOB_RETRY_SECONDS = int(os.environ.get("PMO_JOB_RETRY_SECONDS", "60"))
PMO_JOBS_KEEP_DAYS = int(os.environ.get("PMO_JOBS_KEEP_DAYS", "14"))
PMO_DIGEST_HOUR = int(os.environ.get("PMO_DIGEST_HOUR", "7"))

# Logs: one line per record on standard error; PMO_LOG_FORMAT=json writes JSON lines. Every
# record made while a request is handled carries its id (X-Request-ID, passed on from the
# proxy when it sends one), as does the response.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "projectoffice.requestlog.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "projectoffice.requestlog.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": os.environ.get("PMO_LOG_FORMAT", "text")}},
    "root": {"handlers": ["console"], "level": os.environ.get("PMO_LOG_LEVEL", "WARNING")},
    "loggers": {"projectoffice.requests": {"level": os.environ.get("PMO_REQUEST_LOG_LEVEL",
                                                                   "WARNING")}},
}

# Project controls: the probability and impact scales run 1…PMO_RISK_SCALE; a change request
# costing more than PMO_CHANGE_APPROVAL_COST (project currency) or delaying the finish by more
# than PMO_CHANGE_APPROVAL_DAYS needs the project's or programme's sponsor or a PMO manager.
PMO_RISK_SCALE = int(os.environ.get("PMO_RISK_SCALE", "5"))
PMO_CHANGE_APPROVAL_COST = int(os.environ.get("PMO_CHANGE_APPROVAL_COST", "10000"))
PMO_CHANGE_APPROVAL_DAYS = int(os.environ.get("PMO_CHANGE_APPROVAL_DAYS", "10"))
