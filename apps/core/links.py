"""Absolute links, for what is read outside the portal (e-mails).

A page's own links are relative; an e-mail's must name the site. They are built on the site's
configured address (``KM_SITE_URL``), never on the host a request named: a forged ``Host`` header
must not put someone else's address into a password-reset mail.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (as ``reverse`` or ``get_absolute_url`` give it) on the site's address."""
    if urlsplit(path).scheme:
        return path
    return f"{settings.KM_SITE_URL.rstrip('/')}/{path.lstrip('/')}"
