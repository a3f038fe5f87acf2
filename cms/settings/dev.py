"""Local development: debug on, GraphiQL on, mail to the console."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
GRAPHIQL_ENABLED = env_bool("GRAPHIQL_ENABLED", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Local receivers (e.g. on localhost) are fine while developing.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", True)
