"""Checks made before a parser touches a file: bombs are refused from their headers alone.

Neither check decompresses anything: a zip's central directory declares every entry's sizes,
and an image's header declares its pixel count. The memory and time limits of the child process
stay as the last line of defence for what a header does not tell (a PDF stream, a lying zip).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from apps.core.filetypes import MAX_CENTRAL_DIRECTORY, MAX_ZIP_ENTRIES, RASTER, zip_directory_size

__all__ = ["RefusedError", "check_image", "check_zip"]

MAX_UNCOMPRESSED = 500 * 1024 * 1024
MAX_RATIO = 200
RATIO_APPLIES_ABOVE = 10 * 1024 * 1024  # small files cannot hurt, however well they compress
MAX_PIXELS = 100_000_000
TOO_MANY_PIXELS = f"decompression bomb: image has more than {MAX_PIXELS // 1_000_000} megapixels"


class RefusedError(Exception):
    """The file is not handed to a parser; the message is the reason, in short English."""


def check_zip(path: Path) -> None:
    """Refuse zip containers (DOCX, XLSX, PPTX) whose declared sizes make them a zip bomb."""
    counts = zip_directory_size(path)
    if counts is None:
        raise RefusedError("not a valid zip container")
    if counts[0] > MAX_ZIP_ENTRIES or counts[1] > MAX_CENTRAL_DIRECTORY:
        raise RefusedError(f"zip bomb: {counts[0]} entries declared")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as error:
        raise RefusedError("not a valid zip container") from error
    uncompressed = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries)
    if uncompressed > MAX_UNCOMPRESSED:
        raise RefusedError("zip bomb: declared uncompressed size too large")
    if uncompressed > RATIO_APPLIES_ABOVE and uncompressed > MAX_RATIO * max(compressed, 1):
        raise RefusedError("zip bomb: compression ratio too high")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise RefusedError("encrypted document: a password is needed to read it")


def check_image(path: Path, mime: str) -> tuple[int, int]:
    """``(width, height)`` of a raster image, read from its header; refuse decompression bombs."""
    if mime not in RASTER:
        raise RefusedError(f"unsupported type {mime}")
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as image:  # reads the header only
            width, height = image.size
    except Image.DecompressionBombError as error:
        raise RefusedError(TOO_MANY_PIXELS) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        raise RefusedError("not a valid image") from error
    if width * height > MAX_PIXELS:
        raise RefusedError(TOO_MANY_PIXELS)
    return width, height
