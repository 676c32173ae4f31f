"""Tests: fast hashing, in-memory email, a throw-away data folder."""

import os
import tempfile

# Each test run gets its own data folder, unless the caller chose one.
os.environ.setdefault("KM_DATA_DIR", tempfile.mkdtemp(prefix="kmportal-test-"))

from .base import *  # noqa: F403
from .base import LOGGING

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING["root"]["handlers"] = ["file"]
LIBRARY_EXTRACTION = "inline"
KM_MIN_FREE_BYTES = 0  # tests that need a reserve set one (tests/core/test_disk_full.py)
