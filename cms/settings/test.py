"""Test settings: fast hashing, in-memory media, no debug."""

import os
import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="cms-test-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
GRAPHIQL_ENABLED = os.environ.get("GRAPHIQL_ENABLED", "") == "1"
# The webhook tests run their receiver on 127.0.0.1; tests/test_webhooks.py checks the refusal with this off.
WEBHOOK_ALLOW_PRIVATE_TARGETS = True
# The whole suite sends its queries from one address within minutes; tests/test_api_throttle.py sets a budget.
GRAPHQL_CLIENT_COST_BUDGET = 0
