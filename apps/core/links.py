"""Absolute links, for what is read outside the portal (e-mails); and a record's page, quickly.

A page's own links are relative; an e-mail's must name the site. They are built on the site's
configured address (``KM_SITE_URL``), never on the host a request named: a forged ``Host`` header
must not put someone else's address into a password-reset mail.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
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


# --- A record's page: ``reverse`` of an address that takes one whole number -------------------
#: Stands for the number in the address made once per name.
_PROBE = 7_654_321_987
_kept: dict[tuple[str, str, str, str | None], tuple[str, str] | None] = {}


def record_url(name: str, pk: int, *, kwarg: str = "pk") -> str:
    """``reverse(name, kwargs={kwarg: pk})`` for an address whose one argument is an
    ``<int:…>``: the address is made once per name, script prefix and URLconf, with a stand-in
    number, and then filled in. ``reverse`` cost 35 µs or more a call, and a page of search
    hits, of the library or of a document asks it ten to twenty times (issue 20). The tests
    compare the two for every name it is used with."""
    if type(pk) is not int or pk < 0:  # not a record's key (unsaved): as reverse answers
        return reverse(name, kwargs={kwarg: pk})
    key = (name, kwarg, get_script_prefix(), get_urlconf())
    parts = _kept.get(key, False)
    if parts is False:
        made = reverse(name, kwargs={kwarg: _PROBE})
        before, probe, after = made.partition(str(_PROBE))
        parts = (before, after) if probe and str(_PROBE) not in after else None
        if len(_kept) >= 1000:  # names are the code's; prefixes, a server's few
            _kept.clear()
        _kept[key] = parts
    if parts is None:  # not an address to fill in: as reverse makes it
        return reverse(name, kwargs={kwarg: pk})
    return f"{parts[0]}{pk}{parts[1]}"
