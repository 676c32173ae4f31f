"""Checks for uploaded files, one way for every app: the real type comes from the content, never
from the name.

- :func:`check_upload`: a file people will share (a knowledge set's attachment, a plan's
  evidence): not empty, within a size, of a type in :data:`SHAREABLE_TYPES` (sniffed from the
  content by :mod:`apps.core.filetypes`), named for what it is, and not an image bomb. Returns a
  :class:`CheckedUpload` with its SHA-256 and real kind, for the service to store.
- :func:`check_scan`: a signed scan (PDF or image).
- :func:`fingerprint`: an upload's SHA-256, for finding the same file twice.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from . import tempfiles
from .filetypes import DOCX, OLE, PDF, PPTX, XLSX, FileKind, sniff, type_mismatch

IMAGE_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "TIFF": "image/tiff",
}

DEFAULT_MAX_PIXELS = 80_000_000

# The one list of what people may share through the portal besides the library (attachments of
# knowledge sets, evidence of plans): documents, spreadsheets, slides, text and pictures. Never
# web pages, SVG, XML, archives or programs, which a browser or a colleague's computer might
# run. It is the union of the two lists the knowledge corner and the plans kept before (they had
# drifted: one had OpenDocument, the other TIFF); neither type runs in a browser, and images are
# checked for decompression bombs here before anyone opens them.
SHAREABLE_TYPES = frozenset(
    {
        PDF,
        DOCX,
        XLSX,
        PPTX,
        OLE,  # Word, Excel and PowerPoint 97-2003
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "text/plain",
        "text/csv",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/tiff",
    }
)


def fingerprint(upload: File) -> str:
    """The SHA-256 of an upload (read in chunks; the upload is rewound for whoever reads next)."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def read_upload(upload, *, max_bytes: int) -> bytes:
    """The whole upload, refused with a clear message when it is larger than ``max_bytes``."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise ValidationError(
            _("The file is too large. The limit is %(limit)s.")
            % {"limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    return data


def check_image(data: bytes, *, max_pixels: int, formats: set[str] | None = None) -> str:
    """Return the Pillow format of an image after checking it is whole and not a bomb.

    The pixel count is read from the header and checked before any pixel is decoded, so a
    decompression bomb costs nothing; Pillow's own bomb warning is treated as an error too.
    """
    formats = formats or set(IMAGE_TYPES)
    not_an_image = ValidationError(
        _("This file is not an image we can read."), code="invalid_image"
    )
    too_big = ValidationError(
        _("The image is too large in pixels to process safely."), code="too_many_pixels"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in formats:
                    raise not_an_image
                width, height = probe.size
                if width * height > max_pixels:
                    raise too_big
                probe.verify()
                return probe.format
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_big from None
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
            raise not_an_image from None


def check_pdf(data: bytes) -> None:
    """A PDF starts with ``%PDF-`` and, when whole, ends with ``%%EOF``."""
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("This file is not a complete PDF document."), code="invalid_pdf")


def check_scan(upload, *, max_bytes: int, max_pixels: int = 80_000_000) -> str:
    """Validate a signed scan (PDF or image); return its real content type."""
    data = read_upload(upload, max_bytes=max_bytes)
    if data.startswith(b"%PDF-"):
        check_pdf(data)
        return "application/pdf"
    try:
        image_format = check_image(data, max_pixels=max_pixels)
    except ValidationError as error:
        if error.code == "invalid_image":
            raise ValidationError(
                _("Upload the signed scan as a PDF or an image (JPEG, PNG, TIFF)."),
                code="invalid_scan",
            ) from None
        raise
    return IMAGE_TYPES[image_format]


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed :func:`check_upload`: the file, its SHA-256 and its real kind."""

    upload: File
    sha256: str
    kind: FileKind

    @property
    def name(self) -> str:
        """The name it was uploaded under, without any folder."""
        return Path(self.upload.name).name


WRONG_TYPE = gettext_lazy(
    "“%(name)s” is a kind of file that cannot be added here (%(kind)s). Use PDF, Word, Excel, "
    "PowerPoint, text or picture files."
)


def sniff_bytes(data: bytes, *, name: str) -> FileKind:
    """The real kind of an upload's content (written to a probe file in the data folder's temp
    folder, which is removed again at once); ``name`` only tells CSV from plain text."""
    suffix = Path(name).suffix[:10]
    with tempfile.NamedTemporaryFile(
        prefix="km-probe-", suffix=suffix, dir=tempfiles.folder()
    ) as probe:
        probe.write(data)
        probe.flush()
        return sniff(Path(probe.name), name=name)


def check_upload(
    upload: File,
    *,
    max_bytes: int,
    allowed: frozenset[str] = SHAREABLE_TYPES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    wrong_type=WRONG_TYPE,
) -> CheckedUpload:
    """Check a file people will share; raise ``ValidationError`` naming the file, or return it
    with its SHA-256 and real kind.

    In order: not empty; at most ``max_bytes``; its content one of the ``allowed`` types
    (``wrong_type`` is the message otherwise, with ``%(name)s`` and ``%(kind)s``); its name not
    promising another type (a ``.pdf`` that is a web page); an image not larger than
    ``max_pixels`` nor broken.
    """
    name = Path(upload.name).name
    if not upload.size:
        raise ValidationError(_("“%(name)s” is empty."), params={"name": name}, code="empty")
    try:
        data = read_upload(upload, max_bytes=max_bytes)
    except ValidationError:
        raise ValidationError(
            _("“%(name)s” is too large. The limit is %(limit)s."),
            params={"name": name, "limit": filesizeformat(max_bytes)},
            code="too_large",
        ) from None
    kind = sniff_bytes(data, name=name)
    if kind.mime not in allowed:
        raise ValidationError(
            wrong_type, params={"name": name, "kind": kind.label}, code="file_type"
        )
    if type_mismatch(name, kind):
        raise ValidationError(
            _("“%(name)s” is not what its name says: its content is %(kind)s."),
            params={"name": name, "kind": kind.label},
            code="type_mismatch",
        )
    if kind.mime in IMAGE_TYPES.values():
        check_image(data, max_pixels=max_pixels)
    return CheckedUpload(upload=upload, sha256=hashlib.sha256(data).hexdigest(), kind=kind)
