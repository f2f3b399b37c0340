"""sitadmin settings, read from the environment.

With nothing set the app runs embedded: SQLite and Celery tasks executed in-process.
``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL`` (Celery broker, results and cache) switch to the
production setup. Every variable is listed in the README.
"""

import datetime as dt
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
# A production deployment (DEBUG off) must bring its own secret.
SECRET_KEY = env.str("SECRET_KEY") if not DEBUG else env.str("SECRET_KEY", default="dev-only-not-secret")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is empty: set a long random value")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "customers",
    "staff",
    "campaigns",
    "metrics",
    "sitadmin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sitadmin.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sitadmin.errors.FriendlyErrorsMiddleware",
    "sitadmin.hostile_input.HostileInputMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sitadmin.urls"
WSGI_APPLICATION = "sitadmin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # `{{ amount|money }}` (¥35,327.60) in every template.
            "builtins": ["sitadmin.templatetags.formats"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Seconds a connection is kept between requests; gunicorn (sitadmin/gunicorn.conf.py) keeps them.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if IS_POSTGRES:
    # A worker that dies mid-import holds the job's advisory lock through its server process until
    # the server sees the client gone: at once for a killed process (its socket closes), but for a
    # vanished machine only through TCP keepalives (hours by default) or, mid-statement, the check below.
    _server_options = "-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3"
    _server_options += " -c client_connection_check_interval=10000"
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = f"{_db_options.get('options', '')} {_server_options}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Staff accounts are created by managers (API or admin) and must pass Django's password validators.
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=10)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lockout (django-axes) checks every sign-in first: the console, the admin and the API token.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "staff.accounts.backends.StaffModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "staff.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# API tokens (django-rest-knox): only a hash is stored; each expires after API_TOKEN_HOURS.
API_TOKEN_HOURS = env.int("API_TOKEN_HOURS", default=24)
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(hours=API_TOKEN_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "sitadmin.pagination.PageSizePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["sitadmin.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "sitadmin.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "COERCE_DECIMAL_TO_STRING": False,
}

# Per-endpoint request rates (DRF's "N/second|minute|hour|day"), per user or, signed out, per IP.
# Generous by default; tighten them in production through the environment.
API_THROTTLE_RATES = {
    "auth_token": env.str("THROTTLE_AUTH_TOKEN", default="120/minute"),
    "events": env.str("THROTTLE_EVENTS", default="1200/minute"),
    "phone_reveal": env.str("THROTTLE_PHONE_REVEAL", default="60/hour"),
}
# JSON bodies nested deeper than this are refused (400) before they are parsed.
JSON_MAX_DEPTH = env.int("JSON_MAX_DEPTH", default=32)

SPECTACULAR_SETTINGS = {
    "TITLE": "sitadmin API",
    "DESCRIPTION": "私域运营后台: leads, customer events, daily KPIs, staff evaluation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request bodies get components of their own: read-only fields stay out of them, and a text
    # field that may not be blank says `minLength: 1`.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sitadmin.schema.document_query_parameters",
        "sitadmin.schema.keep_fixed_codes_out_of_updates",
        "sitadmin.schema.document_json_bodies",
        "sitadmin.schema.document_request_bodies",
        "sitadmin.schema.document_error_responses",
    ],
    # One schema name per choice set shared by several fields or models.
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "customers.models.Stage",
        "DecisionEnum": "staff.models.Decision",
        "StaffStatusEnum": "staff.models.Staff.Status",
        "ImportStatusEnum": "customers.models.ImportJob.Status",
        "ImportAllocationEnum": "staff.models.AllocationRule",
        "HandoverAllocationEnum": "staff.models.HANDOVER_RULES",
    },
}

# Celery: Redis when REDIS_URL is set, otherwise tasks run in-process (the embedded default).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# A message a worker took but never acknowledged (the worker died) goes back to the queue this long
# after the worker last renewed its lease (sitadmin/leases.py: every quarter of it, whatever the
# task's length), so a whole-worker crash delays its tasks by about this much.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=120)}
# An import still `running` without a progress heartbeat for this long was lost with its worker.
IMPORT_STALE_MINUTES = env.int("IMPORT_STALE_MINUTES", default=10)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 24 * 3600
# The one beat table: every periodic task of the product is listed here.
CELERY_BEAT_SCHEDULE = {
    "recompute-recent-kpis": {
        "task": "metrics.tasks.recompute_recent_kpis",
        "schedule": crontab(hour=2, minute=0),
    },
    "send-due-broadcasts": {
        "task": "campaigns.broadcasts.tasks.send_due_broadcasts",
        "schedule": crontab(minute="*"),
    },
    "purge-import-files": {
        "task": "customers.privacy.tasks.purge_import_files",
        "schedule": crontab(hour=3, minute=30),
    },
    "mark-dormant-groups": {
        "task": "campaigns.groups.tasks.mark_dormant_groups",
        "schedule": crontab(hour=3, minute=30),
    },
    "fold-keyword-hits": {
        "task": "campaigns.keywords.tasks.fold_keyword_hits",
        "schedule": crontab(minute="*"),
    },
    "requeue-stale-imports": {
        "task": "customers.recovery.tasks.requeue_stale_imports",
        "schedule": crontab(minute="*/5"),
    },
}

# Product settings (docs/metrics.md, §5, §6).
KPI_COHORT_DAYS = env.int("KPI_COHORT_DAYS", default=7)
ACTIVE_MESSAGE_THRESHOLD = env.int("ACTIVE_MESSAGE_THRESHOLD", default=3)
# Deletions of one staff member by their customers on one day that raise a loss alert (流失告警).
LOSS_ALERT_THRESHOLD = env.int("LOSS_ALERT_THRESHOLD", default=5)
# A group whose 7-day speaking rate stays under this for GROUP_DORMANT_DAYS days is marked dormant.
GROUP_DORMANT_RATE = env.float("GROUP_DORMANT_RATE", default=0.05)
GROUP_DORMANT_DAYS = env.int("GROUP_DORMANT_DAYS", default=14)
REMARK_FORMAT = env.str("REMARK_FORMAT", default="{date:%Y%m%d}-{name}-{stage}")
# Decision bands: (decision, lowest total), checked from the top.
EVALUATION_BANDS = [
    ("advance", env.float("EVALUATION_ADVANCE_MIN", default=80.0)),
    ("keep", env.float("EVALUATION_KEEP_MIN", default=60.0)),
    ("transfer", env.float("EVALUATION_TRANSFER_MIN", default=40.0)),
    ("exit", 0.0),
]
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=200 * 1024 * 1024)
# Files up to this many bytes are imported inside the request; larger ones by a Celery worker.
IMPORT_INLINE_MAX_BYTES = env.int("IMPORT_INLINE_MAX_BYTES", default=256 * 1024)
# Uploaded lead files are deleted once imported; a failed import's file after this many days.
IMPORT_FILE_RETENTION_DAYS = env.int("IMPORT_FILE_RETENTION_DAYS", default=7)
EVENTS_MAX_BATCH = 10_000
# WeCom bridge (企业微信): the corp id, and the callback's Token and EncodingAESKey from the admin console.
# Empty: the callback URL answers 503 until they are set.
WECOM_CORP_ID = env.str("WECOM_CORP_ID", default="")
WECOM_TOKEN = env.str("WECOM_TOKEN", default="")
WECOM_ENCODING_AES_KEY = env.str("WECOM_ENCODING_AES_KEY", default="")

# Phones at rest: AES-GCM keys (`id:base64key,…`, the current one named by PHONE_ENCRYPTION_KEY_ID,
# older ones kept until `manage.py rotate_phone_key` has run) and the HMAC key of the blind indexes.
# The defaults are for development and tests only: with DEBUG off both keys must come from the environment.
_DEV_PHONE_KEYS = "dev:ZGV2ZWxvcG1lbnQtb25seSBwaG9uZSBrZXkgISEhISE="
_DEV_PHONE_INDEX_KEY = "ZGV2ZWxvcG1lbnQtb25seSBwaG9uZSBpbmRleCBrZXk="
PHONE_ENCRYPTION_KEYS = (
    env.str("PHONE_ENCRYPTION_KEYS") if not DEBUG else env.str("PHONE_ENCRYPTION_KEYS", default=_DEV_PHONE_KEYS)
)
PHONE_ENCRYPTION_KEY_ID = env.str("PHONE_ENCRYPTION_KEY_ID", default="")
PHONE_INDEX_KEY = env.str("PHONE_INDEX_KEY") if not DEBUG else env.str("PHONE_INDEX_KEY", default=_DEV_PHONE_INDEX_KEY)
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

# Behind the TLS-terminating proxy (DEBUG off): HTTPS only, secure cookies, HSTS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Sessions are rows in PostgreSQL, read through the cache (Redis): a page view does not ask the
# database for its session. Active flag and password are still checked against the user's row.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
