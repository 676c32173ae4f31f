"""Production: everything secret or site-specific comes from the environment.

Run behind a TLS-terminating reverse proxy; ``SECURE_PROXY_SSL_HEADER`` trusts its
``X-Forwarded-Proto`` header when ``KM_BEHIND_PROXY`` is set.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY, env_bool, env_int

DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (comma-separated).")

STORAGES = {
    "default": {"BACKEND": "apps.core.storage.DataFolderStorage"},
    "staticfiles": {"BACKEND": "apps.core.staticfiles.PortalStaticFilesStorage"},
}

BEHIND_PROXY = env_bool("KM_BEHIND_PROXY", True)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Sign-in throttling and the audit trail read the client from X-Forwarded-For behind the proxy.
KM_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not SECURE_HSTS_PRELOAD:
    # Browser preload lists are for public domains; an intranet host name cannot be listed, so
    # the warning that asks for it does not apply. Set SECURE_HSTS_PRELOAD=1 on a public domain.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
