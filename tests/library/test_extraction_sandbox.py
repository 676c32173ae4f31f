"""Hostile files fail fast and small, in the child, with a reason; the parent is untouched.

Each hostile file is built by ``samples`` in a temporary directory. For each, the outcome must
be ``ok=False`` with a sensible reason, within 60 seconds (measured), with the child's peak
resident memory (from ``wait4``) under 1 GiB, and the test process itself must not have grown.
"""

import resource
import sys
import threading
import time

import pytest

from apps.library.extraction.sandbox import Outcome, extract_in_child
from tests.library import samples

LIMIT_SECONDS = 60
LIMIT_BYTES = 1 << 30
MEASURED: dict[str, Outcome] = {}


def _own_peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _check_refused(name: str, path, *reasons: str, **kwargs) -> Outcome:
    """GIVEN a hostile file WHEN it is extracted in a child THEN it fails fast, small, with a
    reason, and the parent's memory and threads are as they were."""
    threads, peak = threading.active_count(), _own_peak()
    started = time.monotonic()
    outcome = extract_in_child(path, **kwargs)
    elapsed = time.monotonic() - started
    MEASURED[name] = outcome
    assert not outcome.ok
    assert outcome.reason.startswith(reasons), outcome.reason
    assert (outcome.text, outcome.thumbnail) == ("", None)
    assert outcome.seconds <= elapsed + 0.01
    assert elapsed < LIMIT_SECONDS
    assert outcome.peak_memory < LIMIT_BYTES
    assert _own_peak() - peak < 64 * 1024 * 1024
    assert threading.active_count() == threads
    return outcome


def test_pdf_bomb(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(samples.pdf_bomb())
    assert path.stat().st_size < 64 * 1024  # 4 GiB of zeros, deflated twice
    _check_refused("PDF bomb (4 GiB stream)", path, "decompression bomb: a PDF stream")


def test_self_referencing_pdf(tmp_path):
    path = tmp_path / "loop.pdf"
    path.write_bytes(samples.pdf_self_referencing())
    _check_refused("self-referencing PDF", path, "not a valid PDF")


def test_zip_bomb_docx(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(samples.docx_zip_bomb())
    assert path.stat().st_size < 8 * 1024 * 1024
    _check_refused("zip-bomb DOCX (1.06 GiB entry)", path, "zip bomb:")


def test_decompression_bomb_png(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(samples.png_bomb())
    _check_refused("PNG bomb (900 megapixels)", path, "decompression bomb: image")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        (
            "report.pdf",
            samples.HTML_WITH_SCRIPT,
            "type mismatch: named .pdf but the content is text/html",
        ),
        (
            "memo.docx",
            samples.EXE_HEADER,
            "type mismatch: named .docx but the content is application/octet-stream",
        ),
        (
            "photo.jpg",
            samples.SVG_IMAGE,
            "type mismatch: named .jpg but the content is image/svg+xml",
        ),
    ],
)
def test_file_lying_about_its_type(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    outcome = _check_refused(f"lying {name}", path, reason)
    assert outcome.reason == reason
    assert outcome.peak_memory == 0  # refused from the sniffed content: nothing was parsed


def test_unsupported_type_is_not_parsed(tmp_path):
    path = tmp_path / "program"
    path.write_bytes(samples.EXE_HEADER)
    outcome = _check_refused("executable", path, "unsupported type application/octet-stream")
    assert outcome.mime == "application/octet-stream"


def test_damaged_pdf(tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer <<")
    _check_refused("truncated PDF", path, "not a valid PDF")


def test_time_limit_kills_the_child(tmp_path):
    path = tmp_path / "slow.pdf"
    path.write_bytes(samples.pdf_many_glyphs())
    outcome = _check_refused("slow PDF, 1 s limit", path, "timed out after 1 s", timeout=1)
    assert outcome.seconds < 5


def test_memory_limit_stops_the_child(tmp_path):
    path = tmp_path / "big.pdf"
    path.write_bytes(samples.pdf_inflating_to(200 << 20))  # under the bomb limit
    _check_refused(
        "PDF stream of 200 MB, 256 MiB limit",
        path,
        "memory limit exceeded",
        memory_bytes=256 << 20,
    )


def test_report_measurements(tmp_path):
    """GIVEN the hostile files this module's tests measured (one cheap file is measured here when
    the test runs alone) THEN the report has a line for each, with its time, the child's peak
    memory and the reason, and every one of them failed within the time and memory limits."""
    if not MEASURED:
        path = tmp_path / "report.pdf"
        path.write_bytes(samples.HTML_WITH_SCRIPT)
        _check_refused("lying report.pdf", path, "type mismatch:")
    lines = [
        f"{name:40} {outcome.seconds:6.2f} s  {outcome.peak_memory / 2**20:7.1f} MiB  "
        f"{outcome.reason}"
        for name, outcome in MEASURED.items()
    ]
    sys.stdout.write("\n".join(lines) + "\n")  # shown with ``-s`` or in the report
    for line, (name, outcome) in zip(lines, MEASURED.items(), strict=True):
        assert line.startswith(name) and line.endswith(outcome.reason) and outcome.reason
        assert not outcome.ok, name
        assert 0 <= outcome.seconds < LIMIT_SECONDS, name
        assert 0 <= outcome.peak_memory < LIMIT_BYTES, name
