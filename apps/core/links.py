"""Absolute links, for what is read outside the portal (e-mails).

A page's own links are relative; an e-mail's must name the site. They are built on the site's
configured address (``KM_SITE_URL``), never on the host a request named: a forged ``Host`` header
must not put someone else's address into a password-reset mail.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


def absolute_url(path: str) -> str:
    """``path`` (as ``reverse`` or ``get_absolute_url`` give it) on the site's address."""
    if urlsplit(path).scheme:
        return path
    return f"{settings.KM_SITE_URL.rstrip('/')}/{path.lstrip('/')}"


def safe_next(request, default: str) -> str:
    """The page a form's ``next`` field asks to return to, if it is a path on this site;
    otherwise ``default``. Only a path that starts with one ``/`` is taken: another site's
    address is refused, and so is a bare word (``redirect("-1")`` would look it up as a URL
    name and fail with a server error)."""
    target = request.POST.get("next", "")
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
