"""The address of the person at the keyboard, behind the reverse proxies we trust.

Behind the recommended TLS proxy every request comes from 127.0.0.1, so the sign-in throttle
(django-axes) would count every colleague's mistyped password against one address and one of
them could lock another out; the audit trail would record the proxy. Each trusted proxy
appends the address it was connected from to ``X-Forwarded-For``, so with ``AXES_PROXY_COUNT``
proxies in front the client is the entry that many places from the right. Entries further left
come from the client itself and are never trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "KM_PROXY_COUNT", 0)
    if not proxies:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote  # did not come through the proxies
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
