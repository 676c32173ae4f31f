"""PDF pages as PNG pictures in ``test-artifacts/pdf/`` (PDFium, no poppler needed), for a
person to look at after the tests: a layout that fits on paper is not the same as one that
reads well."""

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "pdf"


def save_pictures(name: str, data: bytes, *, scale: float = 1.5) -> list[Path]:
    """``name``.pdf and one ``name``-<page>.png per page; returns the pictures' paths."""
    import pypdfium2 as pdfium

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(data)
    document = pdfium.PdfDocument(data)
    paths = []
    try:
        for number, page in enumerate(document, 1):
            path = ARTIFACTS / f"{name}-{number}.png"
            page.render(scale=scale).to_pil().save(path)
            paths.append(path)
    finally:
        document.close()
    return paths
