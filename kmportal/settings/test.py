"""Tests: fast hashing, in-memory email, a throw-away data folder."""

import os
import tempfile

# Each test run gets its own data folder, unless the caller chose one; so does each pytest-xdist
# worker, which inherits the folder the controller made (``KM_TEST_DATA_DIR_MADE``) and makes
# its own once (child processes it starts keep the worker's, as they keep the run's).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_made = os.environ.get("KM_TEST_DATA_DIR_MADE")
if "KM_DATA_DIR" not in os.environ or (
    _worker
    and os.environ["KM_DATA_DIR"] == _made
    and os.environ.get("KM_TEST_DATA_DIR_WORKER") != _worker
):
    os.environ["KM_DATA_DIR"] = tempfile.mkdtemp(prefix=f"kmportal-test-{_worker}")
    os.environ["KM_TEST_DATA_DIR_MADE"] = os.environ["KM_DATA_DIR"]
    os.environ["KM_TEST_DATA_DIR_WORKER"] = _worker

from .base import *  # noqa: E402, F403
from .base import HUEY, LOGGING  # noqa: E402

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING["root"]["handlers"] = ["file"]
LOGGING["loggers"]["huey"]["handlers"] = ["file"]
LIBRARY_EXTRACTION = "inline"
HUEY = {**HUEY, "immediate": True}  # jobs run in the caller, in the test's transaction
KM_MIN_FREE_BYTES = 0  # tests that need a reserve set one (tests/core/test_disk_full.py)
