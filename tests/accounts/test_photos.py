import io

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from PIL import Image

from apps.accounts.photos import process_photo
from tests.accounts.images import fake_image, image_upload, png_bomb, truncated_jpeg


def test_a_photo_is_resized_to_a_small_jpeg():
    result = process_photo(image_upload(size=(1600, 1200)))
    with Image.open(io.BytesIO(result.read())) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 400
    assert result.name.endswith(".jpg")


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP"])
def test_other_common_formats_are_accepted(fmt):
    result = process_photo(image_upload(name=f"p.{fmt.lower()}", size=(300, 200), fmt=fmt))
    with Image.open(io.BytesIO(result.read())) as image:
        assert image.format == "JPEG"
        assert image.size == (300, 200)


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = png_bomb()
    assert bomb.size < 2_000_000
    with pytest.raises(ValidationError) as error:
        process_photo(bomb)
    assert error.value.code == "too_many_pixels"


@pytest.mark.parametrize(
    "upload", [fake_image(), truncated_jpeg()], ids=["not-an-image", "truncated"]
)
def test_broken_or_fake_images_are_refused(upload):
    with pytest.raises(ValidationError) as error:
        process_photo(upload)
    assert error.value.code == "invalid_image"


@override_settings(PHOTO_MAX_UPLOAD_BYTES=1000)
def test_an_oversized_file_is_refused():
    with pytest.raises(ValidationError) as error:
        process_photo(image_upload(size=(800, 800)))
    assert error.value.code == "too_large"


def test_a_bmp_is_not_taken():
    with pytest.raises(ValidationError) as error:
        process_photo(image_upload(name="x.bmp", size=(10, 10), fmt="BMP"))
    assert error.value.code == "invalid_image"
