"""Settings for the test run: the same as the others, on the ``test`` profile."""

import os

os.environ.setdefault("DANVAN_PROFILE", "test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM in tests beside Playwright

from danvan.config.settings import *  # noqa: F403
from danvan.config.settings import VAR_DIR

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",  # speed only; production uses Argon2
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MEDIA_ROOT = VAR_DIR / "test-media"
FIELD_ENCRYPTION_KEYS = [
    "q4Tf8C0y9bC3b7oX1eQKqjJqv9wW3eGQm9y8pZyXo2E=",
]
