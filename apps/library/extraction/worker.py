"""The child process that extracts one file: ``python -m apps.library.extraction.worker PATH``.

It limits itself first (address space, CPU seconds, no core dumps, no large files), before any
parser is imported, then prints JSON lines on stdout:

1. ``{"ok": true, "text": ..., "pages": ..., "mime": ..., "warnings": [...]}`` or
   ``{"ok": false, "reason": ..., "mime": ...}``, flushed at once;
2. ``{"thumbnail": "<base64 PNG>"}`` or ``{"thumbnail_error": ...}``, when a thumbnail is cheap.

The thumbnail comes second so that a page too heavy to render loses the thumbnail, not the text.
The limits are set here rather than in a ``preexec_fn``: the web process has threads, and
``preexec_fn`` is not safe to use in a process with threads.

Nothing here imports Django or touches the database.
"""

from __future__ import annotations

import base64
import json
import os
import resource
import sys
from pathlib import Path

_MEMORY_LINE = b'{"ok": false, "reason": "memory limit exceeded"}\n'
MEMORY_EXIT = 3


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024 * 1024, 64 * 1024 * 1024))


def _emit(payload: dict) -> None:
    line = json.dumps(payload, ensure_ascii=False).encode("utf-8") + b"\n"
    view = memoryview(line)
    while view:
        written = os.write(1, view)
        view = view[written:]


def run(path: Path) -> tuple[dict, str | None]:
    """The result line for ``path``, and which thumbnail to try ("pdf", "image" or None)."""
    from apps.core.filetypes import PDF, RASTER, XLSX, sniff

    from . import guards
    from .extractors import UnsupportedTypeError, extract
    from .pdf import PdfError

    kind = sniff(path)
    try:
        if kind.mime in RASTER:
            guards.check_image(path, kind.mime)
            return {"ok": True, "text": "", "pages": None, "mime": kind.mime}, "image"
        if kind.mime.startswith("application/vnd.openxmlformats-officedocument"):
            guards.check_zip(path)
        result = extract(path, kind)
    except guards.RefusedError as refused:
        return {"ok": False, "reason": str(refused), "mime": kind.mime}, None
    except UnsupportedTypeError:
        return {"ok": False, "reason": f"unsupported type {kind.mime}", "mime": kind.mime}, None
    except PdfError as error:
        return {"ok": False, "reason": str(error), "mime": kind.mime}, None
    except (MemoryError, RecursionError):
        raise
    except Exception as error:
        reason = _damaged(kind.mime, error, is_xlsx=kind.mime == XLSX)
        return {"ok": False, "reason": reason, "mime": kind.mime}, None
    payload = {
        "ok": True,
        "text": result.text,
        "pages": result.pages,
        "mime": kind.mime,
        "warnings": result.warnings,
        "blank_pages": result.blank_pages,
    }
    return payload, "pdf" if kind.mime == PDF else None


def _damaged(mime: str, error: Exception, *, is_xlsx: bool) -> str:
    import zipfile

    if isinstance(error, (zipfile.BadZipFile, KeyError)) or "zip" in type(error).__name__.lower():
        return "not a valid Office document"
    if is_xlsx and isinstance(error, (ValueError, TypeError)):
        return "not a valid Office document"
    detail = str(error).splitlines()[0][:120] if str(error) else ""
    return f"extractor crashed: {type(error).__name__}" + (f": {detail}" if detail else "")


def thumbnail(path: Path, which: str, *, max_side: int = 320) -> bytes | None:
    """A PNG of at most ``max_side`` pixels on its long side, or None."""
    if which == "pdf":
        from .pdf import pdf_thumbnail

        return pdf_thumbnail(path, max_side=max_side)
    import io

    from PIL import Image, ImageOps

    from .guards import MAX_PIXELS

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with Image.open(path) as image:
        image.draft("RGB", (max_side, max_side))  # JPEG decodes at a fraction of its size
        image.seek(0)
        image = ImageOps.exif_transpose(image)
        image.thumbnail((max_side, max_side))
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()


def main(argv: list[str]) -> int:
    if len(argv) < 1:
        sys.stderr.write(
            "usage: python -m apps.library.extraction.worker PATH [MEMORY CPU_SECONDS]\n"
        )
        return 2
    memory_bytes = int(argv[1]) if len(argv) > 1 else 1 << 30
    cpu_seconds = int(argv[2]) if len(argv) > 2 else 65
    _limit(memory_bytes, cpu_seconds)
    path = Path(argv[0])
    try:
        payload, which = run(path)
        _emit(payload)
        if which:
            try:
                png = thumbnail(path, which)
            except Exception as error:
                _emit({"thumbnail_error": type(error).__name__})
            else:
                if png:
                    _emit({"thumbnail": base64.b64encode(png).decode("ascii")})
    except MemoryError:
        os.write(1, _MEMORY_LINE)
        return MEMORY_EXIT
    except RecursionError:
        _emit({"ok": False, "reason": "not a valid file: structure nested too deeply"})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
