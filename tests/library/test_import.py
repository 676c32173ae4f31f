import io
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.library.models import Document, DocumentType

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "register"
    (root / "circulars").mkdir(parents=True)
    (root / "circulars" / "ว123.txt").write_text("การจัดทำบัญชีของสหกรณ์ขนาดเล็ก", encoding="utf-8")
    (root / "circulars" / "ว45.txt").write_bytes("การประชุมใหญ่สามัญประจำปี".encode("cp874"))
    (root / "พรบ สหกรณ์.txt").write_text("พระราชบัญญัติสหกรณ์ พ.ศ. ๒๕๔๒", encoding="utf-8")
    (root / ".hidden").write_text("x")
    (root / "register.csv").write_text(
        "file,title,type,number,agency,issued,category,tags,description\n"
        "circulars/ว123.txt,แนวทางการจัดทำบัญชี,หนังสือเวียน,กษ 1108/ว 123,กรมตรวจบัญชีสหกรณ์,"
        '5 มิ.ย. 2551,หนังสือเวียน > บัญชี,"บัญชี, สหกรณ์",ฉบับย่อ\n'
        "circulars/ว45.txt,การประชุมใหญ่,circular,กษ 1104/ว 45,,31/02/2550,,,\n"
        "missing.txt,ไม่มีไฟล์,,,,,,,\n",
        encoding="utf-8",
    )
    return root


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_documents", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_a_folder_with_its_register(folder):
    out, err = run(folder, "--metadata", folder / "register.csv", "--type", "other")
    assert "Imported 2," in out and "failed 1" in out  # the register itself is not imported
    circular = Document.objects.get(number="กษ 1108/ว 123")
    assert circular.title == "แนวทางการจัดทำบัญชี"
    assert circular.doc_type == DocumentType.CIRCULAR
    assert circular.issued_on.isoformat() == "2008-06-05"
    assert [c.name for c in [circular.category.parent, circular.category]] == ["หนังสือเวียน", "บัญชี"]
    assert sorted(t.name for t in circular.tags.all()) == ["บัญชี", "สหกรณ์"]
    assert circular.files.get().text == "การจัดทำบัญชีของสหกรณ์ขนาดเล็ก"
    # No title in the register: the title comes from the file name.
    act = Document.objects.get(title="พรบ สหกรณ์")
    assert act.doc_type == DocumentType.OTHER
    assert act.files.get().text == "พระราชบัญญัติสหกรณ์ พ.ศ. ๒๕๔๒"  # the text as typed
    # The bad date is reported with its line, and the missing file too.
    assert "ว45.txt (line 3)" in err and "31/02/2550" in err
    assert "line 4" in err and "missing.txt" in err
    assert not Document.objects.filter(number="กษ 1104/ว 45").exists()


def test_running_it_again_skips_what_is_there(folder):
    run(folder)
    count = Document.objects.count()
    out, _ = run(folder)
    assert f"Imported 0, skipped {count}" in out
    assert Document.objects.count() == count


def test_single_files_category_and_type(folder):
    run(folder / "พรบ สหกรณ์.txt", "--category", "กฎหมาย > พระราชบัญญัติ", "--type", "law")
    document = Document.objects.get()
    assert document.doc_type == DocumentType.LAW
    assert document.category.name == "พระราชบัญญัติ"
    assert document.category.parent.name == "กฎหมาย"


def test_unknown_user_path_or_type_stop_with_a_message(folder, tmp_path):
    with pytest.raises(CommandError, match="no user"):
        run(folder, "--as", "nobody")
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nothing-here")
    with pytest.raises(CommandError, match="unknown document type"):
        run(folder, "--type", "poem")


def test_a_register_without_a_file_column_is_refused(folder):
    bad = folder.parent / "bad.csv"
    bad.write_text("title\nx\n", encoding="utf-8")
    with pytest.raises(CommandError, match="'file' column"):
        run(folder, "--metadata", bad)
    assert not Document.objects.exists()


def test_the_imported_file_is_a_copy(folder):
    run(folder / "พรบ สหกรณ์.txt")
    shutil.rmtree(folder)
    assert Document.objects.get().files.get().file.open("rb").read()


def _media_files():
    from pathlib import Path

    from django.conf import settings

    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_a_database_failure_after_the_files_were_written_leaves_no_file_behind(folder, monkeypatch):
    """GIVEN a batch whose files' insert fails in the database (after the files were written)
    WHEN it is imported THEN the batch is rolled back and none of its files stay."""
    from django.db import OperationalError

    from apps.library.models import DocumentFile

    def failing_insert(rows, *args, **kwargs):
        assert rows  # the files were written by now
        raise OperationalError("database is locked")

    monkeypatch.setattr(DocumentFile.objects, "bulk_create", failing_insert)
    before = _media_files()
    with pytest.raises(OperationalError):
        run(folder, "--type", "other")
    assert Document.objects.count() == 0
    assert _media_files() == before


def test_a_file_that_cannot_be_read_after_it_was_written_leaves_no_file_behind(folder, monkeypatch):
    from apps.library import services

    def broken(path, kind):
        raise ValueError("cannot decode")

    monkeypatch.setattr(services, "extract", broken)
    before = _media_files()
    out, err = run(folder, "--type", "other")
    assert "Imported 0," in out and "cannot decode" in err
    assert Document.objects.count() == 0
    assert _media_files() == before


@pytest.mark.django_db(transaction=True)
def test_imported_files_stay_when_the_command_is_cut_short_after_a_batch_commits(
    folder, cut_short_after_commit
):
    """GIVEN a batch that has committed WHEN the command is cut short right then (SystemExit
    or Ctrl+C in the commit's hooks) THEN every document it imported keeps its file."""
    from pathlib import Path

    from apps.library.models import DocumentFile

    with pytest.raises(SystemExit), cut_short_after_commit(DocumentFile):
        run(folder, "--type", "other")
    stored = list(DocumentFile.objects.all())
    assert len(stored) == 4  # the three texts and the register, imported as a file
    assert all(Path(f.file.path).exists() for f in stored)


def test_a_file_shelved_by_someone_else_during_the_import_is_skipped(folder, monkeypatch):
    """GIVEN a file shelved by someone else after the import read the library's digests (the
    importer does not ask the library again per file) WHEN it is imported THEN the database's
    unique digest refuses it, it is counted as skipped, the others are imported, and no second
    copy of it is left on disk."""
    from django.core.files.base import ContentFile

    from apps.library import importer, services

    original_init = importer._ImportRun.__init__

    def init_then_shelve(self, **kwargs):
        original_init(self, **kwargs)  # the digests are read here: the one below comes later
        services.document_create(
            by=None,
            details=services.DocumentDetails(title="ฉบับที่คนอื่นเพิ่ม", doc_type=DocumentType.OTHER),
            files=[ContentFile("พระราชบัญญัติสหกรณ์ พ.ศ. ๒๕๔๒".encode(), name="other.txt")],
        )

    monkeypatch.setattr(importer._ImportRun, "__init__", init_then_shelve)
    before = _media_files()
    out, err = run(folder, "--type", "other")
    # Without a register, register.csv is shelved as a file too: three of the four are new.
    assert "Imported 3, skipped 1" in out, (out, err)
    assert Document.objects.filter(title="พรบ สหกรณ์").count() == 0
    assert len(_media_files() - before) == 4  # the other person's file and the three imported
