"""Settings shared by every environment. Values that differ per machine come from the environment."""

import os
from pathlib import Path

import dj_database_url

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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sites.middleware.MunicipalityScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
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
    "MIDDLEWARE": ["cms.api.middleware.PublicContentMiddleware"],
    "ATOMIC_MUTATIONS": True,
}

# Limits of the public GraphQL API.
GRAPHQL_MAX_DEPTH = int(os.environ.get("GRAPHQL_MAX_DEPTH", "12"))
GRAPHQL_MAX_TOKENS = int(os.environ.get("GRAPHQL_MAX_TOKENS", "5000"))
GRAPHQL_MAX_PAGE_SIZE = int(os.environ.get("GRAPHQL_MAX_PAGE_SIZE", "100"))
GRAPHQL_DEFAULT_PAGE_SIZE = 20
GRAPHIQL_ENABLED = env_bool("GRAPHIQL_ENABLED", False)

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

# How long a headless preview link stays valid, in seconds.
PREVIEW_TOKEN_MAX_AGE = int(os.environ.get("PREVIEW_TOKEN_MAX_AGE", "3600"))

# Citizens' ideas (regions.ideas): abuse limits, confirmation and retention.
IDEA_RATE_LIMIT_PER_ADDRESS = int(os.environ.get("IDEA_RATE_LIMIT_PER_ADDRESS", "20"))
IDEA_RATE_LIMIT_PER_EMAIL = int(os.environ.get("IDEA_RATE_LIMIT_PER_EMAIL", "5"))
IDEA_RATE_LIMIT_WINDOW = int(os.environ.get("IDEA_RATE_LIMIT_WINDOW", "3600"))
IDEA_TRUSTED_PROXY_COUNT = int(os.environ.get("IDEA_TRUSTED_PROXY_COUNT", "0"))
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
