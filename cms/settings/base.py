"""Settings shared by every environment. Values that differ per machine come from the environment."""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Admin login protection (docs/security.md). First, so that its German templates and translations for wagtail-2fa
    # and django-otp win over theirs.
    "cms.security",
    "wagtail_2fa",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "cms.media",
    "cms.api",
    "cms.opendata",
    "cms.changefeed",
    "cms.webhooks",
    "cms.demo",
    "sites",
    "regions.fields_of_action",
    "regions.projects",
    "regions.team",
    "regions.programme",
    "regions.calls",
    "regions.ideas",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "sites.apps.MunicipalityUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_headless_preview",
    "grapple",
    "graphene_django",
    "modelcluster",
    "taggit",
    "corsheaders",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # CORS first, so that every answer of the API and open data (errors included) carries its headers (docs/cors.md).
    "corsheaders.middleware.CorsMiddleware",
    "cms.api.origins.RefusedRequestStatusMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cms.security.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above everything that may touch the database (sessions, users, two-factor login, login throttling), so that an
    # outage anywhere below is answered 503, not 500 (cms.availability).
    "cms.availability.ServiceAvailabilityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.security.two_factor.TwoFactorMiddleware",
    "sites.middleware.MunicipalityScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees the login views' responses and can replace them with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite is the embedded default so that a newcomer needs no database server;
# production and CI point DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Outages (cms.availability; docs/operations.md "Outages") ---
# Retry-After of the 503 answered while the database (or the cache, where it cannot be skipped) is unavailable.
SERVICE_UNAVAILABLE_RETRY_AFTER = int(os.environ.get("SERVICE_UNAVAILABLE_RETRY_AFTER", "30"))
# An unreachable database host holds a worker at most this long per connection attempt (libpq counts at least 2 s).
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
# A persistent connection that an outage broke is replaced at its next request instead of failing it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Redis: the longest a connection attempt or a command may take, and how long the cache is skipped after a failure.
CACHE_SOCKET_TIMEOUT = float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.5"))
CACHE_RETRY_INTERVAL = float(os.environ.get("CACHE_RETRY_INTERVAL", "5"))

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cms.availability.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": CACHE_SOCKET_TIMEOUT, "socket_timeout": CACHE_SOCKET_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Smart-City-CMS"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILIMAGES_IMAGE_MODEL = "media.CustomImage"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Every rendition the API may produce is listed here, so that a client cannot
# make the server render arbitrary sizes.
ALLOWED_IMAGE_FILTERS = [
    "original",
    "width-320",
    "width-640",
    "width-960",
    "width-1280",
    "width-1920",
    "fill-320x320",
    "fill-640x360",
    "fill-1280x720",
    "max-1200x1200",
    "format-webp",
]

GRAPPLE = {
    "APPS": {
        "media": "",
        "sites": "",
        "fields_of_action": "",
        "projects": "",
        "team": "",
        "programme": "",
        "calls": "",
        "ideas": "",
    },
    "PAGE_INTERFACE": "cms.api.interfaces.PageInterface",
    "ALLOWED_IMAGE_FILTERS": ALLOWED_IMAGE_FILTERS,
    "EXPOSE_GRAPHIQL": False,
    "PAGE_SIZE": 20,
    "MAX_PAGE_SIZE": 100,
}

GRAPHENE = {
    "SCHEMA": "cms.api.schema.schema",
    # The last runs first: the origin policy refuses a mutation or preview token before anything resolves.
    "MIDDLEWARE": ["cms.api.middleware.PublicContentMiddleware", "cms.api.origins.OriginPolicyMiddleware"],
    "ATOMIC_MUTATIONS": True,
}

# --- CORS (django-cors-headers; docs/cors.md) ---
# Public reads of the API and open data may come from any origin, never with credentials (no cookies, no
# Access-Control-Allow-Credentials). Which origins may run mutations or open previews is decided per municipality
# by cms.api.origins, not here. The admin and everything else send no CORS headers.
CORS_URLS_REGEX = r"^/(graphql|opendata)/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "POST", "OPTIONS"]
# What fetch(), Apollo Client and conditional requests for open data send beyond the CORS-safelisted headers.
CORS_ALLOW_HEADERS = [
    "accept",
    "content-type",
    "if-modified-since",
    "if-none-match",
    "apollo-require-preflight",
    "apollographql-client-name",
    "apollographql-client-version",
    "x-apollo-operation-name",
    "x-requested-with",
]
CORS_EXPOSE_HEADERS = ["ETag", "Link", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = int(os.environ.get("CORS_PREFLIGHT_MAX_AGE", "86400"))

# --- Limits of the public GraphQL API (cms/api/validation.py, cms/api/cost.py; docs/api-limits.md) ---
# A document is refused before it runs when it is longer than GRAPHQL_MAX_QUERY_LENGTH characters, has more than
# GRAPHQL_MAX_TOKENS tokens, nests fields deeper than GRAPHQL_MAX_DEPTH or costs more than GRAPHQL_MAX_COST. Length
# and tokens bound the time spent parsing and validating a document (under 50 ms, tests/test_query_cost.py); the cost
# bounds what a query may ask the server to do.
GRAPHQL_MAX_QUERY_LENGTH = int(os.environ.get("GRAPHQL_MAX_QUERY_LENGTH", "16000"))
GRAPHQL_MAX_TOKENS = int(os.environ.get("GRAPHQL_MAX_TOKENS", "1000"))
GRAPHQL_MAX_DEPTH = int(os.environ.get("GRAPHQL_MAX_DEPTH", "12"))
GRAPHQL_MAX_COST = int(os.environ.get("GRAPHQL_MAX_COST", "70000"))
# Every list a client can make long takes `limit` (this default, at most the maximum) and `offset`.
GRAPHQL_MAX_PAGE_SIZE = int(os.environ.get("GRAPHQL_MAX_PAGE_SIZE", "100"))
GRAPHQL_DEFAULT_PAGE_SIZE = int(os.environ.get("GRAPHQL_DEFAULT_PAGE_SIZE", "10"))
# Work of graphql-core's check that fields of the same name can be merged, which grows with the square of such fields.
GRAPHQL_MAX_FIELD_COMPARISONS = int(os.environ.get("GRAPHQL_MAX_FIELD_COMPARISONS", "5000"))
# The second line: one SQL statement of the API may take this long (0 turns it off).
GRAPHQL_STATEMENT_TIMEOUT_MS = int(os.environ.get("GRAPHQL_STATEMENT_TIMEOUT_MS", "5000"))
# `search(query:)`: the database backend builds one condition per word.
GRAPHQL_SEARCH_MAX_LENGTH = int(os.environ.get("GRAPHQL_SEARCH_MAX_LENGTH", "200"))
GRAPHQL_SEARCH_MAX_WORDS = int(os.environ.get("GRAPHQL_SEARCH_MAX_WORDS", "12"))
GRAPHIQL_ENABLED = env_bool("GRAPHIQL_ENABLED", False)

# --- Load of the public GraphQL API over time (cms/api/throttle.py; docs/api-limits.md, "Load") ---
# Each client (its address behind TRUSTED_PROXY_COUNT proxies; an IPv6 client by its /64 network) may spend
# GRAPHQL_CLIENT_COST_BUDGET cost units per window of GRAPHQL_CLIENT_BUDGET_WINDOW seconds, then gets 429 until the
# window ends (0 turns the budget off). A frontend that renders on a server sends its visitors' queries from its own
# address: list its networks in GRAPHQL_BUDGET_EXEMPT_NETWORKS (comma-separated, such as 10.0.3.0/24).
GRAPHQL_CLIENT_COST_BUDGET = int(os.environ.get("GRAPHQL_CLIENT_COST_BUDGET", "1000000"))
GRAPHQL_CLIENT_BUDGET_WINDOW = int(os.environ.get("GRAPHQL_CLIENT_BUDGET_WINDOW", "60"))
# A network that is not one stops the start here, not a request later.
GRAPHQL_BUDGET_EXEMPT_NETWORKS = [
    ipaddress.ip_network(network, strict=False) for network in env_list("GRAPHQL_BUDGET_EXEMPT_NETWORKS")
]
# Operations that cost at least GRAPHQL_HEAVY_COST run at most GRAPHQL_HEAVY_CONCURRENCY at a time on the whole
# instance (counted in the shared cache); another one is answered 503 with Retry-After at once, so that heavy queries,
# from however many clients, never take every worker and CPU from the small ones. About half the app servers' CPUs;
# 0 turns it off. A slot whose worker died frees itself after GRAPHQL_HEAVY_SLOT_SECONDS (the longest a request runs).
GRAPHQL_HEAVY_COST = int(os.environ.get("GRAPHQL_HEAVY_COST", "20000"))
GRAPHQL_HEAVY_CONCURRENCY = int(os.environ.get("GRAPHQL_HEAVY_CONCURRENCY", "1"))
GRAPHQL_HEAVY_SLOT_SECONDS = int(os.environ.get("GRAPHQL_HEAVY_SLOT_SECONDS", "30"))

# --- HTTP input of the GraphQL API (cms/api/views.py, docs/api.md "Errors") ---
# A larger request body is refused with 413 (a larger GET query string with 414) before it is read. The largest
# legitimate request, an idea submission with a 4,000-character description, stays under 64 KB even with every
# character JSON-escaped.
GRAPHQL_MAX_BODY_BYTES = int(os.environ.get("GRAPHQL_MAX_BODY_BYTES", str(128 * 1024)))

WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": {"default": os.environ.get("PREVIEW_DEFAULT_CLIENT_URL", "http://localhost:3000/preview")},
    "SERVE_BASE_URL": None,
    "REDIRECT_ON_PREVIEW": False,
    "ENFORCE_TRAILING_SLASH": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The number of reverse proxies in front of this instance that append the client's address to X-Forwarded-For: every
# limit that counts per client (the API's budget, idea submissions, login throttling) counts the address the outermost
# trusted proxy saw (cms.security.addresses). 0: the address of the connection itself.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# How long a headless preview link stays valid, in seconds.
PREVIEW_TOKEN_MAX_AGE = int(os.environ.get("PREVIEW_TOKEN_MAX_AGE", "3600"))

# Citizens' ideas (regions.ideas): abuse limits, confirmation and retention.
IDEA_RATE_LIMIT_PER_ADDRESS = int(os.environ.get("IDEA_RATE_LIMIT_PER_ADDRESS", "20"))
IDEA_RATE_LIMIT_PER_EMAIL = int(os.environ.get("IDEA_RATE_LIMIT_PER_EMAIL", "5"))
IDEA_RATE_LIMIT_WINDOW = int(os.environ.get("IDEA_RATE_LIMIT_WINDOW", "3600"))
IDEA_CONFIRMATION_MAX_AGE = int(os.environ.get("IDEA_CONFIRMATION_MAX_AGE", str(7 * 24 * 3600)))
IDEA_RETENTION_DAYS = int(os.environ.get("IDEA_RETENTION_DAYS", "180"))

# ---------------------------------------------------------------------------------------------------------------------
# Open data (cms.opendata): DCAT-AP.de catalogues and bulk exports under /opendata/.
# Dataset IRIs are built from this base URL, so it must stay the same for as long as harvesters know the datasets.
OPENDATA_BASE_URL = os.environ.get("OPENDATA_BASE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")
# Datasets per catalogue page (hydra:PagedCollection); harvesters follow hydra:next.
OPENDATA_CATALOG_PAGE_SIZE = int(os.environ.get("OPENDATA_CATALOG_PAGE_SIZE", "50"))
# Publisher of the instance-wide catalogue; each municipality publishes its own catalogue and datasets.
OPENDATA_PUBLISHER_NAME = os.environ.get("OPENDATA_PUBLISHER_NAME", "Modellprojekte Smart Cities – Redaktionssystem")

# Publish webhooks (cms.webhooks): retry schedule of the outbox worker and which targets are allowed.
WEBHOOK_BACKOFF_BASE_SECONDS = int(os.environ.get("WEBHOOK_BACKOFF_BASE_SECONDS", "30"))
WEBHOOK_BACKOFF_MAX_SECONDS = int(os.environ.get("WEBHOOK_BACKOFF_MAX_SECONDS", "3600"))
WEBHOOK_MAX_AGE_HOURS = int(os.environ.get("WEBHOOK_MAX_AGE_HOURS", "72"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)

# --- Change feed (cms.changefeed) ---
# Events older than this many days are removed by `manage.py prune_changefeed`; cursors from before
# the pruned range are rejected as expired, and consumers start over from `changeSnapshot`.
CHANGEFEED_RETENTION_DAYS = int(os.environ.get("CHANGEFEED_RETENTION_DAYS", "90"))

# --- Admin login protection, two-factor login and headers (cms.security; docs/security.md) ---
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out account or address before any password is checked; needs the request (every login form
    # here passes it to authenticate()).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins count per account (from any address) and per address (across accounts), each with its own limit,
# within the cool-off; the address is the one cms.security.addresses sees behind TRUSTED_PROXY_COUNT proxies.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT_PER_ACCOUNT", "5"))
LOGIN_FAILURE_LIMIT_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURE_LIMIT_PER_ADDRESS", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
# A locked-out user who keeps trying does not prolong the lockout: it ends one cool-off after the last counted failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "cms.security.login.AccountAndAddressHandler"
AXES_LOCKOUT_CALLABLE = "cms.security.login.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cms.security.addresses.client_address"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_COOLOFF_MESSAGE = "Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es später erneut."
AXES_PERMALOCK_MESSAGE = "Zu viele fehlgeschlagene Anmeldeversuche. Bitte wenden Sie sich an die Administration."
# Wagtail's login form with its password label in German.
WAGTAILADMIN_USER_LOGIN_FORM = "cms.security.forms.GermanLoginForm"

# Two-factor login with an authenticator app (TOTP): optional for every admin user, required for superusers when this
# is on (production turns it on by default). wagtail-2fa's own switch has to stay on for codes to be checked at all;
# who must use one is decided by cms.security.two_factor.
ADMIN_2FA_REQUIRED_FOR_SUPERUSERS = env_bool("ADMIN_2FA_REQUIRED_FOR_SUPERUSERS", False)
WAGTAIL_2FA_REQUIRED = True
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME

# The admin calls no outside service: no Gravatar (it would send a hash of each user's e-mail address), no release
# check, no "what's new" banner.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False


def url_origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in {"http", "https"} and parts.netloc else None


# Content-Security-Policy (django-csp; cms.security.csp chooses the policy per response). Pages (the admin) load only
# from this origin; media may live on another host (MEDIA_URL). The headless preview page may frame the frontend of
# the previewed page's municipality, and only that one (sites.pages).
CSP_MEDIA_ORIGINS = [origin for origin in [url_origin(MEDIA_URL)] if origin]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # Wagtail 7.4 still writes inline <script> elements (chooser widgets, date pickers, inline panels) and jQuery
        # runs those in the HTML it inserts, so script elements need 'unsafe-inline'. Inline event handler attributes
        # (onerror=, onclick=; the usual payload of injected markup) are refused, as are other origins and eval.
        # Browsers without CSP level 3 read only "script-src".
        "script-src": [SELF, "'unsafe-inline'"],
        "script-src-elem": [SELF, "'unsafe-inline'"],
        "script-src-attr": [NONE],
        # Draftail renders <style> elements whose content changes while editing (placeholders keyed by block), so
        # they cannot be hashed. Injected CSS could still send nothing anywhere: images, fonts and connections are
        # limited to this origin.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *CSP_MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
# The API, open data and every other response that is not HTML never load anything.
CONTENT_SECURITY_POLICY_NON_HTML = {"DIRECTIVES": {"default-src": [NONE], "frame-ancestors": [NONE]}}
# GraphiQL (a developer tool, GRAPHIQL_ENABLED) is graphene-django's page: inline code and its libraries from a CDN.
CONTENT_SECURITY_POLICY_GRAPHIQL = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, "'unsafe-inline'", "https://cdn.jsdelivr.net"],
        "style-src": [SELF, "'unsafe-inline'", "https://cdn.jsdelivr.net"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:", "https://cdn.jsdelivr.net"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
    }
}
