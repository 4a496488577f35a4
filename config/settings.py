"""Songkeeper settings: one module, driven by the environment.

Unset variables mean the embedded default (SQLite and an embedded Redis under
``var/``); set ``DATABASE_URL`` / ``REDIS_URL`` to run at scale.
"""
import json
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SONGKEEPER_VAR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "archive",
    "generation",
    "worker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.bad_input.BadInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "archive.middleware.ShareLinkMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.security.SecurityHeadersMiddleware",
    "config.outage.DatabaseOutageMiddleware",
    "axes.middleware.AxesMiddleware",
    "archive.versions.VersionsMiddleware",
    "archive.page_cache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "archive.web.context.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "songkeeper.sqlite3"
# Connections are kept between requests (a new PostgreSQL connection costs a backend process) and
# checked before reuse, so one the database dropped is replaced instead of failing a request.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")), conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and workers share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # A file, not :memory:, so that a real worker process sees the test data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_songkeeper.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # pgvector's HNSW scans go on past filtered-out rows in distance order (similar recordings skip
    # what the caller may not see, archive/search/similar_pgvector.py). Set when the connection
    # opens; a placeholder, harmless where pgvector is not installed. A candidate list of 100 rather
    # than pgvector's 40: with many deleted or rolled-back vectors still in the graph, 40 was seen
    # to miss the true nearest neighbours (tests/test_search.py after a suite's worth of analyses).
    # JIT off: PostgreSQL compiles a plan whose estimated cost passes jit_above_cost, which pays
    # for long analytic queries; here every query is a request's, and at 500,000 recordings the
    # compile alone was 70-105 ms of a 450 ms search statement (EXPLAIN ANALYZE, README's bench).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c hnsw.iterative_scan=strict_order -c hnsw.ef_search=100 -c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis and Celery -----------------------------------------------------
EMBEDDED_REDIS_SOCKET = VAR_DIR / "redis.sock"
REDIS_URL = os.environ.get("REDIS_URL") or f"unix://{EMBEDDED_REDIS_SOCKET}"
REDIS_EMBEDDED = not os.environ.get("REDIS_URL")


def _celery_url(url: str) -> str:
    """Kombu spells a Redis unix socket ``redis+socket://``."""
    if url.startswith("unix://"):
        path, _, query = url[len("unix://"):].partition("?")
        db = ""
        if query.startswith("db="):
            db = "?virtual_host=" + query[3:]
        return f"redis+socket://{path}{db}"
    return url


CELERY_BROKER_URL = _celery_url(REDIS_URL)

# The shared cache (all web processes see one): anonymous visitors' pages, see archive/page_cache.py.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                      "KEY_PREFIX": "songkeeper",
                      "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
PAGE_CACHE_SECONDS = int(os.environ.get("SONGKEEPER_PAGE_CACHE_SECONDS", "30"))
SIMILAR_VECTORS_CACHED = True  # archive/search/similar.py keeps the feature matrix between requests
# archive/search/snapshot.py: "background" (a thread builds the in-memory snapshot, the database
# answers meanwhile), "sync" (the search that finds it stale builds it) or "off".
SEARCH_SNAPSHOT = os.environ.get("SONGKEEPER_SEARCH_SNAPSHOT", "background")
SEARCH_SNAPSHOT_CACHED = True  # kept between searches while the search version stands
# The snapshot's bound: it cost 131-192 MB per web process at 100,000 recordings (README); past
# this many recordings none is built and the database answers, so a web process stays under 300 MB.
SEARCH_SNAPSHOT_MAX_RECORDINGS = int(os.environ.get("SONGKEEPER_SEARCH_SNAPSHOT_MAX_RECORDINGS", "150000"))
# What a process keeps in memory (search snapshot, kept access answers, similar-recordings vectors)
# is keyed by the database's versions (archive/versions.py) and, as a backstop, never used longer than this.
KEPT_AT_MOST_SECONDS = int(os.environ.get("SONGKEEPER_KEPT_AT_MOST_SECONDS", "300"))
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 1_500_000  # KiB: recycle a worker that grew past 1.5 GB
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# A job still queued after this long lost its message: the sweep re-sends it.
JOB_STALE_AFTER_SECONDS = int(os.environ.get("JOB_STALE_AFTER_SECONDS", "300"))
JOB_SWEEP_EVERY_SECONDS = int(os.environ.get("JOB_SWEEP_EVERY_SECONDS", "60"))
# Search documents a write outside the ORM left dirty (raw SQL) are rebuilt this often by beat.
SEARCH_SWEEP_EVERY_SECONDS = int(os.environ.get("SEARCH_SWEEP_EVERY_SECONDS", "60"))
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "5"))
DAY = 24 * 3600.0
CELERY_BEAT_SCHEDULE = {  # what beat starts (each app's tasks.py has the task)
    "re-send jobs whose message was lost": {"task": "worker.tasks.sweep_jobs", "schedule": float(JOB_SWEEP_EVERY_SECONDS)},
    "rebuild search documents still marked dirty": {"task": "archive.tasks.search_sweep",
                                                    "schedule": float(SEARCH_SWEEP_EVERY_SECONDS)},
    "re-check a day's share of the masters": {"task": "archive.tasks.fixity_sweep", "schedule": DAY},
    "refresh the query planner's statistics": {"task": "archive.tasks.statistics_refresh", "schedule": DAY},
    "remove uploads and ingest batches given up long ago": {"task": "archive.tasks.uploads_sweep", "schedule": DAY},
    "make every replica copy still missing": {"task": "archive.tasks.replication_sweep", "schedule": DAY},
    "refresh the labels of Local Contexts Hub projects": {"task": "archive.tasks.hub_refresh_sweep", "schedule": 3600.0},
}

# --- Auth -----------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a username+address after repeated failures
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- I18n -----------------------------------------------------------------
LANGUAGE_CODE = "en"
# The interface's languages: English, a complete Spanish translation and Arabic (right to
# left). A community adds its own as README "Adding a language" says.
LANGUAGES = [("en", "English"), ("es", "Español"), ("ar", "العربية")]
LOCALE_PATHS = [Path(os.environ.get("SONGKEEPER_LOCALE_DIR", BASE_DIR / "locale"))]  # the tests extract elsewhere
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve app static files without collectstatic in development and tests; production runs collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_TEMP_DIR = VAR_DIR / "uploads"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(8 * 1024**3)))
TUS_UPLOAD_DIR = VAR_DIR / "tus"
# An upload (or a bulk ingest's batch) nobody has added to for this long is given up and removed
# by the daily sweep (archive/services/resumable.py uploads_sweep_abandoned)
UPLOAD_ABANDONED_AFTER_DAYS = int(os.environ.get("UPLOAD_ABANDONED_AFTER_DAYS", "14"))
# The drop folder that manifests uploaded on the web refer to (an operator copies files here).
INGEST_ROOT = Path(os.environ.get("INGEST_ROOT", VAR_DIR / "ingest"))
FIXITY_INTERVAL_DAYS = int(os.environ.get("FIXITY_INTERVAL_DAYS", "30"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("S3_BUCKET"):
    # S3-compatible object storage (AWS, MinIO, Ceph…). Files are served only through the
    # permission-checked views, never by a public or signed URL handed to the browser.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ["S3_BUCKET"],
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "default_acl": None,
        "file_overwrite": False,
        "location": os.environ.get("S3_PREFIX", ""),
    }}
# Replicas: every stored file is copied to each of these locations as well (archive/services/
# replicas.py), a JSON list of Django storage settings with a name each, e.g.
# [{"name": "second-disk", "BACKEND": "django.core.files.storage.FileSystemStorage",
#   "OPTIONS": {"location": "/mnt/disk2/songkeeper"}},
#  {"name": "bucket", "BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "…"}}]
STORAGE_REPLICAS = json.loads(os.environ.get("STORAGE_REPLICAS", "[]"))
for _replica in STORAGE_REPLICAS:
    STORAGES[f"replica:{_replica['name']}"] = {"BACKEND": _replica["BACKEND"], "OPTIONS": _replica.get("OPTIONS", {})}

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a missing or revoked token answers 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        "archive.api.authentication.ShareLinkHolder",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": ["archive.api.parsers.JSONObjectParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_PAGINATION_CLASS": "archive.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "archive.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Songkeeper API",
    "DESCRIPTION": "Community-controlled archive of recordings of smaller musical traditions.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RecordingStatusEnum": "archive.models.recording.Recording.Status",
        "JobStateEnum": "worker.models.Job.State",
        "ProposalStatusEnum": "archive.models.contributions.Proposal.Status",
        "AccessRequestStatusEnum": "archive.models.access.AccessRequest.Status",
    },
}

# --- OAI-PMH --------------------------------------------------------------
OAI_REPOSITORY_NAME = os.environ.get("OAI_REPOSITORY_NAME", "Songkeeper")
OAI_REPOSITORY_ID = os.environ.get("OAI_REPOSITORY_ID", "songkeeper")
OAI_ADMIN_EMAIL = os.environ.get("OAI_ADMIN_EMAIL", "archive@example.org")
OAI_PAGE_SIZE = int(os.environ.get("OAI_PAGE_SIZE", "100"))

# --- Harvesting other archives (archive/services/harvest.py) ----------------
HARVEST_RETRIES = int(os.environ.get("HARVEST_RETRIES", "4"))  # per request, with exponential backoff
HARVEST_BACKOFF = float(os.environ.get("HARVEST_BACKOFF", "2"))  # seconds before the first retry
HARVEST_MAX_WAIT = float(os.environ.get("HARVEST_MAX_WAIT", "120"))  # a longer Retry-After re-queues the job
HARVEST_TIMEOUT = float(os.environ.get("HARVEST_TIMEOUT", "60"))  # seconds per request
# The Local Contexts Hub's API (its sandbox: https://sandbox.localcontextshub.org/api/v2/); v2 asks
# for an API key (X-Api-Key), v1 does not.
LOCAL_CONTEXTS_HUB_URL = os.environ.get("LOCAL_CONTEXTS_HUB_URL", "https://localcontextshub.org/api/v2/")
LOCAL_CONTEXTS_API_KEY = os.environ.get("LOCAL_CONTEXTS_API_KEY", "")
LOCAL_CONTEXTS_REFRESH_SECONDS = float(os.environ.get("LOCAL_CONTEXTS_REFRESH_SECONDS", str(24 * 3600)))

# --- Security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Style models: the transformer trained beside the Markov model (STYLE_TRANSFORMER_STEPS=0: Markov only).
_transformer_steps = int(os.environ.get("STYLE_TRANSFORMER_STEPS", "600"))
STYLE_TRANSFORMER = None if _transformer_steps <= 0 else {
    "steps": _transformer_steps,
    "d_model": int(os.environ.get("STYLE_TRANSFORMER_WIDTH", "160")),
    "ff": 4 * int(os.environ.get("STYLE_TRANSFORMER_WIDTH", "160")),
    "layers": int(os.environ.get("STYLE_TRANSFORMER_LAYERS", "4")),
    "context": 64,
    "batch": 32,
    "checkpoint_every": max(1, _transformer_steps // 10),
    "patience": 3,  # checkpoints without a better validation score before it stops
    # a corpus with fewer notes trains the Markov model only (a transformer would learn it by heart)
    "min_notes": int(os.environ.get("STYLE_TRANSFORMER_MIN_NOTES", "3000")),
}
