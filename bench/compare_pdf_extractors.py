"""Compare PDF text extractors on Thai PDFs made by a browser and by word processors.

    .venv/bin/python bench/compare_pdf_extractors.py [--show]

Builds the sample PDFs of ``tests/library/samples.py`` in a temporary directory (Chromium with
the portal's Sarabun web font and with a TLWG font, fpdf2 with and without HarfBuzz shaping,
fpdf2 with legacy private-use glyphs, LibreOffice; each where this machine can make it), reads
each with every installed library and prints, per library and PDF, the expected Thai words
found exactly and the character errors (edit distance to the sample text): once on the raw
text, once after ``normalize_thai``. Then it times each library on a 40-page PDF.
``--show`` also prints each raw extraction.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.library import samples


def table(readers, pdfs, *, normalize: bool, show: bool) -> None:
    total = len(samples.EXPECTED_WORDS)
    header = ["library".ljust(32)] + [name.rjust(17) for name in pdfs] + ["all".rjust(13)]
    print(" ".join(header))
    print(" ".join("-" * len(cell) for cell in header))
    for name, reader in readers.items():
        cells = [name.ljust(32)]
        found_all = errors_all = 0
        for pdf_name, path in pdfs.items():
            try:
                raw = reader(path)
            except Exception as error:  # a reader failing is a result too
                cells.append(f"error {type(error).__name__}"[:17].rjust(17))
                continue
            found, errors = samples.score(raw, normalize=normalize)
            found_all += found
            errors_all += errors
            cells.append(f"{found}/{total} e={errors}".rjust(17))
            if show and normalize:
                print(f"\n--- {name} / {pdf_name} ---\n{raw!r}\n")
        cells.append(f"{found_all}/{total * len(pdfs)} e={errors_all}".rjust(13))
        print(" ".join(cells))


def speed(readers, directory: Path) -> None:
    if not samples.HAVE_CHROMIUM:
        print("no Chromium: speed test skipped")
        return
    import pypdfium2 as pdfium

    path = samples.long_chromium_pdf(directory)

    document = pdfium.PdfDocument(str(path))
    pages = len(document)
    document.close()
    print(f"\nspeed on a {pages}-page Chromium PDF ({path.stat().st_size // 1024} KB):")
    for name, reader in readers.items():
        started = time.perf_counter()
        reader(path)
        seconds = time.perf_counter() - started
        print(f"  {name.ljust(32)} {seconds:6.2f} s  {pages / seconds:7.1f} pages/s")


def main(argv: list[str]) -> int:
    show = "--show" in argv
    readers = samples.installed_readers()
    with tempfile.TemporaryDirectory(prefix="km-pdf-bench-") as directory:
        started = time.monotonic()
        pdfs = samples.thai_pdfs(Path(directory), log=lambda message: print(f"note: {message}"))
        print(f"made {len(pdfs)} PDFs in {time.monotonic() - started:.1f} s\n")
        print("raw text, as each library gives it:")
        table(readers, pdfs, normalize=False, show=show)
        print("\nafter normalize_thai (what the index stores):")
        table(readers, pdfs, normalize=True, show=show)
        speed(readers, Path(directory))
    print(
        f"\nwords: expected Thai words found exactly, of {len(samples.EXPECTED_WORDS)}; e: "
        "character edit distance to the sample text (whitespace runs as one space)."
    )
    missing = [name for name in samples.READERS if name not in readers]
    if missing:
        print(f"not installed: {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
