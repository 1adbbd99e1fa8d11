"""Gongkai settings: one module, every deployment knob read from the environment.

Defaults give the embedded profile (SQLite in WAL mode, local files, database task
queue) so clone → ``make run`` works. ``GONGKAI_PRODUCTION=true`` switches to the
hardened profile, which requires a real secret key and refuses demo accounts.
Every variable is listed with a safe example in ``.env.example``.
"""

from __future__ import annotations

import json as _json
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from gongkai.config.env import env_bool, env_int, env_list, env_networks, env_str
from gongkai.config.localkeys import local_keys
from gongkai.core.crypto import CryptoError, parse_key_spec

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(env_str("GONGKAI_VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite file, media, backups (embedded)

PRODUCTION = env_bool("GONGKAI_PRODUCTION", False)
# Off by default everywhere: users never see stack traces (set GONGKAI_DEBUG=true
# on a developer machine to get them).
DEBUG = env_bool("GONGKAI_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "生产模式（GONGKAI_PRODUCTION=true）下不得开启 GONGKAI_DEBUG。"
    )

# Outside production, keys not given in the environment come from var/keys.env,
# random and created on first start (mode 600; gongkai/config/localkeys.py).
# _DEV_SECRET is only used to keep reading a var/ written by earlier versions.
_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105  # development only; production requires its own key
_LOCAL_KEYS = (
    {}
    if PRODUCTION
    else local_keys(
        VAR_DIR, dev_secret=_DEV_SECRET, database=VAR_DIR / "gongkai.sqlite3"
    )
)
SECRET_KEY = env_str("GONGKAI_SECRET_KEY", _LOCAL_KEYS.get("GONGKAI_SECRET_KEY", ""))
if PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "生产模式需要设置 GONGKAI_SECRET_KEY（或 GONGKAI_SECRET_KEY_FILE），长度至少 50 个字符。"
    )

ALLOWED_HOSTS = env_list(
    "GONGKAI_ALLOWED_HOSTS",
    [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"],
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "生产模式需要设置 GONGKAI_ALLOWED_HOSTS（逗号分隔的域名）。"
    )
CSRF_TRUSTED_ORIGINS = env_list("GONGKAI_CSRF_TRUSTED_ORIGINS", [])
# Peers (their own address) that may read /metrics (gongkai/ops/middleware.py).
METRICS_ALLOWED = env_networks("GONGKAI_METRICS_ALLOWED", ["127.0.0.1/32", "::1/128"])
# Reverse proxies whose X-Forwarded-For / X-Real-IP is believed (CIDRs, comma-separated);
# from any other peer the client address is REMOTE_ADDR (gongkai.audit.middleware.client_ip).
GONGKAI_TRUSTED_PROXIES = env_networks("GONGKAI_TRUSTED_PROXIES", [])

# Demo accounts (created by `manage.py load_demo`) must not exist in production
# unless an operator says so explicitly: see gongkai.accounts.safety.
ALLOW_DEMO_ACCOUNTS = env_bool("GONGKAI_ALLOW_DEMO_ACCOUNTS", not PRODUCTION)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # 正文 rich-text editor; its assets are served from our static files (no CDN).
    "django_prose_editor",
    "gongkai.accounts",
    "gongkai.orgs",
    "gongkai.audit",
    "gongkai.backoffice",
    "gongkai.publishing",
    "gongkai.inforequests",
    "gongkai.demo",
    "gongkai.security",
    "gongkai.calendars",
    "gongkai.search",
    "gongkai.portal",
    "gongkai.appeals",
    "gongkai.reports",
    "gongkai.supervision",
    "gongkai.feedback",
    "gongkai.engagement",
    "gongkai.privacy",
    "gongkai.ops",
    "gongkai.inspection",
]

MIDDLEWARE = [
    # /healthz and /metrics first: probes reach a process on its own port (issue 23).
    "gongkai.ops.middleware.InternalEndpointsMiddleware",
    # Public reads to the PostgreSQL replica when DATABASE_REPLICA_URL is set.
    "gongkai.ops.replica.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gongkai.security.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongkai.security.middleware.PrivateCacheMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gongkai.accounts.middleware.AccountGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.audit.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "gongkai.config.urls"
WSGI_APPLICATION = "gongkai.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongkai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.backoffice.context.backoffice",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}")
try:
    _db = dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("GONGKAI_DB_CONN_MAX_AGE", 0)
    )
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL 无法识别：{exc}") from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue (busy timeout) instead of failing mid-transaction.
    _db["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif _db["ENGINE"] not in ("django.db.backends.postgresql",):
    raise ImproperlyConfigured(
        f"不支持的数据库：{_db['ENGINE']}。请使用 SQLite（默认）或 PostgreSQL。"
    )
# A persistent connection killed by a database restart is replaced before use
# (on PostgreSQL checked without a round trip: gongkai/ops/pgbackend).
_db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
# A PostgreSQL streaming replica for the public pages' reads (gongkai/ops/replica.py):
# writes, the back office and whoever has just written stay on the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
READ_REPLICA_ALIAS = ""
if DATABASE_REPLICA_URL:
    try:
        _replica = dj_database_url.parse(
            DATABASE_REPLICA_URL, conn_max_age=env_int("GONGKAI_DB_CONN_MAX_AGE", 0)
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL 无法识别：{exc}") from exc
    if _db["ENGINE"] != "django.db.backends.postgresql" or _replica["ENGINE"] != (
        "django.db.backends.postgresql"
    ):
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL 只能用于 PostgreSQL：主库（DATABASE_URL）与只读副本都须是 PostgreSQL。"
        )
    _replica["CONN_HEALTH_CHECKS"] = True
    # Tests run against the primary's test database (no second test database).
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    READ_REPLICA_ALIAS = "replica"
for _alias in DATABASES.values():
    if _alias["ENGINE"] == "django.db.backends.postgresql":
        _alias["ENGINE"] = "gongkai.ops.pgbackend"
DATABASE_ROUTERS = ["gongkai.ops.replica.ReplicaRouter"]
# After a POST (or any unsafe request) the browser reads on the primary this long.
REPLICA_PIN_SECONDS = env_int("GONGKAI_REPLICA_PIN_SECONDS", 15, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, tasks ---------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Auth ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "backoffice:dashboard"
LOGOUT_REDIRECT_URL = "login"
# 等保 password profile (gongkai/accounts/passwords.py); every number from the env.
PASSWORD_MIN_LENGTH = env_int("GONGKAI_PASSWORD_MIN_LENGTH", 10, minimum=8)
PASSWORD_MIN_CLASSES = env_int("GONGKAI_PASSWORD_MIN_CLASSES", 3, minimum=1)
PASSWORD_HISTORY = env_int("GONGKAI_PASSWORD_HISTORY", 5, minimum=0)
PASSWORD_MAX_AGE_DAYS = env_int(
    "GONGKAI_PASSWORD_MAX_AGE_DAYS", 90, minimum=0
)  # 0 = off
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "gongkai.accounts.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "gongkai.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "gongkai.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "gongkai.accounts.passwords.NumericPasswordValidator"},
    {
        "NAME": "gongkai.accounts.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CLASSES},
    },
    {
        "NAME": "gongkai.accounts.passwords.PasswordHistoryValidator",
        "OPTIONS": {"keep": PASSWORD_HISTORY},
    },
]
# Lockout after repeated failures, per account and per address (accounts/lockout.py).
AUTHENTICATION_BACKENDS = [
    "gongkai.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOCKOUT_ACCOUNT_ATTEMPTS = env_int("GONGKAI_LOCKOUT_ACCOUNT_ATTEMPTS", 5, minimum=1)
LOCKOUT_ADDRESS_ATTEMPTS = env_int("GONGKAI_LOCKOUT_ADDRESS_ATTEMPTS", 20, minimum=1)
LOCKOUT_MINUTES = env_int("GONGKAI_LOCKOUT_MINUTES", 30, minimum=1)
# TOTP second factor: always for the three administrator roles; for every staff
# member when GONGKAI_OTP_REQUIRED_FOR_ALL=true. Demo accounts are exempt while
# GONGKAI_ALLOW_DEMO_ACCOUNTS is true (docs/security.md).
OTP_REQUIRED_FOR_ALL = env_bool("GONGKAI_OTP_REQUIRED_FOR_ALL", False)
OTP_TOTP_ISSUER = env_str("GONGKAI_OTP_ISSUER", "Gongkai")
SESSION_COOKIE_AGE = env_int("GONGKAI_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: each request renews the 30 minutes
# Absolute lifetime from the sign-in, however active (issue 18, F14).
SESSION_ABSOLUTE_SECONDS = (
    env_int("GONGKAI_SESSION_ABSOLUTE_HOURS", 12, minimum=1) * 3600
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- I18N ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Dates on screens: 2026年12月7日 (gongkai/config/formats/zh_Hans/formats.py); templates
# write |date:"DATE_FORMAT", never a pattern of their own.
FORMAT_MODULE_PATH = ["gongkai.config.formats"]
# Django's own strings its zh_Hans catalogue lacks (the admin's "Model name", the
# add-user form's hint): translated in gongkai/locale, which comes before Django's.
LOCALE_PATHS = [BASE_DIR / "gongkai" / "locale"]

# --- Files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "gongkai" / "static"]
MEDIA_ROOT = VAR_DIR / "media"  # private: served only through permission checks
# Uploaded files are readable by the service account only (issue 18, F4).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Outside production serve static files straight from the source folders, so
# no collectstatic step is needed to run the embedded profile or the tests.
WHITENOISE_USE_FINDERS = not PRODUCTION
# Media on S3-compatible object storage (MinIO, Ceph RGW, a cloud's 对象存储) when a
# bucket is named (django-storages; docs/deploy.md). Personal files reach it
# encrypted (gongkai/security/files.py); `backup`/`restore` read and write it.
S3_BUCKET = env_str("GONGKAI_S3_BUCKET", "")
if S3_BUCKET:
    _media_storage: dict = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            # empty: AWS itself; else e.g. https://minio.internal:9000
            "endpoint_url": env_str("GONGKAI_S3_ENDPOINT", "") or None,
            "access_key": env_str("GONGKAI_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("GONGKAI_S3_SECRET_KEY", "") or None,
            "region_name": env_str("GONGKAI_S3_REGION", "") or None,
            # "path" for MinIO and most private stores, "virtual" for those that need it
            "addressing_style": env_str("GONGKAI_S3_ADDRESSING_STYLE", "") or None,
            # a folder inside the bucket: one bucket may hold several deployments
            "location": env_str("GONGKAI_S3_PREFIX", "").strip("/"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            # a stored name is never silently changed (encrypted files are bound to it)
            "file_overwrite": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security -----------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy, Permissions-Policy (gongkai/security/middleware.py).
CSP_POLICY = env_str("GONGKAI_CSP", "")  # empty = the built-in strict policy
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("GONGKAI_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("GONGKAI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True

# --- Logging ------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GONGKAI_LOG_LEVEL", "WARNING")},
}

# Field encryption of applicants' personal data: "id:base64key,…", first = current
# (rotate with `manage.py rotate_field_keys`). Cipher: aes256gcm (default) or sm4gcm.
FIELD_KEYS = env_str("GONGKAI_FIELD_KEYS", _LOCAL_KEYS.get("GONGKAI_FIELD_KEYS", ""))
if PRODUCTION and not FIELD_KEYS:
    raise ImproperlyConfigured(
        "生产模式需要设置字段加密密钥 GONGKAI_FIELD_KEYS（或 GONGKAI_FIELD_KEYS_FILE），"
        "格式“编号:Base64密钥”，第一个为当前密钥。"
    )
FIELD_CIPHER = env_str("GONGKAI_FIELD_CIPHER", "aes256gcm")
if FIELD_CIPHER not in ("aes256gcm", "sm4gcm"):
    raise ImproperlyConfigured("GONGKAI_FIELD_CIPHER 只能是 aes256gcm 或 sm4gcm。")
if PRODUCTION:
    # A placeholder or a truncated key would only fail at the first personal-data write.
    try:
        _field_keys, _ = parse_key_spec(FIELD_KEYS)
    except CryptoError as exc:
        raise ImproperlyConfigured(f"GONGKAI_FIELD_KEYS 配置错误：{exc}") from exc
    _size = 32 if FIELD_CIPHER == "aes256gcm" else 16
    for _id, _key in _field_keys.items():
        if len(_key) != _size:
            raise ImproperlyConfigured(
                f"GONGKAI_FIELD_KEYS 中的密钥“{_id}”长 {len(_key)} 字节，"
                f"{FIELD_CIPHER} 需要 {_size} 字节（manage.py generate_keys 生成）。"
            )

# Key of the audit log HMAC chain. Keep it out of the DB; production requires it.
AUDIT_HMAC_KEY = env_str("GONGKAI_AUDIT_KEY", _LOCAL_KEYS.get("GONGKAI_AUDIT_KEY", ""))
if PRODUCTION and (len(AUDIT_HMAC_KEY) < 32 or AUDIT_HMAC_KEY == SECRET_KEY):
    raise ImproperlyConfigured(
        "生产模式需要设置审计日志密钥 GONGKAI_AUDIT_KEY（或 GONGKAI_AUDIT_KEY_FILE），"
        "长度至少 32 个字符，且不同于 GONGKAI_SECRET_KEY。"
    )
# 网络安全法第二十一条: logs kept at least six months; audit_prune refuses less.
AUDIT_RETENTION_DAYS = env_int("GONGKAI_AUDIT_RETENTION_DAYS", 180, minimum=180)
# Shared upload validator (gongkai/security/uploads.py) and the optional ClamAV hook.
UPLOAD_MAX_MB = env_int("GONGKAI_UPLOAD_MAX_MB", 20, minimum=1)
# A scanned annual report waiting for the task worker: after its announced reading
# time plus these minutes the page says 识别超时 and offers 重试 (a worker not running).
REPORT_IMPORT_TIMEOUT_MINUTES = env_int(
    "GONGKAI_REPORT_IMPORT_TIMEOUT_MINUTES", 30, minimum=1
)
# Scan imports that ended (or waited) this long are deleted with their files, nightly
# (the prune_report_imports job).
REPORT_IMPORT_KEEP_DAYS = env_int("GONGKAI_REPORT_IMPORT_KEEP_DAYS", 30, minimum=1)
# A docx/xlsx/ofd/zip may expand to at most this much (zip bombs; issue 18, F13).
UPLOAD_MAX_EXPANDED_MB = env_int("GONGKAI_UPLOAD_MAX_EXPANDED_MB", 100, minimum=1)
CLAMD_SOCKET = env_str("GONGKAI_CLAMD_SOCKET", "")
CLAMD_REQUIRED = env_bool("GONGKAI_CLAMD_REQUIRED", False)
# E-mail outbox (gongkai/security/mail.py): retries with back-off, nothing lost.
MAIL_MAX_ATTEMPTS = env_int("GONGKAI_MAIL_MAX_ATTEMPTS", 8, minimum=1)
# Empty (as in .env.example) means the default, never the working directory.
BACKUP_DIR = Path(env_str("GONGKAI_BACKUP_DIR", "") or VAR_DIR / "backups")
# Key of the search digests of encrypted fields; empty = derived from the oldest
# field key (see gongkai/security/keys.py). Pin it before removing that key.
FIELD_INDEX_KEY = env_str("GONGKAI_FIELD_INDEX_KEY", "")

EMAIL_BACKEND = env_str(
    "GONGKAI_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("GONGKAI_FROM_EMAIL", "gongkai@localhost")
# The SMTP server (used when GONGKAI_EMAIL_BACKEND is the smtp backend).
EMAIL_HOST = env_str("GONGKAI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("GONGKAI_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("GONGKAI_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("GONGKAI_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("GONGKAI_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("GONGKAI_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("GONGKAI_EMAIL_TIMEOUT", 20, minimum=1)

# --- Applications ---------------------------------------------------------------
# 条例 does not say who signs the reply; by default the office head (负责人) approves
# before a reply is sent. Set false where the officer may send it.
REPLY_NEEDS_APPROVAL = env_bool("GONGKAI_REPLY_NEEDS_APPROVAL", True)
# The applicant's side (issue 16): links in messages start with the public address;
# a download link on the status page works once and for this many minutes.
PUBLIC_URL = env_str("GONGKAI_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
DOWNLOAD_LINK_MINUTES = env_int("GONGKAI_DOWNLOAD_LINK_MINUTES", 30, minimum=1)
# 我的申请: a sign-in code lasts this many minutes; one address (e-mail or mobile)
# gets at most this many codes an hour, one network address this many sends.
APPLICANT_CODE_MINUTES = env_int("GONGKAI_APPLICANT_CODE_MINUTES", 10, minimum=1)
APPLICANT_CODES_PER_HOUR = env_int("GONGKAI_APPLICANT_CODES_PER_HOUR", 5, minimum=1)
APPLICANT_CODE_SENDS_PER_HOUR = env_int(
    "GONGKAI_APPLICANT_CODE_SENDS_PER_HOUR", 20, minimum=1
)
# 我的申请 through a province's 统一身份认证 (OpenID Connect; gongkai/portal/oidc.py).
# Empty authorization endpoint: only the one-time codes.
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("GONGKAI_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("GONGKAI_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("GONGKAI_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("GONGKAI_OIDC_JWKS_ENDPOINT", "") or None
OIDC_RP_CLIENT_ID = env_str("GONGKAI_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("GONGKAI_OIDC_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = env_str("GONGKAI_OIDC_SIGN_ALGO", "HS256")
OIDC_TIMEOUT = 10
OIDC_NAME = env_str("GONGKAI_OIDC_NAME", "统一身份认证")
# The claim carrying a real-name-verified 居民身份证号码 (with "<claim>_verified": true);
# empty: identity numbers from the provider are not used (docs/applications.md §10).
OIDC_ID_NUMBER_CLAIM = env_str("GONGKAI_OIDC_ID_NUMBER_CLAIM", "")
# Messages to applicants (outbox): tries before a message is marked failed.
NOTICE_MAX_ATTEMPTS = env_int("GONGKAI_NOTICE_MAX_ATTEMPTS", 8, minimum=1)

# --- Public portal --------------------------------------------------------------
PORTAL_ICP = env_str("GONGKAI_PORTAL_ICP", "")  # 备案号 shown in the footer
# Anonymous portal pages are cached whole (gongkai/portal/cache.py); 0 turns it off.
PORTAL_CACHE_SECONDS = env_int("GONGKAI_PORTAL_CACHE_SECONDS", 300, minimum=0)
PORTAL_APPLICATIONS_PER_HOUR = env_int(
    "GONGKAI_PORTAL_APPLICATIONS_PER_HOUR", 5, minimum=1
)
PORTAL_STATUS_LOOKUPS_PER_MINUTE = env_int(
    "GONGKAI_PORTAL_STATUS_LOOKUPS_PER_MINUTE", 10, minimum=1
)
PORTAL_SEARCHES_PER_MINUTE = env_int(
    "GONGKAI_PORTAL_SEARCHES_PER_MINUTE", 60, minimum=1
)
# 满意度 answers to one survey, 有用/没用 votes on one item, from one address (on
# top of one per browser, by signed cookie; issue 18, F5). More than 1 so that
# an office behind one NAT address can still answer.
PORTAL_VOTES_PER_ADDRESS = env_int("GONGKAI_PORTAL_VOTES_PER_ADDRESS", 5, minimum=1)

# --- 政策解读 and 政民互动 (issue 21; gongkai/publishing, gongkai/engagement) -----------
# A 解读 is timely published with its document or within these working days.
INTERPRETATION_WORKING_DAYS = env_int(
    "GONGKAI_INTERPRETATION_WORKING_DAYS", 3, minimum=0
)
# 重大行政决策 drafts: the shortest 意见征集 period (days, both ends counted).
CONSULTATION_MIN_DAYS_MAJOR = env_int(
    "GONGKAI_CONSULTATION_MIN_DAYS_MAJOR", 30, minimum=1
)
# The 采纳情况 is due this many working days after the period closes.
CONSULTATION_FEEDBACK_WORKING_DAYS = env_int(
    "GONGKAI_CONSULTATION_FEEDBACK_WORKING_DAYS", 20, minimum=1
)
# A 留言 is answered within these working days.
MESSAGE_REPLY_WORKING_DAYS = env_int(
    "GONGKAI_MESSAGE_REPLY_WORKING_DAYS", 10, minimum=1
)
# 留言 and 意见 from one address per hour.
ENGAGEMENT_POSTS_PER_HOUR = env_int("GONGKAI_ENGAGEMENT_POSTS_PER_HOUR", 10, minimum=1)

# --- Publishing (主动公开; owned by gongkai/publishing) -------------------------
# 索引号 pattern; tokens {credit_code} {org_code} {division_code} {year} {month} {serial}.
GONGKAI_PUBLICATION_INDEX_PATTERN = env_str(
    "GONGKAI_PUBLICATION_INDEX_PATTERN", "{credit_code}/{year}-{serial:05d}"
)
GONGKAI_PUBLISHING_MAX_UPLOAD_MB = env_int(
    "GONGKAI_PUBLISHING_MAX_UPLOAD_MB", 20, minimum=1
)
# WeChat official account (公众号) adapter; empty APPID = channel not configured.
GONGKAI_WECHAT_API_BASE = env_str(
    "GONGKAI_WECHAT_API_BASE", "https://api.weixin.qq.com"
)
GONGKAI_WECHAT_APPID = env_str("GONGKAI_WECHAT_APPID", "")
GONGKAI_WECHAT_SECRET = env_str("GONGKAI_WECHAT_SECRET", "")
GONGKAI_WECHAT_THUMB_MEDIA_ID = env_str("GONGKAI_WECHAT_THUMB_MEDIA_ID", "")

# --- Scale profile (docs/deploy.md) -------------------------------------------
# GONGKAI_TASKS_BACKEND=rq keeps the task queue in Redis (django-tasks-rq on rq)
# instead of the database; workers then run
# `manage.py rqworker --job-class django_tasks_rq.Job default`. Needs REDIS_URL.
# gongkai.synth provides `manage.py synth_load` (synthetic data for bench/).
INSTALLED_APPS += ["gongkai.synth"]
TASKS_BACKEND = env_str("GONGKAI_TASKS_BACKEND", "db")
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured(
            "GONGKAI_TASKS_BACKEND=rq 需要同时设置 REDIS_URL（例如 redis://127.0.0.1:6379/0）。"
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # The rq queue cannot be key-prefixed (its registries and scheduler keys are
    # named by queue, not by deployment), so each deployment gives it a Redis
    # database of its own; gongkai/ops/apps.py refuses to start on one that another
    # deployment already uses (issue 23: a job ran against the wrong database).
    RQ_REDIS_URL = env_str("GONGKAI_RQ_REDIS_URL", "") or REDIS_URL
    RQ_QUEUES = {
        "default": {
            "URL": RQ_REDIS_URL,
            "DEFAULT_TIMEOUT": env_int("GONGKAI_TASK_TIMEOUT", 600, minimum=1),
        }
    }
    # Without QUEUES the backend serves every queue of RQ_QUEUES.
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
elif TASKS_BACKEND != "db":
    raise ImproperlyConfigured("GONGKAI_TASKS_BACKEND 只能是 db（默认）或 rq。")
# The deployment's name in a shared Redis: one Redis often serves several
# deployments (staging and production, test runs). Cache, sessions and rate limits
# (all in the cache) are prefixed with it; the rq queue claims its own database.
REDIS_PREFIX = (
    env_str("GONGKAI_CACHE_PREFIX", "")
    or f"gk:{Path(str(DATABASES['default']['NAME'])).name}"
)
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = REDIS_PREFIX

# --- Supervision ----------------------------------------------------------------
# Overdue items go to the unit's office head at once and to the supervisors above it
# once overdue by more than this many working days (local practice; not in the 条例).
ESCALATE_AFTER_WORKING_DAYS = env_int(
    "GONGKAI_ESCALATE_AFTER_WORKING_DAYS", 3, minimum=0
)

# --- Reminders --------------------------------------------------------------------
# SMS gateway adapter: a class with send(phone, text). The default sends nothing
# (e-mail only); deployments point this at their gateway's adapter.
SMS_BACKEND = env_str("GONGKAI_SMS_BACKEND", "gongkai.inforequests.reminders.NoSms")
# gongkai.inforequests.sms.HttpSmsGateway posts JSON here (see docs/deploy.md).
SMS_GATEWAY_URL = env_str("GONGKAI_SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env_str("GONGKAI_SMS_GATEWAY_TOKEN", "")

# --- Self-inspection (issue 26, docs/inspection.md) -------------------------------
# The public address of the site, e.g. https://gk.example.gov.cn: the home page and the
# site's own links are then checked over HTTP like an inspector would; empty: checked
# in-process (no network).
INSPECTION_SITE_URL = env_str("GONGKAI_INSPECTION_SITE_URL", "")


def _json_setting(name: str) -> dict:
    try:
        value = _json.loads(env_str(name, "") or "{}")
    except ValueError as exc:
        raise ImproperlyConfigured(f"配置项 {name} 不是有效的 JSON：{exc}") from exc
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"配置项 {name} 应为 JSON 对象（{{...}}）。")
    return value


# Another indicators file (TOML, same layout as gongkai/core/inspection/indicators.toml).
INSPECTION_INDICATORS_PATH = env_str("GONGKAI_INSPECTION_INDICATORS", "")
# A province's tighter thresholds, JSON: {"blank_column": {"threshold": 0}}.
INSPECTION_OVERRIDES = _json_setting("GONGKAI_INSPECTION_OVERRIDES")
# A national wording dictionary replacing the shipped one (same line format).
WORDING_DICTIONARY_PATH = env_str("GONGKAI_WORDING_DICTIONARY", "")
# The link checker: concurrency, per_host, per_host_delay, timeouts, max_bytes (JSON).
INSPECTION_LINKS = _json_setting("GONGKAI_INSPECTION_LINKS")
# The check of unanswered 留言 (dotted path; the platform's own 留言 by default,
# another 留言 system's adapter instead, or "none": not checked).
INSPECTION_INTERACTION_CHECK = env_str(
    "GONGKAI_INSPECTION_INTERACTION_CHECK",
    "gongkai.engagement.selectors.unanswered_messages",
)
if INSPECTION_INTERACTION_CHECK == "none":
    INSPECTION_INTERACTION_CHECK = ""
