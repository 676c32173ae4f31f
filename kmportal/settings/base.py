"""Settings shared by every environment, read from the process environment.

Everything the instance keeps (database, uploads, search index, logs) lives in one data folder,
``KM_DATA_DIR`` (default ``var/`` in the checkout): an empty folder plus ``migrate`` is a fresh
instance.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


# --- The data folder --------------------------------------------------------------------------
DATA_DIR = Path(env_str("KM_DATA_DIR", str(BASE_DIR / "var"))).expanduser().resolve()
MEDIA_ROOT = DATA_DIR / "media"
SEARCH_INDEX_DIR = DATA_DIR / "index"
# import_documents writes the index in a second process while it shelves the files (README,
# "Import: the index is written alongside"); off, it writes the index after them.
SEARCH_INDEX_ALONGSIDE = env_bool("KM_INDEX_ALONGSIDE", True)
LOG_DIR = DATA_DIR / "logs"
STATIC_ROOT = DATA_DIR / "staticfiles"
BACKUP_DIR = Path(env_str("KM_BACKUP_DIR", str(DATA_DIR / "backups"))).expanduser().resolve()
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "tmp"  # not /tmp: see apps/core/tempfiles.py
for _folder in (DATA_DIR, MEDIA_ROOT, SEARCH_INDEX_DIR, LOG_DIR, STATIC_ROOT, FILE_UPLOAD_TEMP_DIR):
    _folder.mkdir(parents=True, exist_ok=True)

# --- Core ---------------------------------------------------------------------------------------
SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps first so that their templates and translations win over third-party defaults.
    "apps.core",
    "apps.accounts",
    "apps.teams",
    "apps.notifications",
    "apps.experts",
    "apps.library",
    "apps.knowledge",
    "apps.plans",
    "apps.meetings",
    "apps.community",
    "apps.board",
    "apps.learning",
    "apps.search",
    "apps.dashboard",
    "apps.ops",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "axes",
    "huey.contrib.djhuey",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.ThaiFirstLocaleMiddleware",
    # Before anything reads the database (the session is read lazily): PostgreSQL refuses NUL
    # in text, so such a request is a 400, in the language the person chose.
    "apps.core.middleware.RejectNulMiddleware",
    "apps.core.middleware.ErrorPageMiddleware",
    "apps.core.middleware.DiskSpaceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.core.middleware.PrivatePagesMiddleware",
    # An intranet: every page needs a signed-in person unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.core.middleware.AuditlogMiddleware",
    # Axes must come last: it turns a lockout raised anywhere above into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kmportal.urls"
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"
WSGI_APPLICATION = "kmportal.wsgi.application"

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
                "django.template.context_processors.i18n",
                "apps.core.context_processors.portal_context",
                "apps.notifications.context_processors.bell",
            ],
            "builtins": ["apps.core.templatetags.thai"],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------
# SQLite is the embedded default. WAL lets readers work while one process writes; IMMEDIATE
# transactions take the write lock up front so two writers queue on the busy timeout instead of
# failing with "database is locked" half-way through a transaction.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "DB_PREPARED_STATEMENTS", True
    ):
        # Parameters sent apart from the statement, so a statement run five times on a
        # connection is prepared and PostgreSQL plans it once: planning a document page's
        # five-table read took 2.4 ms of the server's CPU, running it 0.3 (issue 20). Off
        # (DB_PREPARED_STATEMENTS=0) behind a pooler in transaction mode, which cannot keep them.
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            # Kept open between requests, as PostgreSQL's are: opening one (and its PRAGMAs) on
            # every request was 6% of a document page under load (issue 20).
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches -------------------------------------------------------------------------------------
# Per process (nothing to install): what is kept is worked out again on a miss, and every key
# says what the value was drawn from. "fragments": parts of the layout rendered once per set of
# inputs (the navigation bar, ``{% cache ... using="fragments" %}``), apart from the default
# cache so that they never push out the library's counts or the home page's sections.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 1000},  # a navigation bar is some 4 KB
    },
}

# --- Accounts and login throttling --------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# Lock a username tried from one address, so one colleague mistyping cannot lock out the office
# (everyone behind the same NAT shares an address).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Behind AXES_PROXY_COUNT reverse proxies the client is read from X-Forwarded-For, for the
# throttle and the audit trail (apps/core/clientip.py); prod counts one when KM_BEHIND_PROXY.
KM_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "apps.core.clientip.client_ip"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 10)  # one working day
# Django's database sessions, read with one plain statement (apps/core/sessions.py, issue 20).
SESSION_ENGINE = "apps.core.sessions"

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
# Our own catalogue first; then Thai for the Django and third-party strings that their own Thai
# catalogues leave untranslated (login errors, password rules, form errors ...).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kmportal.formats"]

# --- Static and uploaded files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "apps.core.storage.DataFolderStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
# Writes are refused (in Thai) while less than this is free: apps/core/diskspace.py.
KM_MIN_FREE_BYTES = env_int("KM_MIN_FREE_MB", 200) * 1024 * 1024
PHOTO_MAX_UPLOAD_BYTES = env_int("KM_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
PHOTO_MAX_PIXELS = 40_000_000  # decoded size we accept before resizing (a 40-megapixel camera)
PHOTO_SIZE = 400  # stored profile photos fit in a square of this many pixels

# --- Document library ---------------------------------------------------------------------------
LIBRARY_MAX_UPLOAD_BYTES = env_int("KM_MAX_UPLOAD_MB", 50) * 1024 * 1024
# "queue": extract text in a background job after an upload (the worker); "inline": wait for it.
LIBRARY_EXTRACTION = env_str("KM_EXTRACTION", "queue")
LIBRARY_EXTRACTION_TIMEOUT = env_int("KM_EXTRACTION_TIMEOUT", 60)
LIBRARY_EXTRACTION_MEMORY = env_int("KM_EXTRACTION_MEMORY_MB", 1024) * 1024 * 1024
# OCR of scanned pages (README, "OCR"): the tesseract program ("" turns OCR off), and the time
# limit of one page.
LIBRARY_TESSERACT = env_str("KM_TESSERACT", "tesseract")
LIBRARY_OCR_PAGE_TIMEOUT = env_int("KM_OCR_PAGE_TIMEOUT", 120)
LIBRARY_OCR_PSM = env_int("KM_OCR_PSM", 3)  # Tesseract's page layout mode (bench/ocr_quality.py)
# Uploads above this size are spooled to a temporary file rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Request limits -----------------------------------------------------------------------------
# Every list a form takes is bounded in its field (apps.core.forms: 100 people, 200 choices or
# formset rows, 20 files); these are the hard limits above them, answered with 400. The largest
# form is a meeting's attendance: 200 rows of 6 fields plus up to 100 people to invite.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 25  # apps.core.forms.MAX_FILES (20) gets its Thai message first
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # the form fields of one request, files apart

# --- Content-Security-Policy (django-csp): no inline script or event handler in templates/ ---
# An inline <script> needs nonce="{{ request.csp_nonce }}". Style attributes (progress bars,
# chart heights) are allowed; <style> elements and inline scripts are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Forms --------------------------------------------------------------------------------------
# Drop-down lists are written without a template per option (apps/core/formrenderer.py).
FORM_RENDERER = "apps.core.formrenderer.PortalFormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email --------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "KM Portal <km-portal@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if env_str("EMAIL_FILE_PATH", ""):
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")  # with the file-based backend: one file a message
ADMINS = [("Admin", address) for address in env_list("ADMINS")]

# --- Background jobs (Huey) ---------------------------------------------------------------------
# Embedded: the queue is a SQLite file in the data folder and `manage.py run_huey` (started by
# `make run`) works it. Production: REDIS_URL puts the queue on Redis, so several workers on several
# machines share it. Tests run jobs at once, in the caller (KM_JOBS_IMMEDIATE).
REDIS_URL = env_str("REDIS_URL", "")
KM_JOBS_IMMEDIATE = env_bool("KM_JOBS_IMMEDIATE", False)
# `manage.py run_huey`: KM_WORKERS threads (jobs wait on child processes, the disk and the
# database, so threads overlap well). An idle worker looks at a SQLite queue at least once a second
# (Huey's default backs off to 10 s: an upload would wait that long for its text); Redis wakes
# it at once.
_CONSUMER = {
    "workers": env_int("KM_WORKERS", 2),
    "worker_type": "thread",
    "max_delay": 1.0,
}
if REDIS_URL:
    HUEY = {
        # With priorities (a sorted set, Redis 5 or newer), as SqliteHuey has them: an index
        # update goes ahead of queued text extractions.
        "huey_class": "huey.PriorityRedisHuey",
        "name": env_str("KM_QUEUE_NAME", "kmportal"),
        "url": REDIS_URL,
        "immediate": KM_JOBS_IMMEDIATE,
        "utc": True,
        "results": False,  # nothing reads a job's return value: don't keep them in the queue
        "consumer": _CONSUMER,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "kmportal",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": KM_JOBS_IMMEDIATE,
        "utc": True,
        "results": False,  # nothing reads a job's return value: don't keep them in the queue
        "consumer": _CONSUMER,
    }
# The hour (Bangkok time) at which the daily reminders and digests go out.
KM_REMINDER_HOUR = env_int("KM_REMINDER_HOUR", 7)
# A knowledge set waiting this many days for its review reminds its reviewers and approvers.
KM_REVIEW_WAITING_DAYS = env_int("KM_REVIEW_WAITING_DAYS", 7)
# The head's approval of a knowledge set waits for the CKO's final sign-off, a step of its own
# (issue 16; the team duties in seed 003). Off: the head's or the CKO's approval is the last word.
KM_KNOWLEDGE_CKO_SIGNOFF = env_bool("KM_KNOWLEDGE_CKO_SIGNOFF", False)
# Q&A board: a question without an answer this many days reaches its moderators (once); an
# author may edit or hide their own post for this many minutes (moderators always).
KM_UNANSWERED_DAYS = env_int("KM_UNANSWERED_DAYS", 3)
KM_BOARD_EDIT_MINUTES = env_int("KM_BOARD_EDIT_MINUTES", 30)
# Progress reports: owners who have not reported are reminded this many days before a fiscal
# quarter ends, and told theirs is missing during this many days after it ended.
KM_PROGRESS_REMINDER_DAYS = env_int("KM_PROGRESS_REMINDER_DAYS", 7)
KM_PROGRESS_MISSING_DAYS = env_int("KM_PROGRESS_MISSING_DAYS", 14)

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "file": {
            "class": "apps.core.logs.SafeRotatingFileHandler",
            "filename": LOG_DIR / "kmportal.log",
            "maxBytes": 5 * 1024 * 1024,
            "backupCount": 5,
            "encoding": "utf-8",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console", "file"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The worker's own lines (each job started and finished); given handlers here, so that
        # `run_huey` does not add its own and print every line twice.
        "huey": {"handlers": ["console", "file"], "level": "INFO", "propagate": False},
    },
}

# --- Portal -------------------------------------------------------------------------------------
KM_ORGANISATION_NAME = env_str("KM_ORGANISATION_NAME", "สำนักงานสหกรณ์จังหวัดชุมพร")
KM_SITE_URL = env_str("KM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")  # links in e-mails
