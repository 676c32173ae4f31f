"""The importer shelves files a batch at a time (``services.documents_create_batch``): each file
keeps its own outcome, nothing is half-saved, and the index follows the database."""

from pathlib import Path

import pytest

from apps.library import importer, selectors, services
from apps.library.models import Document, DocumentFile, DocumentType
from apps.search import indexing, upkeep

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    yield
    indexing.get_engine().close()


def corpus(root, count):
    """``count`` law sections, one text file each, and their register."""
    root.mkdir()
    rows = ["file,title,issued"]
    for number in range(count):
        name = f"s{number:03d}.txt"
        text = f"พระราชบัญญัติสหกรณ์ พ.ศ. 2542 มาตรา {number + 1} สหกรณ์ต้องจัดทำบัญชีข้อ {number}"
        (root / name).write_text(text, encoding="utf-8")
        rows.append(f"{name},พระราชบัญญัติสหกรณ์ พ.ศ. 2542 มาตรา {number + 1},")
    register = root.parent / "register.csv"
    register.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return register


def media_files():
    from django.conf import settings

    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_a_batch_reports_each_file_as_one_by_one_and_the_index_follows(
    tmp_path, index, monkeypatch
):
    """GIVEN 25 sections imported in batches of 10, with a bad date on one row, the same file
    under a second name, and one file already in the library WHEN they are imported THEN the bad
    row is reported with its line, the second copy and the known file are skipped, the others
    are shelved with their text, and the index holds exactly the database's documents."""
    monkeypatch.setattr(importer, "BATCH", 10)
    root = tmp_path / "laws"
    register = corpus(root, 25)
    lines = register.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].rstrip(",") + ",31/02/2550"  # s004.txt, line 6
    register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "s999.txt").write_bytes((root / "s007.txt").read_bytes())  # a copy, found last
    with (root / "s010.txt").open("rb") as handle:
        from django.core.files import File

        services.document_create(
            by=None,
            details=services.DocumentDetails(title="มีอยู่แล้ว", doc_type=DocumentType.OTHER),
            files=[File(handle, name="s010.txt")],
        )

    report = importer.import_paths([root], metadata=register)

    assert (report.imported, report.skipped, report.failed) == (23, 2, 1)
    assert report.problems == ["s004.txt (line 6): cannot read the date '31/02/2550'"]
    assert Document.objects.count() == 24
    stored = DocumentFile.objects.get(original_name="s020.txt")
    assert stored.text.endswith("มาตรา 21 สหกรณ์ต้องจัดทำบัญชีข้อ 20")
    assert stored.document.title == "พระราชบัญญัติสหกรณ์ พ.ศ. 2542 มาตรา 21"
    checked = upkeep.check()
    assert (checked.missing, checked.stale, checked.orphaned, checked.pending) == ([], [], [], 0)
    assert indexing.get_engine().count() == 24


def test_the_same_file_twice_in_one_batch_is_shelved_once(tmp_path, index):
    """GIVEN two names for the same content in one batch WHEN imported THEN the first is shelved
    and the second skipped as already in the library, as when imported one by one."""
    root = tmp_path / "twice"
    root.mkdir()
    (root / "a.txt").write_text("ระเบียบว่าด้วยการรับฝากเงิน", encoding="utf-8")
    (root / "b.txt").write_text("ระเบียบว่าด้วยการรับฝากเงิน", encoding="utf-8")
    (root / "c.txt").write_text("ระเบียบว่าด้วยการให้เงินกู้", encoding="utf-8")

    report = importer.import_paths([root])

    assert (report.imported, report.skipped, report.failed) == (2, 1, 0)
    assert sorted(Document.objects.values_list("title", flat=True)) == ["a", "c"]


def test_a_file_shelved_between_the_look_up_and_the_insert_is_skipped(tmp_path, index, monkeypatch):
    """GIVEN a file that someone shelves after the batch looked the library up (the database's
    unique digest then refuses the batch's insert) WHEN the batch is imported THEN the batch is
    shelved again one by one: that file is skipped, the others are imported, and no second copy
    of it stays on disk."""
    from django.core.files.base import ContentFile

    root = tmp_path / "race"
    corpus(root, 4)
    look_up = selectors.existing_files
    shelved = []

    def shelved_meanwhile(digests):
        found = look_up(digests)
        if not shelved:
            shelved.append(True)
            services.document_create(
                by=None,
                details=services.DocumentDetails(title="คนอื่นเพิ่ม", doc_type=DocumentType.OTHER),
                files=[ContentFile((root / "s002.txt").read_bytes(), name="other.txt")],
            )
        return found

    monkeypatch.setattr(selectors, "existing_files", shelved_meanwhile)
    batches = []
    real_insert = services._insert_batch

    def counted_insert(entries, **kwargs):
        batches.append(len(entries))
        return real_insert(entries, **kwargs)

    monkeypatch.setattr(services, "_insert_batch", counted_insert)

    before = media_files()
    report = importer.import_paths([root])

    assert batches == [4]  # refused as a whole, then shelved one by one
    assert (report.imported, report.skipped, report.failed) == (3, 1, 0)
    assert not Document.objects.filter(title="s002").exists()
    assert len(media_files() - before) == DocumentFile.objects.count() == 4
    checked = upkeep.check()
    assert (checked.missing, checked.stale, checked.orphaned) == ([], [], [])


def test_the_batch_service_checks_each_entry(tmp_path):
    """GIVEN a batch with a valid entry, one with an invalid type and one whose file is in the
    library WHEN it is shelved THEN each gets its own outcome, in order, and only the valid one
    is saved, with its tags, recorded as added by the given person."""
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    from tests.factories import UserFactory

    person = UserFactory()
    services.document_create(
        by=None,
        details=services.DocumentDetails(title="เดิม"),
        files=[ContentFile(b"old text", name="old.txt")],
    )
    outcomes = services.documents_create_batch(
        uploaded_by=person,
        entries=[
            (
                services.DocumentDetails(title="ใหม่", tags=["บัญชี"]),
                ContentFile("ข้อความใหม่".encode(), name="new.txt"),
            ),
            (services.DocumentDetails(title="ผิด", doc_type="poem"), ContentFile(b"x", "x.txt")),
            (services.DocumentDetails(title="ซ้ำ"), ContentFile(b"old text", name="again.txt")),
        ],
    )
    document, invalid, duplicate = outcomes
    assert isinstance(document, Document) and document.uploaded_by == person
    assert [t.name for t in document.tags.all()] == ["บัญชี"]
    assert document.files.get().text == "ข้อความใหม่"
    assert isinstance(invalid, ValidationError) and "doc_type" in invalid.error_dict
    assert isinstance(duplicate, ValidationError) and duplicate.error_list[0].code == "duplicate"
    assert sorted(Document.objects.values_list("title", flat=True)) == sorted(["ใหม่", "เดิม"])
