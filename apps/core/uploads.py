"""Checks for uploaded files: the real type comes from the content, never from the name."""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "TIFF": "image/tiff",
}


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
