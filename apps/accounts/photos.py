"""Profile photos: refuse anything that is not a sane image, store a small clean JPEG."""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from apps.core.uploads import check_image, read_upload

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def check_photo(upload: File) -> bytes:
    """The upload's bytes, once checked to be a photo we take (nothing is decoded yet).

    Raises ``ValidationError`` (in the active language) for a file that is too large, not an
    image, an image type we do not take, or a decompression bomb: an image whose header claims
    more pixels than ``PHOTO_MAX_PIXELS``, checked before any pixel is decoded.
    """
    data = read_upload(upload, max_bytes=settings.PHOTO_MAX_UPLOAD_BYTES)
    try:
        check_image(data, max_pixels=settings.PHOTO_MAX_PIXELS, formats=ACCEPTED_FORMATS)
    except ValidationError as error:
        if error.code == "invalid_image":
            raise ValidationError(
                _("This file is not a photo we can read. Upload a JPEG, PNG, GIF or WebP image."),
                code="invalid_image",
            ) from None
        raise
    return data


def process_photo(upload: File) -> ContentFile:
    """Check an uploaded photo (``check_photo``) and return it resized, rotated upright and
    without metadata; a file that passes the checks but does not decode is refused too."""
    data = check_photo(upload)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.seek(0)
            upright = ImageOps.exif_transpose(image).convert("RGB")
            upright.thumbnail((settings.PHOTO_SIZE, settings.PHOTO_SIZE))
            out = io.BytesIO()
            upright.save(out, format="JPEG", quality=85, optimize=True)
    except (OSError, ValueError, SyntaxError, EOFError):
        # verify() passed but decoding failed: a truncated or corrupt file.
        raise ValidationError(
            _("This file is not a photo we can read. Upload a JPEG, PNG, GIF or WebP image."),
            code="invalid_image",
        ) from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
