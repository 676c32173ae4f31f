"""What a progress report's evidence may be: its limits and the check of a file's real type.

The form checks the files as they are sent (so its page lists every problem at once); the
service that stores them checks each again, so nothing else (a script, an import) can store a
file of another kind.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from apps.core import tempfiles
from apps.core.uploads import check_image, read_upload
from apps.library.extraction.sniff import sniff

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_MAX_FILES = 10
EVIDENCE_MAX_LINKS = 20
EVIDENCE_MAX_PIXELS = 80_000_000
# What evidence may be: documents, spreadsheets, slides, text and photos. Never HTML, SVG,
# archives or programs, which a browser or a colleague's computer might run.
EVIDENCE_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/msword",
    "text/plain",
    "text/csv",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/tiff",
}


def evidence_type(upload: File) -> str:
    """The real type of an evidence file, from its content; refused when not a kind we keep."""
    data = read_upload(upload, max_bytes=EVIDENCE_MAX_BYTES)
    if not data:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": upload.name}, code="empty")
    suffix = Path(upload.name).suffix[:10]
    with tempfile.NamedTemporaryFile(suffix=suffix, dir=tempfiles.folder()) as probe:
        probe.write(data)
        probe.flush()
        mime = sniff(Path(probe.name), name=upload.name).mime
    if mime not in EVIDENCE_TYPES:
        raise ValidationError(
            _(
                "“%(name)s” is not a kind of file we keep as evidence. Use PDF, Word, Excel, "
                "PowerPoint, text or a photo."
            )
            % {"name": upload.name},
            code="file_type",
        )
    if mime.startswith("image/"):
        check_image(data, max_pixels=EVIDENCE_MAX_PIXELS)
    return mime
