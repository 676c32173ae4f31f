"""System checks of the portal's own settings (``manage.py check --deploy``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", ""}


@register(Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs) -> list[Warning]:
    """Links in e-mails are built on KM_SITE_URL: in production it must be the real address."""
    url = urlsplit(settings.KM_SITE_URL)
    if url.scheme not in {"http", "https"} or (url.hostname or "") in LOCAL_HOSTS:
        return [
            Warning(
                f"KM_SITE_URL is {settings.KM_SITE_URL!r}: links in e-mails would not reach "
                "the portal.",
                hint="Set KM_SITE_URL to the address staff open, e.g. https://km.example.go.th.",
                id="kmportal.W001",
            )
        ]
    if url.scheme != "https":
        return [
            Warning(
                "KM_SITE_URL does not use https: password-reset links would travel in clear.",
                hint="Serve the portal over https and set KM_SITE_URL to its https address.",
                id="kmportal.W002",
            )
        ]
    return []
