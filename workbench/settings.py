"""Settings for the Claims Workbench, read from the environment (12-factor).

With no environment at all the workbench runs for one developer: SQLite under
var/, jobs run in-process. With DATABASE_URL and REDIS_URL it runs on
PostgreSQL with real Celery workers, which is how CI tests it and how a team
deploys it.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WORKBENCH_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: str) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "1")

# A development key is only acceptable while DEBUG is on; production must set one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    # Feature apps, lowest first: each depends only on those above it.
    "audit",
    "workspaces",
    "jobs",
    "vocabulary",
    "claims",
    "archive",
    "suggestions",
    "matching",
    "figures",
    "exports",
    "search",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "workbench.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "workbench.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "workbench.middleware.SessionTimeoutMiddleware",
    "workbench.middleware.RejectNulMiddleware",
    "workbench.middleware.LoginRequiredMiddleware",
    "workbench.middleware.DomainErrorMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "workbench.urls"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Field groups render with templates/forms/field.html (see workbench/forms.py).
FORM_RENDERER = "workbench.forms.FormRenderer"

WSGI_APPLICATION = "workbench.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'workbench.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads (the dev server, in-process jobs, browser tests) share
    # the file; wait for a lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes checks every sign-in first and refuses a locked-out one.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Login throttling (django-axes) and session lifetime ---------------------
# After LOGIN_FAILURE_LIMIT wrong passwords for one user from one address, that
# user is locked out from that address for LOGIN_LOCKOUT_SECONDS (each further
# try restarts the wait); a workspace admin can unlock a member earlier.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = datetime.timedelta(seconds=envint("LOGIN_LOCKOUT_SECONDS", "900"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "workbench.views.login_locked_out"
AXES_ENABLE_ADMIN = False
# Behind a reverse proxy, REMOTE_ADDR is the proxy's: have the proxy pass the
# client's address in REMOTE_ADDR (or set AXES_CLIENT_IP_CALLABLE).
AXES_VERBOSE = False
# A session ends after SESSION_IDLE_SECONDS without a request, and in any case
# SESSION_MAX_AGE seconds after signing in (workbench.middleware).
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_SECONDS", str(60 * 60))
SESSION_MAX_AGE = envint("SESSION_MAX_AGE", str(12 * 60 * 60))
SESSION_COOKIE_AGE = SESSION_MAX_AGE

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# WhiteNoise warns about a missing STATIC_ROOT; the SQLite file lives beside it.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# --- Exports ------------------------------------------------------------------
# Files of background exports (PDF reports, large exports); never served
# directly: downloads go through the workbench's access checks.
EXPORT_FILES_DIR = Path(os.environ.get("EXPORT_FILES_DIR", MEDIA_ROOT / "exports"))
# The public address of this workbench, used for every id and link an export
# writes (Web Annotation ids, ClaimReview, CSV links). Unset, a web export uses
# the address it was requested at, and a command needs --base-url.
WORKBENCH_PUBLIC_BASE_URL = os.environ.get("WORKBENCH_PUBLIC_BASE_URL", "").strip().rstrip("/")
# Folders searched for the PDF report's fonts (Debian: fonts-dejavu-core,
# fonts-noto-core, fonts-hosny-amiri).
EXPORT_PDF_FONT_DIRS = envlist("EXPORT_PDF_FONT_DIRS", "/usr/share/fonts")

# Uploaded files are counted as they stream in and skipped past UPLOAD_MAX_BYTES
# (workspaces/uploads.py); only files under the limit are kept, in memory.
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", str(4 * 1024 * 1024))
FILE_UPLOAD_HANDLERS = [
    "workspaces.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
# Form fields other than files (a pasted article: 2 MB of text, more once encoded).
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# --- Security -----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Jobs ---------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# Without Redis, tasks run in-process when their transaction commits.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True  # pages read the Job row, not a result backend
# Several deployments (or test runs) can share one Redis with their own queue.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("JOB_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Tasks are acknowledged late, so a task cut off by a lost broker connection is
# delivered again anyway: stop it rather than let it finish twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SOFT_TIME_LIMIT = envint("JOB_SOFT_TIME_LIMIT", "240")
CELERY_TASK_TIME_LIMIT = envint("JOB_HARD_TIME_LIMIT", "300")
# Longer (soft, hard) limits for kinds that need them: a PDF report of 10,000
# claims took 17 minutes in bench/run_exports.py.
JOB_TIME_LIMITS = {
    "export": (envint("EXPORT_SOFT_TIME_LIMIT", "3300"), envint("EXPORT_HARD_TIME_LIMIT", "3600")),
}
# Redis redelivers an unacknowledged message after this long: it must exceed
# the longest task's hard limit, or a slow task would run twice. No countdown
# or ETA may exceed it either (tests assert both).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("REDIS_VISIBILITY_TIMEOUT", "4200"),
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Requeue jobs whose worker vanished; re-send jobs whose message was lost.
    "sweep-jobs": {
        "task": "jobs.tasks.sweep_jobs",
        "schedule": float(os.environ.get("JOB_SWEEP_SECONDS", "60")),
    },
    # Start link re-checks for workspaces whose links are due (see below).
    "recheck-links": {
        "task": "archive.tasks.recheck_links_due",
        "schedule": float(os.environ.get("LINK_RECHECK_POLL_SECONDS", "600")),
    },
}
# A running job beats every JOB_HEARTBEAT_SECONDS; one silent for
# JOB_STALE_SECONDS lost its worker and is requeued by the sweeper.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "5"))
JOB_STALE_SECONDS = float(os.environ.get("JOB_STALE_SECONDS", "60"))
# A job queued this long (its message maybe lost) is sent again by the sweeper.
JOB_RESEND_QUEUED_SECONDS = float(os.environ.get("JOB_RESEND_QUEUED_SECONDS", "600"))
# Fetch jobs (articles by URL, evidence archives, link re-checks).
JOB_FETCH_TIMEOUT_SECONDS = float(os.environ.get("JOB_FETCH_TIMEOUT_SECONDS", "20"))
JOB_FETCH_MAX_BYTES = envint("JOB_FETCH_MAX_BYTES", str(5 * 1024 * 1024))
# Archived links are re-checked when their last check is older than this.
LINK_RECHECK_AFTER_SECONDS = float(os.environ.get("LINK_RECHECK_AFTER_SECONDS", "86400"))
# Pauses between the tries of one link before it counts as gone.
LINK_CHECK_RETRY_DELAYS = [2.0, 10.0]

# The dashboard is counted by a job and stored; a stored one older than this
# is counted again when someone looks.
DASHBOARD_MAX_AGE_SECONDS = float(os.environ.get("DASHBOARD_MAX_AGE_SECONDS", "300"))

# --- The audit trail's witness (audit/checkpoints.py) ---------------------------
# Checkpoints of each workspace's chain head are signed with an Ed25519 key the
# database never holds and appended to a log outside the database. Keep both
# off the database's machine and out of its backups (see the README).
AUDIT_SIGNING_KEY = os.environ.get("AUDIT_SIGNING_KEY", "")
AUDIT_SIGNING_KEY_FILE = os.environ.get(
    "AUDIT_SIGNING_KEY_FILE", str(VAR_DIR / "audit-signing.key")
)
# For the demo a missing key file is generated; production provides the key.
AUDIT_SIGNING_KEY_GENERATE = envbool("AUDIT_SIGNING_KEY_GENERATE", "1" if DEBUG else "0")
# Public keys (base64) verify_audit accepts; empty: the signing key's own.
AUDIT_VERIFY_KEYS = envlist("AUDIT_VERIFY_KEYS")
AUDIT_CHECKPOINT_DIR = os.environ.get("AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints"))
CELERY_BEAT_SCHEDULE["audit-checkpoints"] = {
    "task": "audit.tasks.audit_checkpoint_all",
    "schedule": float(os.environ.get("AUDIT_CHECKPOINT_SECONDS", "3600")),
}

# --- Fetching -----------------------------------------------------------------
# Hosts the safe fetcher may reach although they resolve to private or loopback
# addresses. Empty in production; the tests name their local test server here.
# Each entry names its port (host:8080), or host:* for every port on purpose.
FETCH_ALLOWED_HOSTS = envlist("FETCH_ALLOWED_HOSTS")
for _entry in FETCH_ALLOWED_HOSTS:
    if not _entry.rpartition(":")[2] or _entry.rpartition(":")[1] != ":" or _entry.endswith("]"):
        raise RuntimeError(
            f"FETCH_ALLOWED_HOSTS entry {_entry!r} must name a port (host:8080), or host:* "
            "to allow every port."
        )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # In-process jobs would log every task run into commands' and the dev
    # server's output; the Job rows already record them.
    "loggers": {
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
        # pikepdf (the PDF report) says hello at INFO when imported.
        "pikepdf": {"level": "WARNING"},
        # Lockouts are logged (and audited); each successful sign-in need not be.
        "axes": {"level": "WARNING"},
    },
}
