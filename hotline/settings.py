"""The one settings module, read from the environment (STYLE 11); SQLite in HOTLINE_DATA_DIR unless DATABASE_URL."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from hotline.lib.env import data_dir, env_bool, env_int, env_list, env_str
from hotline.privacy.csp import policy as csp_policy

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("HOTLINE_DEBUG", False)
# `hotline demo` writes a generated key into the data directory (hotline.demo.secret) so every process on that
# directory signs alike; production sets HOTLINE_SECRET_KEY.
_key_file = DATA_DIR / "secret-key"
SECRET_KEY = env_str("HOTLINE_SECRET_KEY") or (
    _key_file.read_text(encoding="ascii").strip() if _key_file.exists()
    else "insecure-development-key-set-HOTLINE_SECRET_KEY-in-production")
ALLOWED_HOSTS = env_list("HOTLINE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("HOTLINE_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "hotline.directory",
    "hotline.vault",
    "hotline.deadlines",
    "hotline.tickets",
    "hotline.privacy",
    "hotline.intake",
    "hotline.knowledge",
    "hotline.followups",
    "hotline.duty",
    "hotline.supervision",
    "hotline.reports",
    "hotline.exchange",
    "hotline.channels",
    "hotline.api",
    "hotline.web",
    "hotline.ops",
    "hotline.demo",
    # django-ninja's own static files: Swagger UI is served locally, not from a CDN.
    "ninja",
    # Offline image check for the citizen portal (no third-party service on a government intranet).
    "captcha",
    # Content security policy header and its checks.
    "csp",
    # TOTP second factor for staff (hotline/privacy/twofactor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Each write request is one transaction, so a lost database is answered "not saved" or "check first"
    # (hotline/lib/outage.py); outermost, so the session save and the rendered answer come before the commit.
    "hotline.lib.outage.WriteOutcomeMiddleware",
    # Idempotency-Key on the API's writes: a retry answers the first result without doing it again.
    "hotline.api.idempotency.IdempotencyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Idle and absolute time-outs of staff sessions (hotline/privacy/sessions.py).
    "hotline.privacy.sessions.SessionTimeoutMiddleware",
    # 403/404 answered to staff by views that do not record denials themselves become security events.
    "hotline.privacy.security.DenialMiddleware",
    # The TOTP step after the password while HOTLINE_TOTP_REQUIRED is on.
    "hotline.privacy.twofactor.TwoFactorMiddleware",
    # Content-Security-Policy header (hotline/privacy/csp.py): no inline scripts.
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "hotline.urls"
WSGI_APPLICATION = "hotline.wsgi.application"

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
            ],
        },
    },
]

# Django's form renderer, with selects written in Python: the topic and unit pickers rendered two template includes
# per option (hotline.lib.forms).
FORM_RENDERER = "hotline.lib.forms.Renderer"

_default_sqlite = f"sqlite:///{DATA_DIR / 'hotline.sqlite3'}"
# Health checks: a pooled connection that died with a database restart is replaced before the request uses it.
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite), conn_max_age=60,
                                              conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE makes a writing transaction take the lock at BEGIN,
    # so two concurrent transitions queue instead of failing with "database is locked" half-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not shared-cache memory: the race tests need SQLite's real locking between connections.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-hotline.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Planner settings for every connection, as `name=value` pairs. random_page_cost 1.1 (solid-state storage): at
    # the default 4 PostgreSQL hashes a unit's whole assignment history (57,000 rows at a million tickets) rather than
    # probe the index for the few hundred open tickets of a queue, 55 ms instead of 1 ms per tab. JIT compiles the
    # month's aggregates for longer than they run. parallel_setup_cost 10000 (default 1000): a page's query reads a
    # few dozen rows under a LIMIT; starting workers for it cost more than they saved (a two-character search's page
    # 2.5 ms alone, 10.6 ms in parallel at a million tickets, and a Gather Merge waits for every worker's first row:
    # one such page read all million), while the month's statistics still go parallel. `none` leaves the server's own.
    _pg_settings = env_str("HOTLINE_PG_SETTINGS", "random_page_cost=1.1 jit=off parallel_setup_cost=10000").split()
    if _pg_settings != ["none"]:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(f"-c {pair}" for pair in _pg_settings)

AUTH_USER_MODEL = "directory.Staff"
# Lockout after repeated failures, kept in the database so it works on the embedded default without Redis.
AUTHENTICATION_BACKENDS = ["hotline.privacy.lockout.LockoutModelBackend"]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from the finders but expects the folder
MEDIA_ROOT = Path(env_str("HOTLINE_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Database sessions that fall back to a signed value while the disk is read-only, so staff can still read.
SESSION_ENGINE = "hotline.privacy.session_store"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("HOTLINE_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A staff session ends after 30 idle minutes and at the latest 8 hours (one shift) after login (GB/T 22239).
HOTLINE_SESSION_IDLE_SECONDS = env_int("HOTLINE_SESSION_IDLE_SECONDS", 30 * 60)
HOTLINE_SESSION_ABSOLUTE_SECONDS = env_int("HOTLINE_SESSION_ABSOLUTE_SECONDS", 8 * 3600)
SESSION_COOKIE_SAMESITE = "Lax"
# Per deployment: staff must add a TOTP code from an authenticator app after the password.
HOTLINE_TOTP_REQUIRED = env_bool("HOTLINE_TOTP_REQUIRED", False)
OTP_TOTP_ISSUER = "12345热线"
CONTENT_SECURITY_POLICY = csp_policy()
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-free <meta>; kept default for forms.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("HOTLINE_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# How many reverse proxies (nginx) stand in front of the WSGI server and append the client's address to
# X-Forwarded-For: the login lockout and the rate limits read the client's address, not the proxy's (hotline.wsgi).
# 0 when nothing in front sets the header, which could then be forged.
HOTLINE_PROXIES = env_int("HOTLINE_PROXIES", 0)
if not 0 <= HOTLINE_PROXIES <= 5:
    raise ValueError(f"HOTLINE_PROXIES must be 0 to 5, got {HOTLINE_PROXIES}")

# Attachments (photos for on-site returns, reply evidence).
ATTACHMENT_MAX_BYTES = env_int("HOTLINE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"]
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Follow-up and appeals (Art. 17, 25; the measures set no length): call within N working days of resolution; a
# unit may appeal a dissatisfied rating within N working days of it.
FOLLOW_UP_WORKING_DAYS = env_int("HOTLINE_FOLLOW_UP_WORKING_DAYS", 2)
APPEAL_WINDOW_WORKING_DAYS = env_int("HOTLINE_APPEAL_WINDOW_WORKING_DAYS", 3)

# Timed sweeps: `hotline demo` runs them in a thread; production runs Celery beat (CELERY_ENABLED) or cron.
SWEEP_INTERVAL_SECONDS = env_int("HOTLINE_SWEEP_INTERVAL_SECONDS", 60)
# Art. 27: a 24-hour unit's roster for a month is due by 24:00 of this day of the month before (WAVE2 [P]).
HOTLINE_ROSTER_DUE_DAY = env_int("HOTLINE_ROSTER_DUE_DAY", 25)
CELERY_ENABLED = env_bool("CELERY_ENABLED", False)
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", env_str("REDIS_URL", "redis://127.0.0.1:6379/0"))
CELERY_TASK_ALWAYS_EAGER = not CELERY_ENABLED
CELERY_TIMEZONE = TIME_ZONE

# Caches: rate limits of the portal and Open311. One process (embedded) keeps them in memory; several processes
# share Redis (REDIS_URL), whose increments are atomic.
if env_str("REDIS_URL"):
    # Short time-outs: with Redis away a page degrades at once (web.views._hotspot_alerts) instead of hanging.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL"),
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Correct for the single-process embedded server; production sets REDIS_URL.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite builds the covering indexes without their INCLUDE columns (PostgreSQL's index-only scans need them).
    SILENCED_SYSTEM_CHECKS.append("models.W040")

# Citizen portal's human check: an arithmetic picture rendered locally.
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
CAPTCHA_MATH_CHALLENGE_OPERATOR = "×"
CAPTCHA_TIMEOUT = 10
# Large, upright, dark digits without crossing arcs: a sum a citizen reads at a glance (the default 22 px font on a
# 76×30 picture with arcs through it was hard to read); the dots still defeat naive OCR.
CAPTCHA_FONT_SIZE = 36
CAPTCHA_IMAGE_SIZE = (180, 60)
CAPTCHA_LETTER_ROTATION = (-8, 8)
CAPTCHA_FOREGROUND_COLOR = "#1f2933"
CAPTCHA_NOISE_FUNCTIONS = ("captcha.helpers.noise_dots",)
CAPTCHA_TEST_MODE = False

# Open311 GeoReport v2: the jurisdiction this server answers for.
OPEN311_JURISDICTION = env_str("HOTLINE_OPEN311_JURISDICTION", "shaoyang")

# Outbox SMS (STYLE 4, hotline.tickets.outbox): the city's gateway when enabled; otherwise only logged, without
# personal data.
SMS_ENABLED = env_bool("HOTLINE_SMS_ENABLED", False)
SMS_GATEWAY_URL = env_str("HOTLINE_SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env_str("HOTLINE_SMS_GATEWAY_TOKEN")

# Routing suggestions at or above this calibrated confidence are offered as one-click dispatch (hotline.intake).
ROUTING_AUTO_CONFIDENCE = float(env_str("HOTLINE_ROUTING_AUTO_CONFIDENCE", "0.85"))

# Monthly statistics and assessment (Art. 25, 26, 27; docs/statistics.md). The weight of 基本满意 in 满意率
# (1, 0.8 or 0 are the published choices), and what an appeal upheld under Art. 25 does to a rating: leave the
# denominator ("denominator") or count as not dissatisfied ("not_dissatisfied"). Red and black lists name this many.
STATS_BASIC_SATISFIED_WEIGHT = float(env_str("HOTLINE_STATS_BASIC_SATISFIED_WEIGHT", "1"))
STATS_APPEAL_READING = env_str("HOTLINE_STATS_APPEAL_READING", "denominator")
STATS_LIST_SIZE = env_int("HOTLINE_STATS_LIST_SIZE", 5)

# Exchanges with other platforms (Art. 7, 27; hotline.exchange): a status report to the provincial platform is late
# when delivered more than this many minutes after the transition; a sub-centre's push is timely within this many
# minutes of the change it reports (Art. 7 "实时"; both [P], docs/regulation.md).
EXCHANGE_REPORT_MINUTES = env_int("HOTLINE_EXCHANGE_REPORT_MINUTES", 30)
EXCHANGE_PUSH_MINUTES = env_int("HOTLINE_EXCHANGE_PUSH_MINUTES", 15)

# API tokens live this long (seconds).
API_TOKEN_TTL_SECONDS = env_int("HOTLINE_API_TOKEN_TTL_SECONDS", 12 * 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Citizen text reaches the logs; control characters are escaped so nobody can forge a log line.
    "filters": {"escape_controls": {"()": "hotline.privacy.logfilter.EscapeControlCharsFilter"}},
    # Every line starts with its moment and UTC offset (a drill or an incident is read across processes by time).
    "formatters": {"stamped": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s",
                               "datefmt": "%Y-%m-%dT%H:%M:%S%z"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["escape_controls"],
                             "formatter": "stamped"}},
    "root": {"handlers": ["console"], "level": env_str("HOTLINE_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Supervision (Art. 19, 24; docs/regulation.md interpretations): what the automatic triggers do ("open" a case, or
# "propose" one in the supervisor's queue), the warning colours (blue once this share of a window has passed, yellow
# on the due day, red overdue), and when a ticket joins the difficult-matter pool (approved returns or coordination
# reassignments, or reworks, at least this many). The city's name goes on the documents.
SUPERVISION_AUTO_MODE = env_str("HOTLINE_SUPERVISION_AUTO_MODE", "propose")
SUPERVISION_BLUE_FRACTION = float(env_str("HOTLINE_SUPERVISION_BLUE_FRACTION", "0.8"))
DIFFICULT_MATTER_PASSES = env_int("HOTLINE_DIFFICULT_MATTER_PASSES", 3)
DIFFICULT_MATTER_REWORKS = env_int("HOTLINE_DIFFICULT_MATTER_REWORKS", 3)
CITY_NAME = env_str("HOTLINE_CITY_NAME", "邵阳市")
