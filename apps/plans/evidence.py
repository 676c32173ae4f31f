"""What a progress report's evidence may be: its limits and the check of a file's real type.

The form checks the files as they are sent (so its page lists every problem at once); the
service that stores them checks each again, so nothing else (a script, an import) can store a
file of another kind.
"""

from __future__ import annotations

from django.core.files import File
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import check_upload

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_MAX_FILES = 10
EVIDENCE_MAX_LINKS = 20
EVIDENCE_MAX_PIXELS = 80_000_000


def evidence_type(upload: File) -> str:
    """The real type of an evidence file, from its content; refused when not a kind we keep."""
    return check_upload(
        upload,
        max_bytes=EVIDENCE_MAX_BYTES,
        max_pixels=EVIDENCE_MAX_PIXELS,
        wrong_type=_(
            "“%(name)s” is not a kind of file we keep as evidence. Use PDF, Word, Excel, "
            "PowerPoint, text or a photo."
        ),
    ).kind.mime
