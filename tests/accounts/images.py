"""Image files the photo tests upload: real ones, broken ones and hostile ones."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_upload(name="photo.jpg", size=(1200, 900), fmt="JPEG", color=(30, 90, 140)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def png_bomb(width=30_000, height=30_000) -> SimpleUploadedFile:
    """A tiny valid PNG whose header claims width × height pixels (900 megapixels here).

    The pixel data is one compressed run of zeros, so the file is a few hundred KB, but
    decoding it would take gigabytes: the classic decompression bomb.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    return SimpleUploadedFile("bomb.png", png, content_type="image/png")


def fake_image(name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00 this is a program, not a photo", "image/jpeg")


def truncated_jpeg() -> SimpleUploadedFile:
    data = image_upload().read()
    return SimpleUploadedFile("cut.jpg", data[: len(data) // 3], content_type="image/jpeg")
