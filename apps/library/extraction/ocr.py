"""OCR of one page of a scanned file with Tesseract, and the child process that runs it.

``python -m apps.library.extraction.ocr PATH PAGE MEMORY CPU_SECONDS TESSERACT [PSM]`` limits itself
(as ``worker`` does), loads page ``PAGE`` (1-based) of PATH (a raster image, or a PDF page
rendered by PDFium at 300 dpi), prepares it (EXIF rotation, grey, contrast, deskew, threshold)
and runs the ``tesseract`` command on it with ``tha+eng``, then prints one JSON line:
``{"ok": true, "text": ..., "confidence": ..., "words": ..., "angle": ...}`` or
``{"ok": false, "reason": ...}``. ``sandbox.ocr_in_child`` starts it with a time and a memory
limit; the tesseract process is in the child's process group and shares its limits.

Why the command line, not a binding: the sandbox already gives the limits and kills a runaway
process group; pytesseract is only a wrapper round the same command, tesserocr must be compiled
against libtesseract's headers (no wheel for Debian's tesseract 5.3), and OCRmyPDF adds
Ghostscript and a PDF/A pipeline we do not need to make text searchable.

Nothing here imports Django.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DPI", "LANGUAGES", "Engine", "find_engine", "prepare", "read_page"]

DPI = 300
LANGUAGES = "tha+eng"
#: A page image is scaled down to at most this many pixels before OCR (A4 at 300 dpi is 8.7 M).
MAX_OCR_PIXELS = 40_000_000
#: Angles tried by the deskew, in degrees either way.
MAX_SKEW = 10.0
#: Tesseract levels a page turned by a few degrees itself, and better than a rotated copy (which
#: loses thin tone marks: bench/ocr_quality.py); the page is turned here only beyond this.
DESKEW_ABOVE = 4.0


@dataclass(frozen=True)
class Engine:
    command: str
    version: str
    languages: tuple[str, ...]

    @property
    def has_thai(self) -> bool:
        return "tha" in self.languages


_FOUND: dict[str, Engine] = {}


def find_engine(command: str) -> Engine | None:
    """The Tesseract at ``command`` (a path or a name on PATH) with Thai, or None if there is no
    such program or it has no Thai model. An engine found is remembered for the process; a
    missing one is looked for again each time (it may be installed while the worker runs)."""
    if not command:
        return None
    if command in _FOUND:
        return _FOUND[command]
    engine = _probe(command)
    if engine is not None:
        _FOUND[command] = engine
    return engine


def _probe(command: str) -> Engine | None:
    try:
        version = subprocess.run(  # noqa: S603 - a configured program, no shell
            [command, "--version"], capture_output=True, text=True, timeout=20, check=False
        )
        listing = subprocess.run(  # noqa: S603
            [command, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if version.returncode != 0:
        return None
    first = (version.stdout or version.stderr).strip().splitlines()
    words = first[0].split() if first else []
    languages = tuple(
        line.strip()
        for line in (listing.stdout or "").splitlines()[1:]
        if line.strip() and " " not in line.strip()
    )
    engine = Engine(command, words[-1] if words else "?", languages)
    return engine if engine.has_thai else None


# --- Images --------------------------------------------------------------------------------------
def load_page(path: Path, page: int, *, dpi: int = DPI):
    """Page ``page`` (1-based) of a PDF rendered at ``dpi``, or the image itself (``page`` 1;
    a multi-page TIFF gives its frames), as a Pillow image."""
    from apps.core.filetypes import PDF, RASTER, sniff

    from . import guards

    kind = sniff(path)
    if kind.mime == PDF:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(path))
        try:
            if not 1 <= page <= len(document):
                raise guards.RefusedError(f"no page {page}")
            pdf_page = document[page - 1]
            width, height = pdf_page.get_size()  # points
            scale = dpi / 72
            pixels = width * height * scale * scale
            if pixels > MAX_OCR_PIXELS:
                scale *= (MAX_OCR_PIXELS / pixels) ** 0.5
            image = pdf_page.render(scale=scale, draw_annots=False).to_pil()
            pdf_page.close()
            return image
        finally:
            document.close()
    if kind.mime in RASTER:
        from PIL import Image, ImageOps

        guards.check_image(path, kind.mime)
        Image.MAX_IMAGE_PIXELS = guards.MAX_PIXELS
        with Image.open(path) as image:
            if page > 1:
                image.seek(page - 1)
            image.load()
            return ImageOps.exif_transpose(image)
    raise guards.RefusedError(f"unsupported type {kind.mime}")


def _row_profile_score(image) -> float:
    """How sharply the rows differ in darkness: highest when text lines lie level."""
    from PIL import Image

    rows = list(image.resize((1, image.height), Image.Resampling.BOX).tobytes())
    mean = sum(rows) / len(rows)
    return sum((value - mean) ** 2 for value in rows)


def skew_angle(grey) -> float:
    """The rotation (degrees, counter-clockwise) that levels the text lines of ``grey``, found
    by the sharpest row profile on a small copy: coarse steps of 1 degree, then 0.2."""
    from PIL import Image, ImageOps

    small = grey.copy()
    small.thumbnail((900, 900))
    inverted = ImageOps.invert(small)  # text bright on black: rotation fills black
    best, best_score = 0.0, _row_profile_score(inverted)
    for step, span in ((1.0, MAX_SKEW), (0.2, 0.8)):  # 21 + 8 rotations of a small copy
        centre = best
        count = round(span / step)
        for index in range(-count, count + 1):
            angle = centre + index * step
            if angle == centre or abs(angle) > MAX_SKEW:
                continue
            score = _row_profile_score(
                inverted.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=0)
            )
            if score > best_score * 1.0001:
                best, best_score = angle, score
    return round(best, 2)


def otsu_threshold(grey) -> int:
    """Otsu's threshold of a greyscale image, from its histogram."""
    histogram = grey.histogram()[:256]
    total = sum(histogram)
    weighted_total = sum(index * count for index, count in enumerate(histogram))
    below = weighted_below = 0
    best, best_between = 127, -1.0
    for level, count in enumerate(histogram):
        below += count
        if below == 0:
            continue
        above = total - below
        if above == 0:
            break
        weighted_below += level * count
        mean_below = weighted_below / below
        mean_above = (weighted_total - weighted_below) / above
        between = below * above * (mean_below - mean_above) ** 2
        if between > best_between:
            best, best_between = level, between
    return best


def prepare(image, *, deskew: bool = True, threshold: bool = True):
    """``(image, angle)``: grey, stretched contrast, levelled (when turned by more than
    ``DESKEW_ABOVE`` degrees), black on white. (EXIF rotation is applied when it is loaded.)"""
    from PIL import Image, ImageOps

    if image.mode in ("RGBA", "LA", "P"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    grey = image.convert("L")
    if grey.width * grey.height > MAX_OCR_PIXELS:
        factor = (MAX_OCR_PIXELS / (grey.width * grey.height)) ** 0.5
        size = (max(1, int(grey.width * factor)), max(1, int(grey.height * factor)))
        grey = grey.resize(size, Image.Resampling.LANCZOS)
    grey = ImageOps.autocontrast(grey, cutoff=1)
    angle = skew_angle(grey) if deskew else 0.0
    if abs(angle) > DESKEW_ABOVE:
        grey = grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if threshold:
        level = otsu_threshold(grey)
        grey = grey.point(lambda value: 255 if value > level else 0)
    return grey, angle


# --- Tesseract -----------------------------------------------------------------------------------
def run_tesseract(
    image, *, command: str, dpi: int = DPI, timeout: float = 120, psm: int = 3
) -> dict:
    """``{"text", "confidence", "words"}`` of a prepared image: the text as Tesseract writes it,
    and the mean word confidence (0-100, weighted by word length) from its TSV output.

    ``psm`` is Tesseract's page layout mode (3: automatic). A page on which it finds no text at
    all (it happens with one short line) is read again as sparse text (``--psm 11``)."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="km-ocr-") as folder:
        source = Path(folder) / "page.png"
        image.save(source, format="PNG")
        result = _tesseract(source, command=command, dpi=dpi, psm=psm, timeout=timeout)
        if not result["words"] and psm != 11:
            left = max(1.0, timeout - (time.monotonic() - started))
            result = _tesseract(source, command=command, dpi=dpi, psm=11, timeout=left)
    return result


def _tesseract(source: Path, *, command: str, dpi: int, psm: int, timeout: float) -> dict:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core per page: the machine is shared
    base = source.with_name(f"out{psm}")
    completed = subprocess.run(  # noqa: S603 - a configured program, no shell
        [
            *(command, str(source), str(base), "--dpi", str(dpi), "--psm", str(psm)),
            *("-l", LANGUAGES, "txt", "tsv"),
        ],
        capture_output=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"tesseract failed: {detail[-1][:160] if detail else 'no output'}")
    text = base.with_suffix(".txt").read_text("utf-8", errors="replace")
    tsv = base.with_suffix(".tsv").read_text("utf-8", errors="replace")
    confidence, words = tsv_confidence(tsv)
    return {"text": text, "confidence": confidence, "words": words}


def tsv_confidence(tsv: str) -> tuple[float | None, int]:
    """Mean confidence of the words in Tesseract's TSV output (weighted by their length), and
    how many words there were; ``(None, 0)`` when there were none."""
    total = weight = words = 0.0
    for line in tsv.splitlines()[1:]:
        columns = line.split("\t")
        if len(columns) < 12 or not columns[11].strip():
            continue
        try:
            confidence = float(columns[10])
        except ValueError:
            continue
        if confidence < 0:
            continue
        length = len(columns[11].strip())
        total += confidence * length
        weight += length
        words += 1
    return (round(total / weight, 1) if weight else None), int(words)


def read_page(
    path: Path, page: int, *, command: str, dpi: int = DPI, timeout: float = 120, psm: int = 3
) -> dict:
    """Load, prepare and OCR one page; the child's result (without ``ok``)."""
    image = load_page(path, page, dpi=dpi)
    prepared, angle = prepare(image)
    result = run_tesseract(prepared, command=command, dpi=dpi, timeout=timeout, psm=psm)
    result["angle"] = angle
    return result


def main(argv: list[str]) -> int:
    from .worker import MEMORY_EXIT, _emit, _limit

    if len(argv) < 5:
        sys.stderr.write(
            "usage: python -m apps.library.extraction.ocr PATH PAGE MEMORY CPU TESSERACT\n"
        )
        return 2
    path, page = Path(argv[0]), int(argv[1])
    memory_bytes, cpu_seconds, command = int(argv[2]), int(argv[3]), argv[4]
    psm = int(argv[5]) if len(argv) > 5 else 3
    _limit(memory_bytes, cpu_seconds)
    from .guards import RefusedError

    try:
        result = read_page(path, page, command=command, timeout=cpu_seconds, psm=psm)
    except MemoryError:
        os.write(1, b'{"ok": false, "reason": "memory limit exceeded"}\n')
        return MEMORY_EXIT
    except RefusedError as refused:
        _emit({"ok": False, "reason": str(refused)})
        return 0
    except subprocess.TimeoutExpired:
        _emit({"ok": False, "reason": "timed out in tesseract"})
        return 0
    except Exception as error:
        detail = str(error).splitlines()[0][:160] if str(error) else type(error).__name__
        _emit({"ok": False, "reason": f"OCR failed: {detail}"})
        return 0
    _emit({"ok": True, **result})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
