"""Static files in production: hashed names and compressed copies (WhiteNoise), made forgiving.

Django's manifest storage turns one dangling reference into an outage: ``collectstatic`` stops
before it writes the manifest, and then every page, the login page included, fails with
"Missing staticfiles manifest entry". This storage keeps both failures local:

- a ``sourceMappingURL`` comment whose map is not shipped is dropped (maps only serve the
  browser's developer tools) with a warning, instead of stopping ``collectstatic``;
- a file the manifest does not know is linked under its plain name, which WhiteNoise also
  serves, with a warning, instead of a server error on every page that links it.

A missing font or image in a stylesheet still stops ``collectstatic``: that is a broken page.
"""

from __future__ import annotations

import logging

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = True  # we catch the miss below, before Django would hash a missing file

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.manifest_strict = True  # whatever WHITENOISE_MANIFEST_STRICT says
        self._unhashed_warned: set[str] = set()
        self._urls: dict[str, str] = {}

    #: Addresses kept per process (the pages link a few dozen files).
    KEEP_URLS = 500

    def url(self, name, force=False):
        """A file's hashed address, kept: the manifest is read once per process, so a name's
        address cannot change while it runs, and working it out again on every ``{% static %}``
        was a few per cent of a page (issue 20)."""
        if force or settings.DEBUG:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = super().url(name)
            if len(self._urls) < self.KEEP_URLS:
                self._urls[name] = url
        return url

    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj):
            try:
                return convert(matchobj)
            except ValueError:
                if "sourceMappingURL" not in matchobj.group("matched"):
                    raise
                logger.warning(
                    "%s: dropped sourceMappingURL=%s (the map is not shipped)",
                    name,
                    matchobj.group("url"),
                )
                return ""

        return converter

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            clean = self.clean_name(name.split("?", 1)[0].split("#", 1)[0])
            # WhiteNoise probes names that exist nowhere ("x.min.css" -> "x.css"): quiet.
            if clean not in self._unhashed_warned and self.exists(clean):
                self._unhashed_warned.add(clean)
                logger.warning("%s is not in the static files manifest: linked unhashed", clean)
            return clean
