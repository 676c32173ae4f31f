"""Profile photos: refuse anything that is not a sane image, store a small clean JPEG."""

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def process_photo(upload) -> ContentFile:
    """Validate an uploaded photo and return it resized, rotated upright and without metadata.

    Raises ``ValidationError`` (in the active language) for a file that is too large, not an
    image, an image type we do not take, or a decompression bomb: an image whose header claims
    more pixels than ``PHOTO_MAX_PIXELS``, checked before any pixel is decoded.
    """
    max_bytes = settings.PHOTO_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The photo is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    not_an_image = ValidationError(
        _("This file is not a photo we can read. Upload a JPEG, PNG, GIF or WebP image."),
        code="invalid_image",
    )
    too_big = ValidationError(
        _("The image is too large in pixels to process safely. Upload a smaller photo."),
        code="too_many_pixels",
    )
    with warnings.catch_warnings():
        # Pillow only warns between its two bomb limits; treat the warning as the error it is.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            upload.seek(0)
            data = upload.read(max_bytes + 1)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise not_an_image
                width, height = probe.size
                if width * height > settings.PHOTO_MAX_PIXELS:
                    raise too_big
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.seek(0)
                image = ImageOps.exif_transpose(image)
                image = image.convert("RGB")
                image.thumbnail((settings.PHOTO_SIZE, settings.PHOTO_SIZE))
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=85, optimize=True)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_big from None
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
            raise not_an_image from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
