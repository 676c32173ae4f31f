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

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = True  # we catch the miss below, before Django would hash a missing file

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.manifest_strict = True  # whatever WHITENOISE_MANIFEST_STRICT says
        self._unhashed_warned: set[str] = set()

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
