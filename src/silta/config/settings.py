"""Silta settings, read once from the environment.

Every setting is defined here with a safe default. The embedded default is an SQLite
file under ``var/``; ``DATABASE_URL`` points Silta at PostgreSQL. ``SILTA_MODE=production``
turns DEBUG off and requires a real secret key and allowed hosts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("SILTA_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("SILTA_VAR_DIR", BASE_DIR / "var")).resolve()

MODE = os.environ.get("SILTA_MODE", "development").strip().lower()
if MODE not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"SILTA_MODE must be 'development', 'production' or 'test', not {MODE!r}."
    )
PRODUCTION = MODE == "production"

_DEV_SECRET = "silta-development-only-secret-key-not-for-production-use-0123456789"  # noqa: S105 - refused in production below
SECRET_KEY = os.environ.get("SILTA_SECRET_KEY", "")
if PRODUCTION:
    if len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET:
        raise ImproperlyConfigured(
            "SILTA_SECRET_KEY must be set to a random value of at least 50 characters "
            "in production mode (SILTA_MODE=production)."
        )
elif not SECRET_KEY:
    SECRET_KEY = _DEV_SECRET

DEBUG = not PRODUCTION and os.environ.get("SILTA_DEBUG", "1") == "1"

_hosts = [h.strip() for h in os.environ.get("SILTA_ALLOWED_HOSTS", "").split(",") if h.strip()]
if PRODUCTION and not _hosts:
    raise ImproperlyConfigured(
        "SILTA_ALLOWED_HOSTS must list the host names Silta is served on "
        "(comma separated) in production mode."
    )
ALLOWED_HOSTS = _hosts or ["127.0.0.1", "localhost", "testserver"]

# Synthetic personal identity codes (individual numbers 900-999) are accepted from
# user input only where the data are synthetic: on by default outside production.
SILTA_ALLOW_SYNTHETIC_IDS = (
    os.environ.get("SILTA_ALLOW_SYNTHETIC_IDS", "0" if PRODUCTION else "1") == "1"
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "template_partials",
    "ninja",
    "silta.core",
    "silta.places",
    "silta.accounts",
    "silta.audit",
    "silta.clients",
    "silta.funding",
    "silta.catalogue",
    "silta.casework",
    "silta.privacy",
    "silta.rehab",
    "silta.governance",
    "silta.initiatives",
    "silta.ips",
    "silta.groups",
    "silta.workability",  # the work ability path (issue 16)
    "silta.integration",
    "silta.reporting",
    # Above the domain apps: the client's rights over every app's records.
    "silta.rights",
    "silta.synth",
    "silta.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "silta.web.middleware.NullCharacterGuardMiddleware",
    "silta.web.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "silta.accounts.middleware.LoginRequiredExceptApiMiddleware",
    "silta.accounts.middleware.UserLanguageMiddleware",
    "silta.accounts.middleware.TwoFactorRequiredMiddleware",
    "silta.audit.middleware.ClientAccessGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # no identity code in a page's address (issue 18)
    "silta.web.middleware.IdentityCodeInAddressMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "silta.config.urls"
WSGI_APPLICATION = "silta.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "silta.web.context.navigation",
            ],
        },
    }
]


DEFAULT_PG_OPTIONS = "-c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"


def _database_from_env() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "silta.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    import dj_database_url

    try:
        config = dict(dj_database_url.parse(url, conn_max_age=60))
    except Exception as exc:  # the library raises several types for bad URLs
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a valid database URL ({exc}). "
            "Example: postgres://user:password@127.0.0.1:5432/silta"
        ) from None
    engine = str(config.get("ENGINE", ""))
    if engine not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must point at PostgreSQL or SQLite, not {url.split(':', 1)[0]!r}."
        )
    if engine.endswith("postgresql"):
        if not config.get("NAME"):
            raise ImproperlyConfigured("DATABASE_URL must name a database, e.g. .../silta")
        # Planner settings for many short queries at once over data held in memory
        # (docs/OPERATIONS.md): no parallel workers, which take cores from the other
        # requests, and random reads priced as on SSD, not a spinning disk. With the
        # defaults, PostgreSQL chose whole-table scans over fitting indexes.
        planner = os.environ.get("SILTA_PG_OPTIONS", DEFAULT_PG_OPTIONS).strip()
        options = dict(cast("dict[str, object]", config.get("OPTIONS") or {}))
        given = str(options.get("options", ""))
        if planner or given:
            options["options"] = f"{given} {planner}".strip()
        config["OPTIONS"] = options
    return config


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses further attempts for a while (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SILTA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("SILTA_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Also a limit per address over all usernames (silta.accounts.lockout, docs/adr/0017).
AXES_HANDLER = "silta.accounts.lockout.SiltaAxesHandler"
AXES_LOCKOUT_CALLABLE = "silta.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "silta.accounts.lockout.client_ip"
SILTA_LOGIN_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("SILTA_LOGIN_ADDRESS_FAILURE_LIMIT", str(4 * AXES_FAILURE_LIMIT))
)
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Staff whose roles see person-level data confirm a TOTP code after the password;
# required in production mode, optional elsewhere.
SILTA_REQUIRE_2FA = os.environ.get("SILTA_REQUIRE_2FA", "1" if PRODUCTION else "0") == "1"
OTP_TOTP_ISSUER = "Silta"
# A second factor is enrolled only with a one-time activation code (docs/adr/0017).
SILTA_ACTIVATION_CODE_HOURS = int(os.environ.get("SILTA_ACTIVATION_CODE_HOURS", "72"))
# Mail to users (a reset of their second factor): SMTP in production, console elsewhere.
EMAIL_BACKEND = os.environ.get(
    "SILTA_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("SILTA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SILTA_EMAIL_PORT", "25"))
EMAIL_USE_TLS = os.environ.get("SILTA_EMAIL_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("SILTA_EMAIL_FROM", "silta@localhost")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

SESSION_COOKIE_HTTPONLY = True
# Sessions end after this many seconds without a request (sliding expiry).
SESSION_COOKIE_AGE = int(os.environ.get("SILTA_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# No inline scripts or styles anywhere; every asset comes from Silta itself.
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
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SILTA_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("SILTA_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# How long audit rows are kept (Kanta practice: 12 years).
SILTA_AUDIT_RETENTION_YEARS = int(os.environ.get("SILTA_AUDIT_RETENTION_YEARS", "12"))
# The key of the audit hash chains and checkpoints, kept outside the database
# (docs/adr/0016-audit-integrity.md): SILTA_AUDIT_KEYS (ID:HEX,...) or a key file; the
# demo creates var/audit/keys. Signed checkpoints of each chain head go, one JSON line
# each, to SILTA_AUDIT_CHECKPOINT_DIR; copy them off the server (docs/OPERATIONS.md).
SILTA_AUDIT_KEYS = os.environ.get("SILTA_AUDIT_KEYS", "")
SILTA_AUDIT_KEY_FILE = os.environ.get("SILTA_AUDIT_KEY_FILE", str(VAR_DIR / "audit" / "keys"))
SILTA_AUDIT_CHECKPOINT_DIR = os.environ.get(
    "SILTA_AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit" / "checkpoints")
)
# Retention of client records before erasure/anonymisation (docs/adr/0012): social
# welfare case records (703/2023 annex, services for people of working age: 10 years
# after the case closed), accounting records (Accounting Act 2:10: 6 years from the end
# of the year), and the birth days whose records are archived permanently.
SILTA_RETENTION_CASE_YEARS = int(os.environ.get("SILTA_RETENTION_CASE_YEARS", "10"))
SILTA_RETENTION_ACCOUNTING_YEARS = int(os.environ.get("SILTA_RETENTION_ACCOUNTING_YEARS", "6"))
SILTA_RETENTION_PERMANENT_BIRTH_DAYS = tuple(
    int(d)
    for d in os.environ.get("SILTA_RETENTION_PERMANENT_BIRTH_DAYS", "8,18,28").split(",")
    if d.strip()
)
SILTA_PAGE_SIZE = 25

# An operator's own funding rules file (TOML, see silta/engine/rules/default.toml);
# empty means the rules shipped with Silta.
SILTA_FUNDING_RULES = os.environ.get("SILTA_FUNDING_RULES", "")
# Work ability network: client cases on one meeting's agenda at most (issue 6).
SILTA_NETWORK_MAX_CASES_PER_MEETING = int(
    os.environ.get("SILTA_NETWORK_MAX_CASES_PER_MEETING", "4")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SILTA_LOG_LEVEL", "WARNING")},
}

if MODE == "test":
    # Fast hashing for the test suite only.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Single sign-on and machine clients (issue 19, docs/adr/0018) -------------------
INSTALLED_APPS += ["oauth2_provider", "silta.integrations", "silta.sso"]
AUTHENTICATION_BACKENDS += ["silta.sso.backends.SiltaOIDCBackend"]
# Machine clients: OAuth2 client credentials (django-oauth-toolkit). Tokens are short
# lived; a secret is stored hashed and shown once.
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("SILTA_API_TOKEN_SECONDS", "600")),
    "SCOPES": {"api": "Use the Silta API within the client's permissions"},
    "DEFAULT_SCOPES": ["api"],
    "PKCE_REQUIRED": True,
    # the OAuth 2.0 Security BCP (RFC 9700) throughout: tokens stored hashed, no
    # implicit or password grant, no tokens in the query string, https redirects only
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
# Staff sign-in through the organisation's OpenID provider (mozilla-django-oidc). A
# JSON file names the providers and maps their groups to Silta memberships
# (docs/OPERATIONS.md "Single sign-on"); empty turns single sign-on off.
SILTA_SSO_CONFIG = os.environ.get("SILTA_SSO_CONFIG", "").strip()
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = int(os.environ.get("SILTA_SSO_TIMEOUT_SECONDS", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
OIDC_STORE_ID_TOKEN = False
OIDC_STORE_ACCESS_TOKEN = False
OIDC_VERIFY_SSL = os.environ.get("SILTA_SSO_VERIFY_TLS", "1") == "1"
