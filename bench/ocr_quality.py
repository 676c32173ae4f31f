"""OCR quality and cost on Thai "scans" made from known text, through the product's own import.

    .venv/bin/python bench/ocr_quality.py [--psm 3] [--keep DIR]

1. Source text: passages of the two seed documents (``../shared/seeds``, read at run time, never
   copied into the product) and circular-like paragraphs written here.
2. Scans: each passage laid out with Sarabun 16 pt (``tests/library/scans.py``: fpdf2 + HarfBuzz,
   rendered by PDFium) at 200 or 300 dpi, some spoilt (a turn of 1-6 degrees, blur, specks, JPEG
   compression, a phone's EXIF rotation), saved as PNG, JPEG, an image-only PDF and a two-page
   image-only PDF.
3. Import: a fresh data folder, ``migrate``, ``import_documents`` with ``KM_EXTRACTION=inline`` (the
   text extraction and the OCR run in the command, page by page in the sandbox, as the worker
   would), ``rebuild_index``.
4. Figures per file and in total:

   * CER: the character error rate (Levenshtein distance / source length) of the OCR text
     against the source, whitespace removed (Thai writes no spaces between words; where the
     lines break is the layout's choice), and "CER+sp" with each run of whitespace counted as one
     space (what ``join_lines`` changes);
   * each post-processing step's effect (``extraction.ocrtext``): raw Tesseract output, then
     + sara_am, + drop_noise, + join_lines, + normalize_thai, from the raw text each page keeps;
   * words: the share of the source's words (the search's own Thai word segmenter, 2 characters
     or more, distinct) that the OCR text contains, per step; and "found": the share that
     ``search`` (the portal's engine, as a superuser) finds in the right document;
   * s/page: the sandboxed child's wall time per page (render, prepare, Tesseract), one core.

Targets (issue 18): CER <= 5% on clean 300-dpi pages, >= 95% of words found.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEEDS = ROOT.parent / "shared" / "seeds"
if not SEEDS.exists():  # a worktree beside the main checkout
    SEEDS = Path("/work/shared/seeds")

CIRCULARS = [
    "ด้วยกรมส่งเสริมสหกรณ์ได้กำหนดแนวทางการจัดทำบัญชีของสหกรณ์ภาคการเกษตร "
    "เพื่อให้สหกรณ์ทุกแห่งจัดทำงบการเงินให้แล้วเสร็จภายในหนึ่งร้อยห้าสิบวันนับแต่วันสิ้นปีทางบัญชี "
    "จึงขอให้สำนักงานสหกรณ์จังหวัดแจ้งสหกรณ์ในพื้นที่ทราบและถือปฏิบัติโดยเคร่งครัด "
    "หากมีข้อสงสัยให้ประสานกลุ่มตรวจสอบบัญชีสหกรณ์ภายในวันที่ 15 มีนาคม 2568",
    "ตามที่สำนักงานสหกรณ์จังหวัดชุมพรได้จัดประชุมคณะทำงานการจัดการความรู้ "
    "ครั้งที่ 2/2568 เมื่อวันพฤหัสบดีที่ 6 กุมภาพันธ์ 2568 ณ ห้องประชุมชั้น 2 "
    "ที่ประชุมมีมติให้แต่ละกลุ่มงานถอดบทเรียนการแนะนำส่งเสริมสหกรณ์ "
    "และนำเสนอผลการดำเนินงานในเวทีแลกเปลี่ยนเรียนรู้ประจำไตรมาส",
]


def passages(count: int, size: int = 420) -> list[str]:
    """``count`` passages of about ``size`` characters: seed text first, then the circulars."""
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = re.sub(r"\s+", " ", path.read_text("utf-8")).strip()
        for start in range(0, len(text) - size, size):
            piece = text[start : start + size]
            piece = piece[piece.find(" ") + 1 : piece.rfind(" ")].strip()  # whole words
            if sum("\u0e01" <= ch <= "\u0e5b" for ch in piece) > size // 2:
                found.append(piece)
    found = found[: max(0, count - len(CIRCULARS))] + CIRCULARS
    return found[:count]


def make_scans(folder: Path) -> dict[str, tuple[str, list[str]]]:
    """Write the scans into ``folder``: name → (what it is, the source text of each page)."""
    from tests.library import scans

    texts = passages(10)
    page = "\n".join(texts[:4])  # a full A4 page of four paragraphs
    plan = {
        "page-300.png": ("a full page (4 paragraphs), 300 dpi, PNG", [page], {"dpi": 300}),
        "clean-300-a.png": ("clean, 300 dpi, PNG", [texts[0]], {"dpi": 300}),
        "clean-300-b.png": ("clean, 300 dpi, PNG", [texts[8]], {"dpi": 300}),
        "clean-200.png": ("clean, 200 dpi, PNG", [texts[1]], {"dpi": 200}),
        "scan-300-noisy.png": (
            "300 dpi, turned 1.5°, blur, 300 specks",
            [texts[2]],
            {"dpi": 300, "rotate": 1.5, "blur": 0.8, "specks": 300},
        ),
        "turned-300.png": ("300 dpi, turned 6° (deskewed)", [texts[3]], {"dpi": 300, "rotate": 6}),
        "phone-200.jpg": (
            "phone: 200 dpi, turned 1°, blur, JPEG q70, EXIF-rotated",
            [texts[4]],
            {"dpi": 200, "rotate": -1.0, "blur": 0.6, "specks": 60},
        ),
        "image-300.pdf": ("image-only PDF, 300 dpi", [texts[5]], {"dpi": 300}),
        "two-pages-200.pdf": (
            "two-page image-only PDF, 200 dpi, specks",
            [texts[6], texts[9]],
            {"dpi": 200, "specks": 80},
        ),
    }
    made = {}
    for name, (label, sources, options) in plan.items():
        pages = [scans.scan(text, **options) for text in sources]
        path = folder / name
        if name.endswith(".png"):
            path.write_bytes(scans.as_png(pages[0]))
        elif name.endswith(".jpg"):
            path.write_bytes(scans.as_jpeg(pages[0], quality=70, exif_rotated=True))
        else:
            path.write_bytes(scans.image_pdf(*pages))
        made[name] = (label, sources)
    return made


# --- Measures ------------------------------------------------------------------------------------
def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def cer(text: str, source: str, *, spaces: bool = False) -> float:
    if spaces:
        squash = lambda s: re.sub(r"\s+", " ", s).strip()  # noqa: E731
    else:
        squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    reference = squash(source)
    return levenshtein(squash(text), reference) / max(1, len(reference))


def words_of(text: str) -> set[str]:
    from apps.search.analysis import ThaiWordTokenizer

    tokenizer = ThaiWordTokenizer()
    return {
        token.text
        for token in tokenizer(text)
        if len(token.text) >= 2 and not token.text.isdigit() and token.text.strip()
    }


def steps_of(raw: str) -> dict[str, str]:
    from apps.library.extraction.ocrtext import STEPS, clean_ocr_text

    out = {"raw": clean_ocr_text(raw, steps=(), normalize=False)}
    for index in range(1, len(STEPS) + 1):
        out["+" + STEPS[index - 1]] = clean_ocr_text(raw, steps=STEPS[:index], normalize=False)
    out["+normalize_thai"] = clean_ocr_text(raw)
    return out


# --- Run -----------------------------------------------------------------------------------------
def setup_django(data_dir: Path, psm: int) -> None:
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="kmportal.settings.dev",
        KM_DATA_DIR=str(data_dir),
        KM_EXTRACTION="inline",
        KM_OCR_PSM=str(psm),
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--psm", type=int, default=3, help="Tesseract page layout mode")
    parser.add_argument("--keep", type=Path, help="write the scans here as well")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="km-ocr-bench-"))
    try:
        scans_dir = work / "scans"
        scans_dir.mkdir()
        made = make_scans(scans_dir)
        if options.keep:
            options.keep.mkdir(parents=True, exist_ok=True)
            for path in scans_dir.iterdir():
                shutil.copy(path, options.keep / path.name)
        setup_django(work / "data", options.psm)
        run(scans_dir, made)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(scans_dir: Path, made: dict[str, tuple[str, list[str]]]) -> None:
    import io

    from django.core.management import call_command

    from apps.library import ocr
    from apps.library.models import DocumentFile, OcrPage
    from apps.search.engine import SearchRequest
    from apps.search.indexing import get_engine
    from apps.search.searching import ADMIN

    engine = ocr.engine()
    if engine is None:
        sys.exit("tesseract with the Thai model is not installed (README, OCR)")
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    started = time.monotonic()
    call_command("import_documents", str(scans_dir), stdout=io.StringIO(), stderr=io.StringIO())
    imported = time.monotonic() - started
    call_command("rebuild_index", "--clear", stdout=io.StringIO())

    search = get_engine()
    languages = "+".join(engine.languages)
    print(f"Tesseract {engine.version}, {languages}; psm {os.environ['KM_OCR_PSM']}")
    print(f"import of {len(made)} files: {imported:.1f} s\n")
    columns = f"{'CER':>6} {'CER+sp':>7} {'words':>6} {'found':>6} {'s/page':>7}"
    print(f"{'file':20} {'what':52} {columns}")
    totals: dict[str, list] = {"cer_clean300": [], "found": [], "seconds": []}
    step_rows: dict[str, dict[str, list[float]]] = {}
    for name, (label, sources) in made.items():
        stored = DocumentFile.objects.select_related("ocr").get(original_name=name)
        pages = list(OcrPage.objects.filter(ocr=stored.ocr).order_by("page"))
        source = "\n\n".join(sources)
        final = stored.ocr.machine_text
        raw = "\n\n".join(page.raw_text for page in pages)
        expected = words_of(source)
        have = words_of(final)
        hits = 0
        for word in sorted(expected):
            request = SearchRequest(viewer=ADMIN, text=word, page_size=20, facets=False)
            uids = {hit.uid for hit in search.search(request).hits}
            hits += f"document:{stored.document_id}" in uids
        seconds = [page.seconds for page in pages]
        totals["seconds"].extend(seconds)
        totals["found"].append((hits, len(expected)))
        if name.startswith(("clean-300", "image-300", "page-300")):
            totals["cer_clean300"].append(cer(final, source))
        for step, text in steps_of(raw).items():
            row = step_rows.setdefault(step, {"cer": [], "cer_sp": [], "words": []})
            row["cer"].append(cer(text, source))
            row["cer_sp"].append(cer(text, source, spaces=True))
            row["words"].append(len(words_of(text) & expected) / max(1, len(expected)))
        print(
            f"{name:20} {label[:52]:52} {cer(final, source):6.1%} "
            f"{cer(final, source, spaces=True):7.1%} {len(have & expected) / len(expected):6.1%} "
            f"{hits / len(expected):6.1%} {statistics.mean(seconds):7.2f}"
        )
    found = sum(h for h, _ in totals["found"]) / sum(n for _, n in totals["found"])
    print(
        f"\nall: {found:.1%} of {sum(n for _, n in totals['found'])} source words found in the "
        f"right file; CER on clean 300-dpi pages {statistics.mean(totals['cer_clean300']):.1%}; "
        f"{statistics.mean(totals['seconds']):.2f} s/page (median "
        f"{statistics.median(totals['seconds']):.2f}, max {max(totals['seconds']):.2f}) "
        f"over {len(totals['seconds'])} pages"
    )
    print("\npost-processing, step by step (mean over the files):")
    print(f"{'step':18} {'CER':>6} {'CER+sp':>7} {'words':>6}")
    for step, row in step_rows.items():
        print(
            f"{step:18} {statistics.mean(row['cer']):6.1%} {statistics.mean(row['cer_sp']):7.1%} "
            f"{statistics.mean(row['words']):6.1%}"
        )


if __name__ == "__main__":
    main()
